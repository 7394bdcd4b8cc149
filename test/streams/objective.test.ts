import assert from 'node:assert/strict';
import { test } from 'node:test';
import { map } from 'rxjs/operators';
import { eventAt } from '../../streams/eventStore';
import type { TrackerInput } from '../../streams/messages';
import { track } from '../../streams/tracker';
import { inFlight } from '../../streams/trackerState';
import { testScheduler } from '../helpers/marbles';
import {
  failed,
  frame,
  lostThenLate,
  ok,
  options,
  receipt,
  run,
  started,
} from '../helpers/tracker';

// The helper's tracker: objective 100, lost timeout 300, cleans where the inputs say.
test('received within the objective is good; later is bad; both settle', () => {
  const state = run([
    [0, started(1)],
    [0, ok(1)],
    [0, started(2)],
    [0, ok(2)],
    [100, receipt(frame(1), 100)], // exactly the objective: good
    [100, receipt(frame(2), 100)],
  ]);
  assert.equal(options.latencyObjectiveMs, 100);
  assert.equal(state.totals.withinObjective, 2);
  assert.equal(state.totals.settled, 2);
});

test('an event settles bad at the first step after its objective, with no receipt and no clean', () => {
  testScheduler().run(({ hot, expectObservable }) => {
    // Posted at 0; ticks every 50 ms; nothing arrives. Objective 100 ms: bad at 150, not at 100.
    const inputs = ' (ab) 46ms t 49ms t 49ms t';
    const settled = '(xx) 46ms x 49ms x 49ms y';
    const input$ = hot<TrackerInput>(inputs, { a: started(1), b: ok(1), t: { kind: 'tick' } });
    const settled$ = input$.pipe(
      track(options),
      map(({ state }) => `${state.totals.settled}/${state.totals.withinObjective}`),
    );
    expectObservable(settled$).toBe(settled, { x: '0/0', y: '1/0' });
  });
});

test('an event that arrives after its objective passed stays bad and settles once', () => {
  const state = run([
    [0, started(1)],
    [1, ok(1)],
    [101, { kind: 'tick' }],
    [150, receipt(frame(1), 150)],
  ]);
  assert.equal(state.totals.settled, 1);
  assert.equal(state.totals.withinObjective, 0);
  assert.equal(state.totals.received, 1);
  assert.equal(eventAt(state, 1)?.overdue, true);
});

test('a lost event settled bad at its objective; lost and late change nothing more', () => {
  const state = run(lostThenLate);
  assert.equal(state.totals.lost, 1);
  assert.equal(state.totals.late, 1);
  assert.equal(state.totals.settled, 1);
  assert.equal(state.totals.withinObjective, 0);
});

test('failed posts and events in flight are not part of the SLI', () => {
  const state = run([
    [0, started(1)],
    [1, failed(1)],
    [2, started(2)],
    [3, ok(2)],
    [200, { kind: 'tick' }],
  ]);
  assert.equal(state.totals.postErrors, 1);
  assert.equal(inFlight(state), 1); // event 2: past its objective, not yet lost
  assert.equal(state.totals.settled, 1); // event 2 only; the failed post never settles
});

test('a post answered after its objective settles bad at once; after its lost deadline too', () => {
  const overdue = run([
    [0, started(1)],
    [150, { kind: 'tick' }],
    [160, ok(1)],
  ]);
  assert.equal(overdue.totals.settled, 1);
  assert.equal(overdue.totals.withinObjective, 0);
  const lost = run([
    [0, started(1)],
    [300, { kind: 'clean' }],
    [310, ok(1)],
  ]);
  assert.equal(lost.totals.lost, 1);
  assert.equal(lost.totals.settled, 1);
});

test('latency and the objective count from the send time on the wire, not the post start', () => {
  const state = run([
    [0, started(1)],
    [0, { kind: 'post-sent', seqno: 1, at: 60 }],
    [70, ok(1)],
    [140, { kind: 'tick' }], // 100 ms after the post's start, 80 after the wire: not yet
    [150, receipt(frame(1), 150)],
  ]);
  assert.equal(state.totals.withinObjective, 1);
  assert.equal(state.totals.settled, 1);
});
