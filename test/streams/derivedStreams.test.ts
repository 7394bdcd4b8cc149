import { test } from 'node:test';
import { map, share } from 'rxjs/operators';
import { derivedStreams } from '../../streams/derivedStreams';
import type { TrackerInput } from '../../streams/messages';
import { track } from '../../streams/tracker';
import { testScheduler } from '../helpers/marbles';
import { frame, ok, options, receipt, started } from '../helpers/tracker';

// The helper's tracker: grace 10 ms, windows 60/180/600 ms, lost after 300 ms.
test("shares$ emits when the windows' counts change, not at every step", () => {
  testScheduler().run(({ hot, expectObservable }) => {
    const step$ = hot<TrackerInput>('(ab) 6ms c 9ms t 9ms t', {
      a: started(1),
      b: ok(1),
      c: receipt(frame(1), 10),
      t: { kind: 'tick' },
    }).pipe(track(options), share());
    const { shares$ } = derivedStreams(step$);
    // At 0 the windows are empty; at 10 the event, received, enters them (past the grace);
    // the ticks after change nothing, and the post's answer at 0 changed no window.
    expectObservable(shares$.pipe(map((shares) => shares.map((s) => s.percent).join('/')))).toBe(
      'a 9ms a',
      { a: '0/0/0' },
    );
  });
});

test('gauges$ follows in flight and latency; lost$ and late$ carry those effects only', () => {
  testScheduler().run(({ hot, expectObservable }) => {
    const step$ = hot<TrackerInput>('(ab) 296ms c 9ms d', {
      a: started(1),
      b: ok(1),
      c: { kind: 'clean' },
      d: receipt(frame(1), 310),
    }).pipe(track(options), share());
    const { gauges$, lost$, late$ } = derivedStreams(step$);
    expectObservable(gauges$.pipe(map((g) => `${g.inFlight}:${g.latestLatencyMs ?? '-'}`))).toBe(
      '(xy) 296ms z',
      { x: '0:-', y: '1:-', z: '0:-' },
    );
    expectObservable(lost$.pipe(map((e) => e.seqnos.join()))).toBe('300ms a', { a: '1' });
    expectObservable(late$.pipe(map((e) => e.latencyMs))).toBe('310ms a', { a: 310 });
  });
});
