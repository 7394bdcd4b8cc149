import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { WebSocketServer } from 'ws';
import { startCollector } from '../../../local/collector';
import { loadConfig } from '../../../src/config/loadConfig';
import { silentLogger } from '../../../src/logs/logger';
import { type ReloadOutcome, startProbe } from '../../../src/probe';
import type { TargetSpec } from '../../../src/targets/runTarget';
import {
  LOOPBACK_METRICS,
  scrapeTargets,
  sleep,
  standInUrls,
  startStandIns,
  WEBHOOK_TOKEN,
  waitFor,
} from '../../helpers/stack';

/**
 * Many targets in one process, against real stand-ins on loopback: each target's books are
 * its own, a reload is applied by id, and every series says which target it is.
 */
const FAST = {
  PROBE_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
  POST_EVENT_INTERVAL_SECONDS: '0.05',
  POST_EVENT_RETRIES: '0',
  POST_TIMEOUT_SECONDS: '0.3',
  MARK_EVENT_LOST_TIMEOUT_SECONDS: '0.6',
  CLEAN_EVENTS_INTERVAL_SECONDS: '0.1',
  MISSING_GRACE_SECONDS: '0.2',
  RECONNECT_MIN_SECONDS: '0.05',
  RECONNECT_MAX_SECONDS: '0.4',
  LISTENER_STAGGER_SECONDS: '0.05',
  RELOAD_ENDPOINT_ENABLED: 'true',
  ...LOOPBACK_METRICS,
};

const spec = (id: string, env: Record<string, string>, labels = {}): TargetSpec => ({
  id,
  labels,
  config: loadConfig({ ...FAST, PROBE_DATASET_ID: id, ...env }),
});

describe('many targets in one process', { concurrency: false, timeout: 60_000 }, () => {
  test("one target's hanging collector and kicking hub leave the other's books exact", async () => {
    const good = await startStandIns();
    const kicking = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => kicking.once('listening', resolve));
    kicking.on('connection', (ws) => ws.close(1008, 'go away'));
    after(() => new Promise((resolve) => kicking.close(resolve)));
    const bad = await startStandIns();
    bad.collector.tuning.HANG_PERCENT = 100;
    const url = (port: number) => `ws://127.0.0.1:${port}`;
    const healthy = spec('healthy', {
      WEBSOCKET_URL: url(good.hub.port),
      EVENT_COLLECTOR_URL: `http://127.0.0.1:${good.collector.port}`,
    });
    const broken = spec('broken', {
      WEBSOCKET_URL: url((kicking.address() as { port: number }).port),
      EVENT_COLLECTOR_URL: `http://127.0.0.1:${bad.collector.port}`,
    });
    const probe = await startProbe(healthy.config, silentLogger, { initial: [healthy, broken] });
    try {
      await sleep(3_000);
      good.collector.tuning.FAIL_PERCENT = 100; // nothing more is taken: let the books settle
      await sleep(1_500);
      const series = await scrapeTargets(probe.port);
      const ok = series.get('healthy');
      assert.ok(ok, 'the healthy target has series');
      const taken = good.collector.stats.events.size;
      assert.ok(taken > 20, `${taken} events taken`);
      assert.equal(ok.get('probe_events_posted_total'), taken);
      assert.equal(ok.get('probe_events_received_total'), taken);
      assert.equal(ok.get('probe_events_lost_total'), 0);
      assert.equal(ok.get('probe_events_in_flight'), 0);
      // Its listeners were never dropped: no reconnect of any cause.
      const own = [...ok.entries()].filter(([k]) =>
        k.startsWith('probe_listener_reconnects_total'),
      );
      assert.deepEqual(
        own.filter(([, v]) => v > 0),
        [],
      );
      // The broken one fails on its own: post errors and reconnects are its, not the other's.
      const failing = series.get('broken');
      assert.ok((failing?.get('probe_event_post_errors_total') ?? 0) > 0);
      assert.equal(failing?.get('probe_events_posted_total'), 0);
      const reconnects = [...(failing ?? new Map()).entries()].filter(([k]) =>
        k.startsWith('probe_listener_reconnects_total'),
      );
      assert.ok(
        reconnects.some(([, v]) => v > 0),
        'the kicked listeners reconnect',
      );
    } finally {
      await probe.stop();
    }
  });

  test('a reload is applied by id: unchanged targets keep their state and connections', async () => {
    const { hub, collector } = await startStandIns();
    const env = {
      ...standInUrls(hub, collector),
    };
    let next: { targets: TargetSpec[] } | { problems: string[] } = { targets: [] };
    const a = spec('a', env, { team: 'data' });
    const b = spec('b', env);
    const c = spec('c', env);
    const probe = await startProbe(a.config, silentLogger, {
      initial: [a, b, c],
      load: async () => next,
    });
    try {
      await waitFor(() => hub.subscribers('c') === 2, 5_000, 'c connected');
      await sleep(500);
      const before = probe.targets();
      const appA = before.get('a')?.appId;
      const appB = before.get('b')?.appId;
      const connections = hub.stats.connections;
      const postedA = before.get('a')?.state?.totals.posted ?? 0;
      assert.ok(postedA > 0);

      // b changes (another interval), c goes, d comes, a stays as it is.
      next = {
        targets: [
          spec('a', env, { team: 'data' }),
          spec('b', { ...env, POST_EVENT_INTERVAL_SECONDS: '0.1' }),
          spec('d', env),
        ],
      };
      const outcome: ReloadOutcome = await probe.reload();
      assert.deepEqual(outcome, { ok: true, added: 1, removed: 1, changed: 1 });
      const now = probe.targets();
      assert.deepEqual([...now.keys()].sort(), ['a', 'b', 'd']);
      assert.equal(now.get('a')?.appId, appA, 'a kept its pipeline');
      assert.notEqual(now.get('b')?.appId, appB, 'b restarted');
      assert.ok((now.get('a')?.state?.totals.posted ?? 0) >= postedA, 'a kept its counts');
      await waitFor(() => hub.subscribers('d') === 2, 5_000, 'd connected');
      await waitFor(() => hub.subscribers('c') === 0, 5_000, 'c closed');
      // Only b (restarted) and d (added) opened connections: two listeners each.
      assert.equal(hub.stats.connections - connections, 4);
      assert.equal(hub.subscribers('a'), 2);

      const series = await scrapeTargets(probe.port);
      assert.deepEqual([...series.keys()].filter((t) => t !== '').sort(), ['a', 'b', 'd']);
      const process = series.get('') ?? new Map();
      assert.equal(process.get('probe_targets_configured'), 3);
      assert.equal(process.get('probe_config_last_reload_successful'), 1);
      assert.equal(
        series
          .get('a')
          ?.get('probe_target_info{dataset="a",version="1",environment="prod",team="data"}'),
        1,
      );

      // A bad load changes nothing, and says so.
      next = { problems: ['targets.yaml:3: target "x": datasetId: is required'] };
      const refused = await probe.reload();
      assert.equal(refused.ok, false);
      assert.deepEqual([...probe.targets().keys()].sort(), ['a', 'b', 'd']);
      const afterBad = await scrapeTargets(probe.port);
      assert.equal(afterBad.get('')?.get('probe_config_last_reload_successful'), 0);
      const answer = await fetch(`http://127.0.0.1:${probe.port}/-/reload`, { method: 'POST' });
      assert.equal(answer.status, 400);
      assert.match(await answer.text(), /datasetId: is required/);
    } finally {
      await probe.stop();
    }
  });
});

test('the collector stand-in can break one dataset while the others flow', async () => {
  const published: string[] = [];
  const collector = await startCollector({
    port: 0,
    publish: (dataset) => published.push(dataset),
    tuning: { ADD_LATENCY_PERCENT: 0, NO_EMIT_PERCENT: 0 },
  });
  try {
    const base = `http://127.0.0.1:${collector.port}`;
    const tuned = await fetch(`${base}/config/?dataset=b&NO_EMIT_PERCENT=100`);
    assert.equal(((await tuned.json()) as { NO_EMIT_PERCENT: number }).NO_EMIT_PERCENT, 100);
    for (const dataset of ['a', 'b', 'c']) {
      const answer = await fetch(`${base}/event/${dataset}/1`, {
        method: 'POST',
        body: '{"app_id":"abcd1234","seqno":1}',
      });
      assert.equal(answer.status, 200);
    }
    assert.deepEqual(published, ['a', 'c']);
  } finally {
    await collector.close();
  }
});
