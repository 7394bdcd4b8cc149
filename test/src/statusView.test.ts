import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantile, statusView } from '../../src/statusView';
import { step } from '../../streams/tracker';
import { createTrackerState } from '../../streams/trackerState';
import { APP, productionWindows } from '../helpers/tracker';

const options = productionWindows;

test('nearest-rank quantiles', () => {
  assert.equal(quantile([], 0.5), null);
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(quantile(values, 0.5), 50);
  assert.equal(quantile(values, 0.99), 99);
  assert.equal(quantile([7], 0.99), 7);
});

test('the status view reads the books, shares, latency and the newest events', () => {
  const state = createTrackerState(options);
  for (let seqno = 1; seqno <= 100; seqno++) {
    step(
      state,
      { kind: 'post-started', seqno, sentAt: seqno * 10, lagMs: 0, running: 1 },
      seqno * 10,
    );
    step(
      state,
      { kind: 'post-succeeded', seqno, durationMs: 1, retries: 0, running: 0 },
      seqno * 10,
    );
    if (seqno % 10 !== 0) {
      const data = JSON.stringify({ app_id: APP, seqno });
      step(
        state,
        { kind: 'receipt', listenerId: 0, connectionId: 1, data, receivedAt: seqno * 10 + seqno },
        seqno * 10 + seqno,
      );
    }
  }
  step(state, { kind: 'listener', listenerId: 0, connectionId: 1, status: 'connected' }, 1_000);
  step(state, { kind: 'clean' }, 1_350);
  // Posting window as the probe computes it: three 10 ms intervals plus a 1 s post timeout.
  const posting = { configuredListeners: 2, postingWindowMs: 1_030 };
  const view = statusView(state, 1_350, { ...posting, recentEvents: 5 });
  assert.equal(view.totals.posted, 100);
  assert.equal(view.totals.received, 90);
  assert.equal(view.totals.lost, 10);
  assert.equal(view.inFlight, 0);
  assert.deepEqual(
    view.shares.map((s) => s.percent),
    [10, 10, 10],
  );
  assert.deepEqual(
    view.events.map((e) => e.seqno),
    [100, 99, 98, 97, 96],
  );
  assert.deepEqual(
    view.events.map((e) => e.state),
    ['lost', 'received', 'received', 'received', 'received'],
  );
  assert.equal(view.latency.latestMs, 99);
  assert.equal(view.latency.samples, 90);
  assert.equal(view.latency.p50Ms, 49); // 45th of 1…99 without the tens
  assert.equal(view.latency.p99Ms, 99);
  assert.equal(view.chart.points.length, 100);
  assert.equal(view.listeners.connected, 1);
  assert.equal(view.listeners.configured, 2);
  assert.equal(view.posting.ok, true); // within three intervals and a second
  const stale = statusView(state, 3_000, posting);
  assert.equal(stale.posting.ok, false);
  assert.equal(stale.posting.lastOkSecondsAgo, 2);
});
