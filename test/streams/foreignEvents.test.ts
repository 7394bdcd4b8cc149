import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { step } from '../../streams/tracker';
import { createTrackerState } from '../../streams/trackerState';
import { frame, options, receipt, run, started } from '../helpers/tracker';

describe('foreign events', () => {
  test("another probe's app id is counted as wrong app id", () => {
    const state = run([
      [0, started(1)],
      [1, receipt(frame(1, 'ffff0000'), 1)],
    ]);
    assert.equal(state.totals.wrongAppId, 1);
    assert.equal(state.totals.received, 0);
  });

  test('a foreign event seen by two listeners counts once; memory of them is bounded', () => {
    const state = createTrackerState(options);
    step(state, receipt(frame(1, 'ffff0000'), 1, 7, 0), 1);
    step(state, receipt(frame(1, 'ffff0000'), 1, 8, 1), 1);
    assert.equal(state.totals.wrongAppId, 1);
    for (let seqno = 2; seqno < 5000; seqno++) step(state, receipt(frame(seqno, 'ffff0000'), 2), 2);
    assert.equal(state.totals.wrongAppId, 4999);
    assert.ok(state.foreign.size <= 1024);
  });
});
