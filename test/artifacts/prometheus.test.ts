import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { dashboardQueries, readDashboard, unfiltered } from '../helpers/dashboard';
import { startPrometheus } from '../helpers/prometheus';
import { type Stack, sleep, startStack, waitFor } from '../helpers/stack';
import { tool } from '../helpers/tools';

const promtool = tool('promtool');
const prometheus = tool('prometheus');

/** Every query the existing dashboards run, and the histogram percentile. */
export const DASHBOARD_QUERIES = [
  'probe_event_latency',
  'avg_over_time(probe_event_latency[10m])',
  'max_over_time(probe_event_latency[10m])',
  'quantile_over_time(0.90, probe_event_latency[10m])',
  'probe_events_posted_total',
  'probe_events_received_total',
  'probe_events_lost_total',
  'rate(probe_events_posted_total[1m]) * 60',
  'rate(probe_events_received_total[3m]) * 60',
  'increase(probe_events_lost_total[10m])',
  'probe_events_missing_1m_share',
  'probe_events_missing_3m_share',
  'probe_events_missing_10m_share',
  'probe_event_listeners_count',
  'probe_event_listeners_connected_count',
  'histogram_quantile(0.99, sum by (target, le) (rate(probe_event_latency_seconds_bucket[1m])))',
];

test('the Grafana dashboard runs every query the existing dashboards run', () => {
  // With the target filter taken out: the dashboard shows the selected targets of each.
  const queries = readDashboard().panels.flatMap((p) =>
    (p.targets ?? []).map((t) => unfiltered(t.expr)),
  );
  for (const expr of DASHBOARD_QUERIES) assert.ok(queries.includes(expr), expr);
});

describe('the exposition in the Prometheus ecosystem', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack(
      { POST_EVENT_INTERVAL_SECONDS: '0.1', MISSING_GRACE_SECONDS: '0.2' },
      {
        NO_EMIT_PERCENT: 10,
        ADD_LATENCY_PERCENT: 50,
        LATENCY_RANGE_MIN: 0.01,
        LATENCY_RANGE_MAX: 0.1,
      },
    );
    await waitFor(() => (stack.probe.state()?.totals.received ?? 0) >= 5, 10_000, 'receipts');
  });
  after(() => stack.stop());

  test('passes promtool check metrics, on / and on /metrics', { skip: promtool.skip }, async () => {
    for (const path of ['/', '/metrics']) {
      const text = await (await fetch(`http://127.0.0.1:${stack.probe.port}${path}`)).text();
      const result = spawnSync(promtool.path as string, ['check', 'metrics'], {
        input: text,
        encoding: 'utf8',
      });
      const problems = `${result.stdout}${result.stderr}`.trim().split('\n').filter(Boolean);
      // The two listener gauges keep the `_count` names existing dashboards query; promtool's
      // lint (exit 3) flags exactly those and nothing else. A parse error would exit 1.
      const fixedNames = problems.filter((line) =>
        /^probe_event_listeners(_connected)?_count non-histogram and non-summary metrics should not have "_count" suffix$/.test(
          line,
        ),
      );
      assert.deepEqual(problems, fixedNames, `${path}: unexpected promtool findings`);
      assert.equal(fixedNames.length, 2);
      assert.equal(result.status, 3, 'lint findings only, no parse error');
    }
  });

  test('a real Prometheus scraping / answers every dashboard query with data', {
    skip: prometheus.skip,
    timeout: 60_000,
  }, async () => {
    const server = await startPrometheus(prometheus.path as string, stack.probe.port);
    const { query } = server;
    try {
      await waitFor(
        async () =>
          (await query(DASHBOARD_QUERIES[DASHBOARD_QUERIES.length - 1])).data.result.length > 0,
        20_000,
        'a rate over two scrapes',
      );
      await sleep(1_500);
      for (const expr of DASHBOARD_QUERIES) {
        const body = await query(expr);
        assert.equal(body.status, 'success', expr);
        assert.ok(body.data.result.length > 0, `no data for ${expr}`);
      }
      // The provisioned dashboard's own queries are valid PromQL against the real series.
      for (const expr of dashboardQueries()) {
        assert.equal((await query(expr)).status, 'success', expr);
      }
    } finally {
      await server.stop();
    }
  });
});
