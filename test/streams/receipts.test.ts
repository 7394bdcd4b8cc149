import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventAt } from '../../streams/eventStore';
import { step } from '../../streams/tracker';
import { createTrackerState, inFlight } from '../../streams/trackerState';
import { APP, frame, ok, options, receipt, run, started } from '../helpers/tracker';

describe('receipt rules', () => {
  test('first receipt of an own event is received, latency from the post start', () => {
    const state = run([
      [100, started(1)],
      [105, ok(1)],
      [142, receipt(frame(1), 142)],
    ]);
    assert.equal(state.totals.posted, 1);
    assert.equal(state.totals.received, 1);
    assert.equal(state.latestLatencyMs, 42);
    assert.equal(eventAt(state, 1)?.state, 'received');
    assert.equal(inFlight(state), 0);
  });

  test('own app id with an unknown seqno is counted, not thrown', () => {
    const state = run([
      [0, started(1)],
      [1, receipt(frame(2), 1)],
      [2, receipt(frame(99999), 2)],
    ]);
    assert.equal(state.totals.unknownSeqno, 2);
  });

  test('frames that are not events are counted as malformed, by reason', () => {
    const state = createTrackerState(options);
    const bad = [
      'not json',
      '[1,2]',
      'null',
      '"text"',
      '{"seqno":1}',
      '{"app_id":7,"seqno":1}',
      `{"app_id":"${APP}","seqno":"1"}`,
      `{"app_id":"${APP}","seqno":-1}`,
      `{"app_id":"${APP}","seqno":1.5}`,
      `{"app_id":"${APP}","seqno":1e300}`,
      `{"__proto__":{"app_id":"${APP}","seqno":1}}`,
      `${'['.repeat(100000)}${']'.repeat(100000)}`,
    ];
    const reasons = bad.map((data) => {
      const effects = step(state, receipt(data, 0), 0);
      assert.equal(effects.length, 1);
      const effect = effects[0];
      assert.equal(effect.kind, 'malformed');
      return effect.kind === 'malformed' ? effect.reason : '';
    });
    assert.deepEqual(reasons, [
      'not-json',
      'not-an-object',
      'not-an-object',
      'not-an-object',
      'bad-app-id',
      'bad-app-id',
      'bad-seqno',
      'bad-seqno',
      'bad-seqno',
      'bad-seqno',
      'bad-app-id',
      'too-large',
    ]);
    assert.equal(
      Object.values(state.totals.malformed).reduce((a, b) => a + b, 0),
      bad.length,
    );
    assert.equal(Object.getPrototypeOf({}).app_id, undefined);
  });

  test('a receipt before the post answer counts the event posted and received once', () => {
    const state = createTrackerState(options);
    const effects = [
      ...step(state, started(1), 0),
      ...step(state, receipt(frame(1), 3), 3),
      ...step(state, ok(1), 4),
    ].map((e) => e.kind);
    assert.deepEqual(effects, ['post-started', 'received', 'post-done']);
    assert.equal(state.totals.posted, 1);
    assert.equal(state.totals.received, 1);
    assert.equal(state.postsRunning, 0);
    assert.equal(inFlight(state), 0);
  });

  test('receipts in a lower seqno than one already received are out of order', () => {
    const state = run([
      [0, started(1)],
      [1, started(2)],
      [2, ok(1)],
      [2, ok(2)],
      [3, receipt(frame(2), 3)],
      [4, receipt(frame(1), 4)],
    ]);
    assert.equal(state.totals.outOfOrder, 1);
    assert.equal(eventAt(state, 1)?.receiptOrder, 2);
    assert.equal(eventAt(state, 2)?.receiptOrder, 1);
  });
});

describe('latency at the wire', () => {
  test('latency counts from when the first attempt went on the wire', () => {
    const state = run([
      [0, started(1)],
      [3, { kind: 'post-sent', seqno: 1, at: 3 }],
      [4, { kind: 'post-sent', seqno: 1, at: 4 }], // a retry: the first attempt's time stays
      [5, ok(1)],
      [45, receipt(frame(1), 45)],
    ]);
    assert.equal(state.latestLatencyMs, 42);
  });

  test('without a wire time (a post that never left), latency counts from the post start', () => {
    const state = run([
      [0, started(1)],
      [20, receipt(frame(1), 20)],
    ]);
    assert.equal(state.latestLatencyMs, 20);
  });
});

describe('out of order', () => {
  test('a late event that arrives after a higher seqno counts out of order too', () => {
    const state = run([
      [0, started(1)],
      [0, ok(1)],
      [1, started(2)],
      [1, ok(2)],
      [5, receipt(frame(2), 5)],
      [300, { kind: 'clean' }],
      [320, receipt(frame(1), 320)], // lost at 300, arrives late, after seqno 2
    ]);
    assert.equal(state.totals.late, 1);
    assert.equal(state.totals.outOfOrder, 1);
  });
});
