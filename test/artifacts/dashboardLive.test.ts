import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { panelQueries, readDashboard } from '../helpers/dashboard';
import { tempDir, writeFiles } from '../helpers/files';
import { run } from '../helpers/process';
import { startPrometheus } from '../helpers/prometheus';
import {
  LOOPBACK_METRICS,
  standInUrls,
  startStandIns,
  WEBHOOK_TOKEN,
  waitFor,
} from '../helpers/stack';
import { tool } from '../helpers/tools';

/**
 * Every query of the shipped Grafana dashboard (local/grafana/dashboards/probe.json), run by a
 * live Prometheus (Debian's) scraping the probe as a process every second, with the shipped
 * rules: each answers without error and with data, for one target and for several from a
 * targets file. The panels are what people read during an incident; a query that errors, or
 * answers nothing, is a blank panel then.
 */
const RULES = join(__dirname, '..', '..', '..', 'deploy', 'prometheus', 'alerts.yaml');
const prometheus = tool('prometheus');

interface Sample {
  metric: Record<string, string>;
}
interface Answer {
  status: string;
  error?: string;
  data?: { result: Sample[] };
}

/** Stand-ins that fail now and then, so that every series a panel reads has moved. */
async function faultyStandIns() {
  const { hub, collector } = await startStandIns();
  Object.assign(collector.tuning, {
    FAIL_PERCENT: 20,
    DUPLICATE_PERCENT: 10,
    FOREIGN_PERCENT: 10,
    NO_EMIT_PERCENT: 10,
    ADD_LATENCY_PERCENT: 20,
    LATENCY_RANGE_MAX: 0.5,
  });
  return { hub, collector };
}

/**
 * Runs every panel's query until each answers with data for every one of `targets` (or
 * until the deadline), then holds them to it: no error, data, the targets told apart, and a
 * quantile's lines are per target (and what else its `sum by` keeps), never per series.
 */
async function assertEveryPanelAnswers(
  query: (expr: string) => Promise<Answer>,
  targets: readonly string[],
) {
  const queries = panelQueries('.+');
  assert.ok(queries.length >= 40, `${queries.length} queries`);
  for (const { expr } of queries) assert.doesNotMatch(expr, /\$/, `a variable left in ${expr}`);
  const answers = new Map<string, Answer>();
  const shortfall = (expr: string): string | undefined => {
    const answer = answers.get(expr);
    if (answer?.status !== 'success') return `error: ${answer?.error}`;
    const result = answer.data?.result ?? [];
    if (result.length === 0) return 'no data';
    if (expr.includes('target=~')) {
      const seen = new Set(result.map((sample) => sample.metric.target));
      const missing = targets.filter((id) => !seen.has(id));
      if (missing.length > 0) return `no data for ${missing.join(', ')}`;
    }
    return undefined;
  };
  const problems = () =>
    queries
      .map(({ panel, refId, expr }) => [`${panel} ${refId}: ${expr}`, shortfall(expr)])
      .filter(([, problem]) => problem !== undefined)
      .map(([what, problem]) => `${what}: ${problem}`);
  await waitFor(
    async () => {
      for (const { expr } of queries) answers.set(expr, await query(expr));
      return problems().length === 0;
    },
    45_000,
    () => `every panel with data:\n${problems().join('\n')}`,
  );
  for (const { panel, expr } of queries) {
    const by = /histogram_quantile\([^,]+,\s*sum by \(([^)]*)\)/.exec(expr);
    if (!by && !expr.includes('histogram_quantile')) continue;
    const kept = (by?.[1] ?? '')
      .split(',')
      .map((label) => label.trim())
      .filter((label) => label !== 'le')
      .sort();
    for (const sample of answers.get(expr)?.data?.result ?? []) {
      assert.deepEqual(Object.keys(sample.metric).sort(), kept, `${panel}: ${expr}`);
    }
  }
  // The annotation of alerts: answers (with data only while an alert fires).
  for (const annotation of (readDashboard() as { annotations?: { list: { expr?: string }[] } })
    .annotations?.list ?? []) {
    if (annotation.expr) assert.equal((await query(annotation.expr)).status, 'success');
  }
}

describe('the Grafana dashboard against a live Prometheus', {
  skip: prometheus.skip,
  timeout: 120_000,
}, () => {
  const cases = [
    { name: 'one target from the variables', targets: ['probe-test'], file: false },
    {
      name: 'several targets from a targets file',
      targets: ['orders', 'payments', 'x-3'],
      file: true,
    },
  ];
  for (const { name, targets, file } of cases) {
    test(`every panel's query answers with data: ${name}`, async () => {
      const { hub, collector } = await faultyStandIns();
      const env: Record<string, string> = {
        HOOK: WEBHOOK_TOKEN,
        ...standInUrls(hub, collector),
        ...LOOPBACK_METRICS,
        LISTENER_STAGGER_SECONDS: '0.05',
      };
      if (file) {
        const dir = writeFiles(tempDir(), {
          'targets.yaml': [
            'defaults:',
            '  postEventIntervalSeconds: 0.2',
            '  webhookToken: {env: HOOK}',
            'targets:',
            ...targets.map((id) => `  - {id: ${id}, datasetId: ${id}}`),
            '',
          ].join('\n'),
        });
        env.PROBE_TARGETS_FILE = join(dir, 'targets.yaml');
      } else {
        Object.assign(env, {
          PROBE_DATASET_ID: targets[0],
          PROBE_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
          POST_EVENT_INTERVAL_SECONDS: '0.2',
        });
      }
      const probe = run(env);
      after(() => probe.child.kill('SIGKILL'));
      const port = await probe.port();
      const server = await startPrometheus(prometheus.path as string, port, {
        ruleFiles: [RULES],
        features: ['exemplar-storage'],
      });
      after(() => server.stop());
      // Reconnects are counted once they happen: the hub drops every listener once.
      await waitFor(() => targets.every((id) => hub.subscribers(id) >= 1), 10_000, 'listeners');
      hub.closeAll();
      // The target variable's query (label_values(probe_info, target)) lists them all.
      const values = await server.api<string[]>(
        `/api/v1/label/target/values?match[]=${encodeURIComponent('probe_info')}`,
      );
      assert.deepEqual([...values].sort(), [...targets].sort());
      await assertEveryPanelAnswers(
        (expr) => server.query(expr) as unknown as Promise<Answer>,
        targets,
      );
    });
  }
});
