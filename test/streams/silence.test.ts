import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silenceLimitMs, silent } from '../../streams/silence';

test('the silence limit: three intervals, never less than the objective', () => {
  assert.equal(silenceLimitMs(10_000, 30_000), 30_000);
  assert.equal(silenceLimitMs(10_000, 5_000), 30_000);
  assert.equal(silenceLimitMs(100, 300_000), 300_000);
  assert.equal(silenceLimitMs(3_600_000, 10), 3 * 3_600_000);
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
