import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { M, stopsAt } from '../helpers/alertScenarios';
import { dashboardQueries, readDashboard, TARGET_FILTER } from '../helpers/dashboard';
import { type Story, scraped } from '../helpers/probeModel';
import { promtoolTest } from '../helpers/promtool';
import { tool } from '../helpers/tools';

/**
 * The Grafana dashboard (local/grafana/dashboards/probe.json) shows many targets: a `target`
 * variable every per-target query filters on, and an overview of all targets at the top. Its
 * queries are run by promtool on the probe model with four targets, as Grafana sends them.
 */
const RULES = join(__dirname, '..', '..', '..', 'deploy', 'prometheus', 'alerts.yaml');
const PROMTOOL = tool('promtool');
/** Series about the process or the objective, not a target: they carry no `target`. */
const NOT_PER_TARGET = new Set([
  'probe:slo_error_budget:ratio',
  'probe_targets_configured',
  'probe_targets_owned',
  'probe_shard_info',
  'probe_config_last_reload_successful',
  'probe_config_last_reload_success_timestamp_seconds',
]);
/** The series a query selects: each name, with its matchers if any. */
const selectors = (expr: string) =>
  [...expr.matchAll(/\b(probe[_:][a-zA-Z0-9_:]*|ALERTS)(\{[^}]*\})?(?![a-zA-Z0-9_:(])/g)].map(
    ([, name, matchers]) => ({ name, matchers: matchers ?? '' }),
  );

const T = 20 * M;
/** At T a stops delivering, b's collector refuses posts and its listeners drop, c slows. */
const STORY: Story = {
  seconds: T + 10 * M,
  targets: {
    a: { delay: stopsAt(T) },
    b: { postFails: (t) => t >= T, connected: (t) => (t >= T ? 0 : 2) },
    c: { delay: (t) => (t >= T ? 45 : 0.2) },
    d: {},
  },
};

describe('the Grafana dashboard, per target', () => {
  const dashboard = readDashboard();
  const queried = dashboard.panels.filter((panel) => panel.type !== 'row');

  test('a target variable: the targets of probe_info, several or all at once', () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'target');
    assert.ok(variable, 'no target variable');
    assert.equal(variable.type, 'query');
    assert.equal(variable.query, 'label_values(probe_info, target)');
    assert.equal(variable.multi, true);
    assert.equal(variable.includeAll, true);
    // All as one regex, not every id joined: with hundreds of targets the query stays short.
    assert.equal(variable.allValue, '.+');
  });

  test('every per-target series of every panel is filtered by the variable, and told apart by target', () => {
    for (const panel of queried) {
      assert.ok(panel.targets?.length, `${panel.title}: no query`);
      for (const { expr, legendFormat } of panel.targets ?? []) {
        const perTarget = selectors(expr).filter((s) => !NOT_PER_TARGET.has(s.name));
        for (const { name, matchers } of perTarget) {
          assert.ok(matchers.includes(TARGET_FILTER), `${panel.title}: ${name} in ${expr}`);
        }
        // Aggregations keep `target`, so two selected targets are two lines, never one sum.
        for (const by of expr.matchAll(/\b(?:sum|max|min|count|avg) by \(([^)]*)\)/g)) {
          assert.match(by[1], /\btarget\b/, `${panel.title}: ${expr}`);
        }
        if (perTarget.length && panel.type !== 'table') {
          assert.match(legendFormat ?? '', /\{\{target\}\}/, `${panel.title}: ${expr}`);
        }
      }
    }
  });

  test('every histogram quantile sums its buckets by le, keeping target: one line per target, not per pod', () => {
    for (const panel of queried) {
      for (const { expr } of panel.targets ?? []) {
        for (const quantile of expr.matchAll(
          /histogram_quantile\(\s*[\d.]+\s*,\s*(?:sum by \(([^)]*)\))?/g,
        )) {
          assert.ok(
            quantile[1] !== undefined,
            `${panel.title}: the buckets are not summed in ${expr}`,
          );
          const labels = quantile[1].split(',').map((label) => label.trim());
          assert.ok(labels.includes('le') && labels.includes('target'), `${panel.title}: ${expr}`);
        }
      }
    }
  });

  test('the overview of all targets comes first: missing shares, p99, listeners, failed posts, alerts', () => {
    const [row, ...rest] = [...dashboard.panels].sort(
      (p, q) => p.gridPos.y - q.gridPos.y || p.gridPos.x - q.gridPos.x,
    );
    assert.equal(row.type, 'row');
    assert.equal(row.gridPos.y, 0);
    const nextRow = rest.find((panel) => panel.type === 'row');
    const overview = rest.slice(0, nextRow ? rest.indexOf(nextRow) : undefined);
    const table = overview.find((panel) => panel.type === 'table');
    assert.ok(table, 'no table of targets in the first row');
    const exprs = (table.targets ?? []).map((t) => t.expr).join('\n');
    for (const series of [
      'probe_events_missing_1m_share',
      'probe_events_missing_10m_share',
      'probe_event_latency_seconds_bucket',
      'probe_event_listeners_connected_count',
      'probe_event_post_errors_total',
      'ALERTS',
    ]) {
      assert.ok(exprs.includes(series), series);
    }
  });

  test('promtool: each query selecting one target answers only for it', {
    skip: PROMTOOL.skip,
  }, () => {
    // A query answers once every series it names exists: the model's, or a recorded one.
    const modelled = new Set(scraped(STORY, 60).map((s) => s.series.replace(/\{.*/, '')));
    for (const m of readFileSync(RULES, 'utf8').matchAll(/- record: (\S+)/g)) modelled.add(m[1]);
    const exprTests = dashboardQueries('a')
      .filter((expr, i) => dashboardQueries('§')[i] !== expr)
      .map((expr) => ({
        at: STORY.seconds,
        expr: `count by (target) (${expr})`,
        samples: selectors(expr).every((s) => s.name === 'ALERTS' || modelled.has(s.name))
          ? [{ labels: '{target="a"}', value: 1 }]
          : [],
      }));
    assert.ok(exprTests.filter((t) => t.samples.length).length >= 25);
    const failure = promtoolTest(PROMTOOL.path as string, RULES, [
      { name: 'one target selected', story: STORY, step: 15, exprTests },
    ]);
    assert.equal(failure, undefined, failure);
  });

  test('promtool: the overview table, a row per target, on four targets of which three broke', {
    skip: PROMTOOL.skip,
  }, () => {
    const table = dashboard.panels.find((panel) => panel.type === 'table');
    const query = (ref: string, selection = '.+') =>
      (table?.targets ?? [])
        .find((t) => t.refId === ref)
        ?.expr.replaceAll('$target', selection) as string;
    const rows = (values: Record<string, number>) =>
      Object.entries(values).map(([target, value]) => ({ labels: `{target="${target}"}`, value }));
    const at = STORY.seconds;
    const exprTests = [
      // a delivers nothing; b's failed posts are not missing; half of c's are still on the way.
      { at, expr: `round(${query('A')})`, samples: rows({ a: 100, b: 0, c: 50, d: 0 }) },
      { at, expr: `round(${query('B')})`, samples: rows({ a: 98, b: 0, c: 5, d: 0 }) },
      { at, expr: `${query('C')} > bool 30`, samples: rows({ a: 0, b: 0, c: 1, d: 0 }) },
      { at, expr: query('D'), samples: rows({ a: 2, b: 0, c: 2, d: 2 }) },
      { at, expr: query('E'), samples: rows({ a: 2, b: 2, c: 2, d: 2 }) },
      { at, expr: `${query('F')} > bool 0`, samples: rows({ a: 0, b: 1, c: 0, d: 0 }) },
      // a: AllBad, DeliversNothing, BurnFast; b: NoListenerConnected, PostsFailing; c: AllBad,
      // BurnFast; d: none, a 0 and not a blank.
      { at, expr: query('G'), samples: rows({ a: 3, b: 2, c: 2, d: 0 }) },
      // Two selected, as Grafana sends a multi-value variable: regex-escaped, joined with |.
      { at, expr: `count by (target) (${query('G', '(a|d)')})`, samples: rows({ a: 1, d: 1 }) },
    ];
    const failure = promtoolTest(PROMTOOL.path as string, RULES, [
      { name: 'the overview', story: STORY, step: 15, exprTests },
    ]);
    assert.equal(failure, undefined, failure);
  });
});
