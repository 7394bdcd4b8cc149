import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loadConfig';
import { silentLogger } from '../../src/logs/logger';
import { startProbe } from '../../src/probe';
import type { TargetSpec } from '../../src/targets/runTarget';
import { ROOT } from '../helpers/process';
import { startPrometheus } from '../helpers/prometheus';
import {
  LOOPBACK_METRICS,
  standInUrls,
  startStandIns,
  WEBHOOK_TOKEN,
  waitFor,
} from '../helpers/stack';
import { tool } from '../helpers/tools';

const prometheus = tool('prometheus');

/**
 * Two targets in one probe, scraped by a real Prometheus with the shipped rules: the series
 * and the SLI are per target, and one target's broken pipeline shows on it alone.
 */
test('a real Prometheus sees two targets apart: one broken, the other clean', {
  skip: prometheus.skip,
  timeout: 90_000,
}, async () => {
  const { hub, collector } = await startStandIns();
  const spec = (id: string): TargetSpec => ({
    id,
    labels: {},
    config: loadConfig({
      PROBE_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      PROBE_DATASET_ID: id,
      ...standInUrls(hub, collector),
      POST_EVENT_INTERVAL_SECONDS: '0.2',
      LATENCY_OBJECTIVE_SECONDS: '0.5',
      MARK_EVENT_LOST_TIMEOUT_SECONDS: '2',
      MISSING_GRACE_SECONDS: '0.3',
      CLEAN_EVENTS_INTERVAL_SECONDS: '0.5',
      ...LOOPBACK_METRICS,
    }),
  });
  // The broken target's events are taken and never delivered.
  await fetch(`http://127.0.0.1:${collector.port}/config/?dataset=broken&NO_EMIT_PERCENT=100`);
  const probe = await startProbe(spec('clean').config, silentLogger, {
    initial: [spec('clean'), spec('broken')],
  });
  const server = await startPrometheus(prometheus.path as string, probe.port, {
    job: 'dataplatform-probe',
    ruleFiles: [join(ROOT, 'deploy', 'prometheus', 'alerts.yaml')],
  });
  try {
    const value = async (expr: string): Promise<Map<string, number>> => {
      const answer = (await server.query(expr)).data.result as Array<{
        metric: Record<string, string>;
        value: [number, string];
      }>;
      return new Map(answer.map(({ metric, value: v }) => [metric.target ?? '', Number(v[1])]));
    };
    let ratio = new Map<string, number>();
    await waitFor(
      async () => {
        ratio = await value('probe:sli_error_ratio:rate5m');
        return (ratio.get('broken') ?? 0) > 0.9 && ratio.has('clean');
      },
      60_000,
      () => `the SLI per target: ${JSON.stringify([...ratio])}`,
    );
    assert.equal(ratio.get('clean'), 0, 'the clean target spends no budget');
    const posted = await value('sum by (target) (probe_events_posted_total)');
    assert.deepEqual([...posted.keys()].sort(), ['broken', 'clean']);
    const received = await value('sum by (target) (probe_events_received_total)');
    assert.equal(received.get('broken'), 0);
    assert.ok((received.get('clean') ?? 0) > 10);
    const info = await value('probe_target_info');
    assert.deepEqual([...info.keys()].sort(), ['broken', 'clean']);
  } finally {
    await server.stop();
    await probe.stop();
  }
});
