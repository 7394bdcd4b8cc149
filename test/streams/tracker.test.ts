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
