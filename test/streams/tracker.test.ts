import { describe, test } from 'node:test';
import { map } from 'rxjs/operators';
import type { TrackerInput } from '../../streams/messages';
import { track } from '../../streams/tracker';
import { testScheduler } from '../helpers/marbles';
import { ok, options, started } from '../helpers/tracker';

describe('robustness', () => {
  test('a step that throws is counted and the tracker carries on', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const poison = {
        kind: 'receipt',
        get data(): string {
          throw new Error('boom');
        },
      } as unknown as TrackerInput;
      const inputs = ' a b c';
      const outputs = 'a b c';
      const input$ = hot<TrackerInput>(inputs, { a: started(1), b: poison, c: ok(1) });
      const out$ = input$.pipe(
        track(options),
        map((s) => `${s.state.totals.internalErrors}/${s.state.totals.posted}`),
      );
      expectObservable(out$).toBe(outputs, { a: '0/0', b: '1/0', c: '1/1' });
    });
  });
});

describe('quiet ticks', () => {
  // The helper's tracker: grace 10 ms, windows 60/180/600 ms, objective 100 ms.
  test('a tick that settles nothing and moves no count makes no step; one that does, does', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const inputs = '(ab) 1ms t 14ms t 29ms t 24ms t 25ms t t';
      // 5: the event is not past the grace yet; 20: it enters the windows; 50: nothing;
      // 75: it leaves the 60 ms window; 101: its objective passes unreceived; 102: nothing.
      const outputs = '(ss) 16ms s 54ms s 25ms o';
      const input$ = hot<TrackerInput>(inputs, { a: started(1), b: ok(1), t: { kind: 'tick' } });
      const out$ = input$.pipe(
        track(options),
        map((s) => (s.effects.some((effect) => effect.kind === 'overdue') ? 'o' : 's')),
      );
      expectObservable(out$).toBe(outputs);
    });
  });
});
