import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { map } from 'rxjs/operators';
import { eventAt } from '../../streams/eventStore';
import type { TrackerInput } from '../../streams/messages';
import { track } from '../../streams/tracker';
import { inFlight } from '../../streams/trackerState';
import { testScheduler } from '../helpers/marbles';
import { frame, lostThenLate, ok, options, receipt, run, started } from '../helpers/tracker';

describe('lost and purge, in virtual time', () => {
  test('an unreceived event turns lost at the first clean after the lost timeout', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      // Post and answer at 0; cleans at 100, 200, 300, 400; lost timeout 300 ms.
      const inputs = ' (ab) 96ms c 99ms c 99ms c 99ms c';
      const losts = '  (aa) 96ms a 99ms a 99ms b 99ms b';
      const input$ = hot<TrackerInput>(inputs, {
        a: started(1),
        b: ok(1),
        c: { kind: 'clean' },
      });
      const lost$ = input$.pipe(
        track(options),
        map((s) => s.state.totals.lost),
      );
      expectObservable(lost$).toBe(losts, { a: 0, b: 1 });
    });
  });

  test('a post answered after its event was purged is lost once; a received one is not counted again', () => {
    const state = run([
      [0, started(1)],
      [0, started(2)],
      [1, receipt(frame(2), 1)],
      [950, { kind: 'clean' }],
      [960, ok(1)],
      [961, ok(2)],
      [962, ok(1)],
    ]);
    assert.equal(state.totals.purged, 2);
    assert.equal(state.totals.posted, 2);
    assert.equal(state.totals.received, 1);
    assert.equal(state.totals.lost, 1);
    assert.equal(state.postsRunning, 0);
    assert.equal(inFlight(state), 0);
    assert.equal(state.purgedWhilePosting.size, 0);
  });

  test('a late receipt is counted late, not received, and the books still balance', () => {
    const state = run(lostThenLate);
    assert.equal(state.totals.lost, 1);
    assert.equal(state.totals.late, 1);
    assert.equal(state.totals.received, 0);
    assert.equal(eventAt(state, 1)?.state, 'late');
    assert.equal(inFlight(state), 0);
  });
});
