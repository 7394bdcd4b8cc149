import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TrackerInput } from '../../streams/messages';
import { inFlight } from '../../streams/trackerState';
import { failed, frame, ok, receipt, run, started } from '../helpers/tracker';

describe('post outcomes', () => {
  test('a failed post is a post error, never lost or missing', () => {
    const state = run([
      [0, started(1)],
      [1, failed(1)],
      [400, { kind: 'clean' }],
    ]);
    assert.equal(state.totals.postErrors, 1);
    assert.equal(state.totals.lost, 0);
    assert.equal(state.totals.posted, 0);
    assert.deepEqual(
      state.windows.windows.map((w) => w.counted),
      [0, 0, 0],
    );
  });

  test('a post answered after the lost deadline had passed is lost at once', () => {
    const state = run([
      [0, started(1)],
      [301, { kind: 'clean' }],
      [302, ok(1)],
    ]);
    assert.equal(state.totals.posted, 1);
    assert.equal(state.totals.lost, 1);
    assert.equal(inFlight(state), 0);
  });

  test('a failed post whose event arrived counts the same in either order', () => {
    const books = (inputs: Array<[number, TrackerInput]>) => {
      const { totals, eventsInFlight } = run(inputs);
      return { ...totals, malformed: undefined, eventsInFlight };
    };
    const receiptFirst = books([
      [0, started(1)],
      [2, receipt(frame(1), 2)],
      [3, failed(1)],
    ]);
    const answerFirst = books([
      [0, started(1)],
      [2, failed(1)],
      [3, receipt(frame(1), 3)],
    ]);
    // The collector said it failed (a post error); the event came through (posted, received).
    assert.equal(receiptFirst.postErrors, 1);
    assert.equal(receiptFirst.posted, 1);
    assert.equal(receiptFirst.received, 1);
    assert.equal(receiptFirst.eventsInFlight, 0);
    assert.deepEqual(answerFirst, receiptFirst);
  });

  test('a successful answer and a receipt count the same in either order', () => {
    const books = (inputs: Array<[number, TrackerInput]>) => {
      const { totals, eventsInFlight } = run(inputs);
      return { ...totals, malformed: undefined, eventsInFlight };
    };
    const receiptFirst = books([
      [0, started(1)],
      [2, receipt(frame(1), 2)],
      [3, ok(1)],
    ]);
    const answerFirst = books([
      [0, started(1)],
      [2, ok(1)],
      [3, receipt(frame(1), 3)],
    ]);
    assert.equal(receiptFirst.posted, 1);
    assert.equal(receiptFirst.received, 1);
    assert.equal(receiptFirst.postErrors, 0);
    assert.deepEqual(answerFirst, receiptFirst);
  });

  test('out-of-sequence post-started is refused as an internal error', () => {
    const state = run([[0, started(2)]]);
    assert.equal(state.totals.internalErrors, 1);
    assert.equal(state.nextSeqno, 1);
  });
});
