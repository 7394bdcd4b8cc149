import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scrape, sleep, startStack, waitFor } from '../helpers/stack';

describe('the probe when the collector fails', () => {
  test('persistent 500s are post errors after exactly the retries, never lost or missing', async () => {
    const stack = await startStack(
      {
        POST_EVENT_INTERVAL_SECONDS: '0.1',
        POST_EVENT_RETRIES: '2',
        POST_RETRY_MAX_DELAY_SECONDS: '0.01',
        MARK_EVENT_LOST_TIMEOUT_SECONDS: '0.5',
        CLEAN_EVENTS_INTERVAL_SECONDS: '0.1',
        MISSING_GRACE_SECONDS: '0.1',
      },
      { FAIL_PERCENT: 100 },
    );
    try {
      await waitFor(
        () => (stack.probe.state()?.totals.postErrors ?? 0) >= 8,
        10_000,
        'post errors',
      );
      await sleep(700); // past the lost timeout of the first failures
      // Posts go on failing during the scrape: count requests on both sides of it. Each failed
      // post was tried 1 + 2 times; posts still running account for the rest.
      const before = stack.collector.stats.requests.length;
      const metrics = await scrape(stack.probe.port);
      const after = stack.collector.stats.requests.length;
      const errors = metrics.get('probe_event_post_errors_total') ?? 0;
      const inProgress = metrics.get('probe_posts_in_progress') ?? 0;
      assert.ok(
        after >= 3 * errors && before <= 3 * (errors + inProgress),
        `${before}…${after} requests, ${errors} errors, ${inProgress} in progress`,
      );
      const retries = metrics.get('probe_event_post_retries_total') ?? -1;
      assert.ok(
        retries >= 2 * errors && retries <= 2 * (errors + inProgress),
        `${retries} retries`,
      );
      assert.equal(metrics.get('probe_events_posted_total'), 0);
      assert.equal(metrics.get('probe_events_lost_total'), 0);
      assert.equal(metrics.get('probe_events_missing_1m_share'), 0);
      assert.equal(metrics.get('probe_event_post_duration_seconds_count{result="error"}'), errors);
    } finally {
      await stack.stop();
    }
  });

  test('a hanging collector times out while the schedule keeps its rate', async () => {
    const stack = await startStack(
      {
        POST_EVENT_INTERVAL_SECONDS: '0.05',
        POST_EVENT_RETRIES: '0',
        POST_TIMEOUT_SECONDS: '0.3',
      },
      { HANG_PERCENT: 100 },
    );
    try {
      await waitFor(() => (stack.probe.state()?.nextSeqno ?? 0) > 1, 5_000, 'the first post');
      const startedAt = Date.now();
      const first = stack.probe.state()?.nextSeqno ?? 0;
      await sleep(1_500);
      const elapsed = Date.now() - startedAt;
      const state = stack.probe.state();
      const started = (state?.nextSeqno ?? 0) - first;
      // Posts leave on schedule although none is ever answered: about elapsed / 50 ms.
      assert.ok(started >= Math.floor(elapsed / 50) - 3, `${started} posts in ${elapsed} ms`);
      assert.ok((state?.totals.postErrors ?? 0) >= started - 10, 'hung posts time out');
      assert.ok((state?.postsRunning ?? 99) <= 10, 'posts in flight stay bounded by the timeout');
      assert.equal(state?.totals.lost, 0);
    } finally {
      await stack.stop();
    }
  });

  test('bearer mode end to end: posts carry tokens from the grant, renewed without a failure', async () => {
    const stack = await startStack(
      { POST_EVENT_INTERVAL_SECONDS: '0.05', MISSING_GRACE_SECONDS: '0.2' },
      {},
      1,
      { bearer: true },
    );
    try {
      await sleep(3_000); // tokens live 2 s: at least one renewal
      const metrics = await scrape(stack.probe.port);
      assert.equal(metrics.get('probe_event_post_errors_total'), 0);
      assert.ok((metrics.get('probe_events_received_total') ?? 0) >= 40);
      assert.ok((stack.tokens?.issued.length ?? 0) >= 2 && (stack.tokens?.issued.length ?? 0) <= 4);
      assert.equal(
        metrics.get('probe_token_requests_total{result="ok"}'),
        stack.tokens?.issued.length,
      );
      assert.equal(
        metrics.get(
          'probe_info{app_id="' +
            stack.probe.appId +
            '",dataset="probe-test",version="1",probe_version="0.1.0",auth_mode="bearer"}',
        ),
        1,
      );
      assert.ok(stack.collector.stats.requests.every((r) => r.auth === 'bearer'));
    } finally {
      await stack.stop();
    }
  });
});
