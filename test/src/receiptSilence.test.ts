import assert from 'node:assert/strict';
import { test } from 'node:test';
import { observedIntervalMs, silenceLimitMs, silent } from '../../src/receiptSilence';

test('the silence limit: three intervals, never less than the objective', () => {
  assert.equal(silenceLimitMs(10_000, 30_000), 30_000);
  assert.equal(silenceLimitMs(10_000, 5_000), 30_000);
  assert.equal(silenceLimitMs(100, 300_000), 300_000);
  assert.equal(silenceLimitMs(null, 30_000), 30_000, 'before the second post');
  assert.equal(silenceLimitMs(3_600_000, 10), 3 * 3_600_000);
});

test('the interval is the mean gap of the send times, whatever one post lagged', () => {
  assert.equal(observedIntervalMs({ seqno: 1, sentAt: 0 }, { seqno: 11, sentAt: 100_000 }), 10_000);
  assert.equal(observedIntervalMs({ seqno: 5, sentAt: 0 }, { seqno: 6, sentAt: 50 }), 50);
  assert.equal(observedIntervalMs({ seqno: 5, sentAt: 0 }, { seqno: 5, sentAt: 0 }), null);
  assert.equal(observedIntervalMs(undefined, { seqno: 5, sentAt: 0 }), null);
  assert.equal(observedIntervalMs({ seqno: 5, sentAt: 0 }, undefined), null);
});

test('silent: posts succeed, quiet past the limit, and an event sent since is past its objective', () => {
  const outage = {
    postingOk: true,
    quietMs: 47_000,
    limitMs: 30_000,
    newestReceiptAt: 100_000,
    newestDueSentAt: 110_000,
  };
  assert.equal(silent(outage), true);
  assert.equal(silent({ ...outage, newestReceiptAt: undefined }), true, 'nothing ever received');
  assert.equal(silent({ ...outage, quietMs: 30_000 }), false, 'at the limit');
  assert.equal(silent({ ...outage, postingOk: false }), false, 'posting failing says it');
  // Posting just resumed after failing: the quiet is long, but nothing sent since is due yet.
  assert.equal(silent({ ...outage, newestDueSentAt: undefined }), false);
  assert.equal(silent({ ...outage, newestDueSentAt: 90_000 }), false, 'a drop before the receipt');
});
