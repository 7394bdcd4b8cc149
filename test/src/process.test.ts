import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startCollector } from '../../local/collector';
import { startHub } from '../../local/hub';
import { startTokenServer } from '../../local/tokenServer';
import { trackedCount } from '../../streams/eventStore';
import { run } from '../helpers/process';
import {
  DATASET,
  LOOPBACK_METRICS,
  scrape,
  sleep,
  standInUrls,
  startStack,
  waitFor,
} from '../helpers/stack';

const WEBHOOK = 'webhook-secret-0b9d77';
const CLIENT_SECRET = 'client-secret-4e21aa';

describe('the process', () => {
  test('secrets appear in no log line, metric or page; SIGTERM stops it cleanly', async () => {
    const hub = await startHub({ port: 0, token: WEBHOOK });
    const tokens = await startTokenServer({
      port: 0,
      clientId: 'probe',
      clientSecret: CLIENT_SECRET,
      expiresInSeconds: 1,
    });
    const collector = await startCollector({
      port: 0,
      publish: (dataset, json) => hub.publish(dataset, json),
      acceptBearer: (token) => tokens.isValid(token),
      tuning: { ADD_LATENCY_PERCENT: 0, NO_EMIT_PERCENT: 20 },
    });
    const probe = run({
      PROBE_WEBHOOK_TOKEN: WEBHOOK,
      PROBE_DATASET_ID: DATASET,
      ...standInUrls(hub, collector),
      KEYCLOAK_SERVER_URL: `http://127.0.0.1:${tokens.port}`,
      OKDATA_CLIENT_ID: 'probe',
      OKDATA_CLIENT_SECRET: CLIENT_SECRET,
      POST_EVENT_INTERVAL_SECONDS: '0.05',
      MARK_EVENT_LOST_TIMEOUT_SECONDS: '0.5',
      MISSING_GRACE_SECONDS: '0.2',
      CLEAN_EVENTS_INTERVAL_SECONDS: '0.1',
      RECONNECT_MIN_SECONDS: '0.05',
      ...LOOPBACK_METRICS,
      LOG_LEVEL: 'debug',
    });
    try {
      const port = await probe.port();
      // Faults that make the probe talk: a revoked token (401), failing posts, a refused and a
      // dropped subscription, bad frames.
      await sleep(500);
      tokens.revokeAll();
      collector.tuning.FAIL_PERCENT = 50;
      hub.closeAll(1006);
      hub.sendRaw(DATASET, `{"webhook_token":"${WEBHOOK}"}`);
      await sleep(1_500);
      tokens.setFailure(500);
      tokens.revokeAll();
      await sleep(1_200);
      tokens.setFailure(null);
      const pages = await Promise.all(
        ['/', '/metrics', '/healthz', '/readyz', '/status', '/status.json', '/nope'].map(
          async (path) => {
            const response = await fetch(`http://127.0.0.1:${port}${path}`);
            return `${path} ${response.status}\n${await response.text()}`;
          },
        ),
      );
      const metrics = await scrape(port);
      assert.ok((metrics.get('probe_events_received_total') ?? 0) > 10);
      assert.ok((metrics.get('probe_event_post_errors_total') ?? 0) > 0);
      assert.ok((metrics.get('probe_token_requests_total{result="error"}') ?? 0) > 0);

      probe.child.kill('SIGTERM');
      const signalledAt = Date.now();
      const { code, at } = await probe.exit;
      assert.equal(code, 0);
      assert.ok(at - signalledAt < 5_000, `stopped after ${at - signalledAt} ms`);

      const everything = [probe.output(), ...pages].join('\n');
      const secrets = [WEBHOOK, CLIENT_SECRET, ...tokens.issued];
      assert.ok(tokens.issued.length >= 3);
      for (const secret of secrets) {
        assert.ok(!everything.includes(secret), `a secret leaked: ${secret.slice(0, 4)}…`);
      }
      // The logs are JSON lines, and say what happened.
      const lines = probe.output().trim().split('\n');
      for (const line of lines) JSON.parse(line);
      for (const message of [
        'probe starting',
        'listener connected',
        'listener disconnected',
        'post failed',
        'events lost',
        'access token request failed',
        'stopped',
      ]) {
        assert.ok(
          lines.some((line) => line.includes(`"message":"${message}"`)),
          message,
        );
      }
      assert.ok(lines.some((line) => line.includes('"authMode":"bearer"')));
    } finally {
      probe.child.kill('SIGKILL');
      await Promise.all([hub.close(), tokens.close(), collector.close()]);
    }
  });

  test('a reader that closes stdout neither stops nor spins the probe', {
    timeout: 20_000,
  }, async () => {
    const hub = await startHub({ port: 0, token: WEBHOOK });
    const collector = await startCollector({
      port: 0,
      publish: (dataset, json) => hub.publish(dataset, json),
    });
    const probe = run({
      PROBE_WEBHOOK_TOKEN: WEBHOOK,
      PROBE_DATASET_ID: DATASET,
      ...standInUrls(hub, collector),
      POST_EVENT_INTERVAL_SECONDS: '0.05',
      ...LOOPBACK_METRICS,
      LOG_LEVEL: 'debug', // a line per event: every one of them now fails to be written
    });
    try {
      const port = await probe.port();
      probe.child.stdout?.destroy(); // like `| head -c 100` going away
      await sleep(500);
      const before = await scrape(port);
      await sleep(1_000);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      const later = await scrape(port);
      const delta = (name: string) => (later.get(name) ?? 0) - (before.get(name) ?? 0);
      assert.ok(delta('probe_events_posted_total') >= 10, 'posting goes on');
      assert.ok(
        delta('process_cpu_seconds_total') < 0.5,
        `CPU ${delta('process_cpu_seconds_total')} s in 1 s`,
      );
      assert.ok(delta('probe_log_lines_dropped_total') > 10, 'dropped lines are counted');
      probe.child.kill('SIGTERM');
      const signalledAt = Date.now();
      const { code, at } = await probe.exit;
      assert.equal(code, 0);
      assert.ok(at - signalledAt < 2_000, `stopped after ${at - signalledAt} ms`);
    } finally {
      probe.child.kill('SIGKILL');
      await Promise.all([hub.close(), collector.close()]);
    }
  });

  test('SIGINT stops it too, even with the subscription unreachable; SIGHUP reloads instead', async () => {
    for (const signal of ['SIGINT', 'SIGHUP'] as const) {
      const probe = run({
        PROBE_WEBHOOK_TOKEN: WEBHOOK,
        PROBE_DATASET_ID: DATASET,
        WEBSOCKET_URL: 'ws://127.0.0.1:9',
        EVENT_COLLECTOR_URL: 'http://127.0.0.1:9',
        ...LOOPBACK_METRICS,
      });
      try {
        const port = await probe.port();
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        assert.equal(health.status, 200);
        probe.child.kill(signal);
        if (signal === 'SIGHUP') {
          // One target from the variables: nothing to reload, and the probe goes on.
          await waitFor(() => /nothing to reload/.test(probe.output()), 5_000, 'the reload');
          assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
          assert.equal(probe.child.exitCode, null);
          probe.child.kill('SIGTERM');
        }
        const { code } = await probe.exit;
        assert.equal(code, 0);
        assert.match(probe.output(), new RegExp(`"signal":"${signal}"`));
      } finally {
        probe.child.kill('SIGKILL');
      }
    }
  });
});

describe('memory is bounded by the purge timeout', () => {
  test('every event lost at a high rate, and a flood of unknown and foreign receipts', async () => {
    const stack = await startStack(
      {
        POST_EVENT_INTERVAL_SECONDS: '0.002',
        MARK_EVENT_LOST_TIMEOUT_SECONDS: '0.2',
        PURGE_EVENT_TIMEOUT_SECONDS: '0.4',
        CLEAN_EVENTS_INTERVAL_SECONDS: '0.1',
        MISSING_GRACE_SECONDS: '0.1',
        WEBSOCKET_LISTENERS: '1',
      },
      { NO_EMIT_PERCENT: 100 },
    );
    try {
      await waitFor(() => (stack.probe.state()?.totals.purged ?? 0) > 300, 10_000, 'purges');
      const appId = stack.probe.appId;
      let most = 0;
      for (let round = 0; round < 10; round++) {
        for (let i = 0; i < 2_000; i++) {
          stack.hub.sendRaw(
            DATASET,
            `{"app_id":"${appId}","seqno":${10_000_000 + round * 2_000 + i}}`,
          );
          stack.hub.sendRaw(DATASET, `{"app_id":"other${i}","seqno":${round * 2_000 + i}}`);
        }
        await sleep(100);
        const state = stack.probe.state();
        if (state) most = Math.max(most, trackedCount(state), state.events.length - state.head);
      }
      const state = stack.probe.state();
      assert.ok(state);
      // 500 posts/s kept for 0.4 s plus one clean interval, with room for a slow loop.
      assert.ok(most < 1_000, `${most} events held`);
      assert.ok(
        state.events.length <= 2 * trackedCount(state) + 1_100,
        `${state.events.length} slots`,
      );
      assert.ok(state.foreign.size <= 1_024);
      assert.ok(state.totals.unknownSeqno >= 19_000);
      assert.ok(state.totals.lost > 300, JSON.stringify(state.totals));
      assert.equal(state.totals.received, 0);
    } finally {
      await stack.stop();
    }
  });
});
