import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Stack, scrape, sleep, startStack, waitFor } from '../helpers/stack';

const HOLD_S = 0.3;

describe('the probe against stand-ins with a fixed hold, drops, duplicates and foreign events', () => {
  let stack: Stack;
  let metrics: Map<string, number>;
  let failedBefore: number;
  let failedAfter: number;

  before(async () => {
    stack = await startStack(
      {
        POST_EVENT_INTERVAL_SECONDS: '0.05',
        POST_EVENT_RETRIES: '0',
        MARK_EVENT_LOST_TIMEOUT_SECONDS: '1',
        PURGE_EVENT_TIMEOUT_SECONDS: '60',
        CLEAN_EVENTS_INTERVAL_SECONDS: '0.2',
        MISSING_GRACE_SECONDS: '0.5',
        WEBSOCKET_LISTENERS: '2',
      },
      {
        ADD_LATENCY_PERCENT: 100,
        LATENCY_RANGE_MIN: HOLD_S,
        LATENCY_RANGE_MAX: HOLD_S,
        NO_EMIT_PERCENT: 20,
        DUPLICATE_PERCENT: 10,
        FOREIGN_PERCENT: 10,
      },
    );
    const { collector } = stack;
    await waitFor(() => collector.stats.accepted >= 60, 20_000, '60 accepted posts');
    // Quiesce: the collector now refuses every post, so nothing new enters the pipeline; wait
    // until every accepted event has been received or has passed the lost timeout.
    collector.tuning.FAIL_PERCENT = 100;
    await sleep(1_000 + 200 + 2 * HOLD_S * 1000 + 300);
    failedBefore = collector.stats.failed;
    metrics = await scrape(stack.probe.port);
    failedAfter = collector.stats.failed;
  });
  after(() => stack.stop());

  test('posted, received, lost, duplicates and foreign events equal what the stand-in did', () => {
    const { stats } = stack.collector;
    assert.ok(
      stats.dropped > 0 && stats.duplicated > 0 && stats.foreign > 0,
      'the stand-in did each',
    );
    assert.equal(metrics.get('probe_events_posted_total'), stats.accepted);
    assert.equal(metrics.get('probe_events_received_total'), stats.accepted - stats.dropped);
    assert.equal(metrics.get('probe_events_lost_total'), stats.dropped);
    assert.equal(metrics.get('probe_events_in_flight'), 0);
    assert.equal(metrics.get('probe_events_duplicates_total'), stats.duplicated);
    assert.equal(metrics.get('probe_wrong_appid_total'), stats.foreign);
    // Posts still fail while the scrape runs: errors are between the count before and after.
    const errors = metrics.get('probe_event_post_errors_total') ?? -1;
    assert.ok(errors >= failedBefore - 1 && errors <= failedAfter, `${errors} post errors`);
    assert.equal(metrics.get('probe_events_late_total'), 0);
    assert.equal(metrics.get('probe_malformed_messages_total'), undefined);
  });

  test('the latency gauge and histogram read the hold', () => {
    const latency = metrics.get('probe_event_latency') ?? -1;
    assert.ok(latency >= HOLD_S && latency < HOLD_S + 0.5, `latency ${latency}`);
    const count = metrics.get('probe_event_latency_seconds_count');
    assert.equal(count, metrics.get('probe_events_received_total'));
    assert.equal(metrics.get('probe_event_latency_seconds_bucket{le="0.25"}'), 0);
    assert.equal(metrics.get('probe_event_latency_seconds_bucket{le="1"}'), count);
  });

  test('the missing shares read the drop rate', () => {
    const { accepted, dropped } = stack.collector.stats;
    const expected = (100 * dropped) / accepted;
    for (const window of ['1m', '3m', '10m']) {
      const share = metrics.get(`probe_events_missing_${window}_share`) ?? -1;
      assert.ok(Math.abs(share - expected) < 1e-9, `${window}: ${share} vs ${expected}`);
    }
  });

  test('listeners are configured and connected', () => {
    assert.equal(metrics.get('probe_event_listeners_count'), 2);
    assert.equal(metrics.get('probe_event_listeners_connected_count'), 2);
  });
});

describe('when delivery stops', () => {
  test('the shares climb within the grace and events turn lost on time, with nothing received', async () => {
    const stack = await startStack({
      POST_EVENT_INTERVAL_SECONDS: '0.05',
      MARK_EVENT_LOST_TIMEOUT_SECONDS: '1',
      CLEAN_EVENTS_INTERVAL_SECONDS: '0.1',
      MISSING_GRACE_SECONDS: '0.3',
      WEBSOCKET_LISTENERS: '1',
    });
    try {
      await waitFor(() => stack.collector.stats.emitted >= 20, 10_000, 'a healthy start');
      await sleep(400);
      const healthy = await scrape(stack.probe.port);
      assert.equal(healthy.get('probe_events_missing_1m_share'), 0);
      assert.equal(healthy.get('probe_events_lost_total'), 0);

      stack.collector.tuning.NO_EMIT_PERCENT = 100;
      const stoppedAt = Date.now();
      const received = healthy.get('probe_events_received_total') ?? 0;
      // Within grace + one tick the first undelivered event counts; the share is then above 0.
      await waitFor(
        async () =>
          ((await scrape(stack.probe.port)).get('probe_events_missing_1m_share') ?? 0) > 0,
        3_000,
        'the 1m share to climb',
      );
      const firstRise = Date.now() - stoppedAt;
      const midAt = Date.now() - stoppedAt;
      const mid = await scrape(stack.probe.port);
      await sleep(600);
      const later = await scrape(stack.probe.port);
      assert.ok(
        (later.get('probe_events_missing_1m_share') ?? 0) >
          (mid.get('probe_events_missing_1m_share') ?? 0),
        'the share keeps climbing',
      );
      assert.ok(firstRise < 300 + 1000 + 1000, `share rose after ${firstRise} ms`);
      // No event is lost before the lost timeout (1 s) has passed since the stop.
      if (midAt < 900) assert.equal(mid.get('probe_events_lost_total'), 0);
      await waitFor(
        async () => ((await scrape(stack.probe.port)).get('probe_events_lost_total') ?? 0) > 0,
        3_000,
        'events to turn lost',
      );
      const lostAt = Date.now() - stoppedAt;
      assert.ok(lostAt >= 1_000 - 100, `lost after ${lostAt} ms`);
      const end = await scrape(stack.probe.port);
      assert.ok(
        (end.get('probe_events_received_total') ?? 0) - received <= 2,
        'nothing more received',
      );
    } finally {
      await stack.stop();
    }
  });
});

describe('health', () => {
  test('ready while listening and posting; not ready once posts have failed for three intervals', async () => {
    const stack = await startStack({
      POST_EVENT_INTERVAL_SECONDS: '0.1',
      POST_TIMEOUT_SECONDS: '0.2',
      POST_EVENT_RETRIES: '0',
      MISSING_GRACE_SECONDS: '0.1',
    });
    const base = `http://127.0.0.1:${stack.probe.port}`;
    try {
      await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 5_000, 'ready');
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      stack.collector.tuning.FAIL_PERCENT = 100;
      // 3 × 0.1 s + the 0.2 s post timeout after the last success, and it says why.
      await waitFor(async () => (await fetch(`${base}/readyz`)).status === 503, 3_000, 'not ready');
      assert.match(await (await fetch(`${base}/readyz`)).text(), /no successful post in the last/);
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      stack.collector.tuning.FAIL_PERCENT = 0;
      await waitFor(
        async () => (await fetch(`${base}/readyz`)).status === 200,
        3_000,
        'ready again',
      );
    } finally {
      await stack.stop();
    }
  });
});
