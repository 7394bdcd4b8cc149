import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { frame, ok, receipt, run, started } from '../helpers/tracker';

describe('duplicates', () => {
  test('the same event again on the same connection is a duplicate', () => {
    const state = run([
      [0, started(1)],
      [1, ok(1)],
      [5, receipt(frame(1), 5, 7)],
      [6, receipt(frame(1), 6, 7)],
    ]);
    assert.equal(state.totals.received, 1);
    assert.equal(state.totals.duplicates, 1);
  });

  test('a doubled event seen by two listeners is one duplicate; a tripled one, two', () => {
    const state = run([
      [0, started(1)],
      [0, started(2)],
      [1, ok(1)],
      [1, ok(2)],
      [5, receipt(frame(1), 5, 7, 0)],
      [5, receipt(frame(1), 5, 8, 1)],
      [6, receipt(frame(1), 6, 8, 1)],
      [6, receipt(frame(1), 6, 7, 0)],
      [7, receipt(frame(2), 7, 7, 0)],
      [7, receipt(frame(2), 7, 7, 0)],
      [7, receipt(frame(2), 7, 7, 0)],
    ]);
    assert.equal(state.totals.received, 2);
    assert.equal(state.totals.duplicates, 3);
  });

  test('the same event on another connection is ignored quietly', () => {
    const state = run([
      [0, started(1)],
      [1, ok(1)],
      [5, receipt(frame(1), 5, 7, 0)],
      [6, receipt(frame(1), 6, 8, 1)],
    ]);
    assert.equal(state.totals.received, 1);
    assert.equal(state.totals.duplicates, 0);
    assert.equal(state.latestLatencyMs, 5);
  });
});
