import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frame, ok, receipt, run, started } from '../helpers/tracker';

/**
 * During a rollout two shards may own one target for a while: both post to its dataset, with
 * their own app ids and seqnos that count from 1 alike, and each receives both streams. The
 * other's events are another probe's — never one of ours, received, late, duplicate or of an
 * unknown seqno — and ours are counted as if the other were not there.
 */
test("the other owner's events, with the very seqnos ours have, count only as another probe's", () => {
  const OTHER = 'ffff0000';
  const state = run([
    [0, started(1)],
    [1, ok(1)],
    [5, receipt(frame(1, OTHER), 5)], // its seqno 1 arrives while ours is in flight
    [6, receipt(frame(2, OTHER), 6)], // a seqno we have not posted yet
    [7, receipt(frame(1, OTHER), 7, 2, 1)], // the same one on our other listener
    [20, receipt(frame(1), 20)],
    [21, started(2)],
    [22, ok(2)],
    [30, receipt(frame(2), 30)],
    [300, { kind: 'clean' }],
    [320, { kind: 'clean' }],
  ]);
  const { totals } = state;
  assert.equal(totals.wrongAppId, 2);
  assert.equal(totals.received, 2);
  assert.deepEqual(
    {
      lost: totals.lost,
      late: totals.late,
      duplicates: totals.duplicates,
      unknown: totals.unknownSeqno,
    },
    { lost: 0, late: 0, duplicates: 0, unknown: 0 },
  );
  assert.equal(state.latestLatencyMs, 30 - 21);
});
