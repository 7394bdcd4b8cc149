import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inFlight } from '../../streams/trackerState';
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
    [101, receipt(frame(2), 101)], // 1 ms over: bad
  ]);
  assert.equal(options.latencyObjectiveMs, 100);
  assert.equal(state.totals.withinObjective, 1);
  assert.equal(state.totals.settled, 2);
});

test('a lost event settles bad once; arriving late later changes nothing', () => {
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
  ]);
  assert.equal(state.totals.postErrors, 1);
  assert.equal(inFlight(state), 1);
  assert.equal(state.totals.settled, 0);
});

test('a post answered after its lost deadline settles bad at once', () => {
  const state = run([
    [0, started(1)],
    [300, { kind: 'clean' }],
    [310, ok(1)],
  ]);
  assert.equal(state.totals.lost, 1);
  assert.equal(state.totals.settled, 1);
});
