import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startPrometheus } from '../helpers/prometheus';
import { startStack, waitFor } from '../helpers/stack';
import { tool } from '../helpers/tools';

/**
 * The shipped alert rules, tested with `promtool test rules`: for each alert a scenario where
 * it fires (and by when), and the cases where nothing may fire — a start, a rotation or one
 * dropped connection, a collector blip, one slow event among hundreds. Each scenario is a
 * probe's series minute by minute, written as functions of the minute so they read as stories.
 */
const ROOT = join(__dirname, '..', '..', '..');
const RULES = join(ROOT, 'deploy', 'prometheus', 'alerts.yaml');
const PROMTOOL = tool('promtool');
const PROMETHEUS = tool('prometheus');
const promtool = PROMTOOL.path ?? 'promtool';

const ALERTS = [
  'ProbeSLOBurnFast',
  'ProbeSLOBurnSlow',
  'ProbeSLOBudgetBurn',
  'ProbePipelineDeliversNothing',
  'ProbePostsFailing',
  'ProbeNoListenerConnected',
  'ProbeLatencyHigh',
  'ProbeScheduleLagging',
  'ProbeDown',
  'ProbeGone',
] as const;
type Alert = (typeof ALERTS)[number];

const TARGET = 'job="dataplatform-probe",instance="probe:8000"';
const PER_MINUTE = 6; // one event every 10 s, the default

/** A series value per minute; undefined is a missing sample (the probe not scraped). */
type Series = (minute: number) => number | undefined;

/** The cumulative count of `perMinute(m)` over the minutes before `minute`. */
const counter =
  (perMinute: (minute: number) => number): Series =>
  (minute) => {
    let total = 0;
    for (let m = 0; m < minute; m++) total += perMinute(m);
    return total;
  };

interface Story {
  /** Minutes the series run for. */
  readonly minutes?: number;
  /** The probe is scraped (up = 1) this minute; undefined: not a target at all. */
  readonly up?: (minute: number) => 0 | 1 | undefined;
  readonly posted?: (minute: number) => number;
  readonly postErrors?: (minute: number) => number;
  /** Events settling good and bad this minute. */
  readonly good?: (minute: number) => number;
  readonly bad?: (minute: number) => number;
  /** Events received this minute, by latency: fast (≤ 0.5 s), 45 s, or late-and-lost. */
  readonly fast?: (minute: number) => number;
  readonly slow?: (minute: number) => number;
  readonly connected?: (minute: number) => number;
  readonly missing1m?: (minute: number) => number;
  /** Posts leaving within 1 ms of their due time, and 2 s late. */
  readonly onTime?: (minute: number) => number;
  readonly lagging?: (minute: number) => number;
}

const healthy: Required<Story> = {
  minutes: 240,
  up: () => 1,
  posted: () => PER_MINUTE,
  postErrors: () => 0,
  good: () => PER_MINUTE,
  bad: () => 0,
  fast: () => PER_MINUTE,
  slow: () => 0,
  connected: () => 2,
  missing1m: () => 0,
  onTime: () => PER_MINUTE,
  lagging: () => 0,
};

/** The series a probe exports, as promtool input, for a story told from a healthy default. */
function seriesOf(story: Story): Array<{ series: string; values: string }> {
  const s = { ...healthy, ...story };
  const scraped = (minute: number) => s.up(minute) === 1;
  const probe = (name: string, value: Series, labels = '') => ({
    series: `${name}{${TARGET}${labels}}`,
    values: Array.from({ length: s.minutes + 1 }, (_, m) => {
      const v = scraped(m) ? value(m) : undefined;
      return v === undefined ? '_' : String(Math.round(v * 1000) / 1000);
    }).join(' '),
  });
  const fast = counter(s.fast);
  const slow = counter(s.slow);
  const onTime = counter(s.onTime);
  const lagging = counter(s.lagging);
  return [
    {
      series: `up{${TARGET}}`,
      values: Array.from({ length: s.minutes + 1 }, (_, m) => String(s.up(m) ?? '_')).join(' '),
    },
    probe('probe_events_posted_total', counter(s.posted)),
    probe('probe_event_post_errors_total', counter(s.postErrors)),
    probe('probe_events_within_objective_total', counter(s.good)),
    probe(
      'probe_events_settled_total',
      counter((m) => s.good(m) + s.bad(m)),
    ),
    probe('probe_event_listeners_connected_count', s.connected),
    probe('probe_events_missing_1m_share', s.missing1m),
    probe('probe_latency_objective_seconds', () => 30),
    probe('probe_event_latency_seconds_bucket', fast, ',le="0.5"'),
    probe('probe_event_latency_seconds_bucket', fast, ',le="30"'),
    probe('probe_event_latency_seconds_bucket', (m) => (fast(m) ?? 0) + (slow(m) ?? 0), ',le="60"'),
    probe(
      'probe_event_latency_seconds_bucket',
      (m) => (fast(m) ?? 0) + (slow(m) ?? 0),
      ',le="+Inf"',
    ),
    probe('probe_post_schedule_lag_seconds_bucket', onTime, ',le="0.001"'),
    probe('probe_post_schedule_lag_seconds_bucket', onTime, ',le="1"'),
    probe(
      'probe_post_schedule_lag_seconds_bucket',
      (m) => (onTime(m) ?? 0) + (lagging(m) ?? 0),
      ',le="5"',
    ),
    probe(
      'probe_post_schedule_lag_seconds_bucket',
      (m) => (onTime(m) ?? 0) + (lagging(m) ?? 0),
      ',le="+Inf"',
    ),
  ];
}

const SEVERITY: Record<Alert, 'critical' | 'warning'> = {
  ProbeSLOBurnFast: 'critical',
  ProbeSLOBurnSlow: 'critical',
  ProbeSLOBudgetBurn: 'warning',
  ProbePipelineDeliversNothing: 'critical',
  ProbePostsFailing: 'critical',
  ProbeNoListenerConnected: 'critical',
  ProbeLatencyHigh: 'warning',
  ProbeScheduleLagging: 'warning',
  ProbeDown: 'warning',
  ProbeGone: 'warning',
};

/** What must hold at a minute: these alerts firing, every other one silent. */
type Check = readonly [minute: number, firing: readonly Alert[]];

function promtoolTest(name: string, story: Story, checks: readonly Check[]) {
  return {
    name,
    interval: '1m',
    input_series: seriesOf(story),
    alert_rule_test: checks.flatMap(([minute, firing]) =>
      ALERTS.map((alertname) => ({
        eval_time: `${minute}m`,
        alertname,
        exp_alerts: firing.includes(alertname)
          ? [
              {
                exp_labels:
                  alertname === 'ProbeGone'
                    ? { severity: SEVERITY[alertname], job: 'dataplatform-probe' }
                    : {
                        severity: SEVERITY[alertname],
                        job: 'dataplatform-probe',
                        instance: 'probe:8000',
                      },
              },
            ]
          : [],
      })),
    ),
  };
}

const after = (start: number, then: number, before: number) => (m: number) =>
  m >= start ? then : before;

/** Every scenario: the story, and what must (and must not) fire by when. */
const SCENARIOS: Array<[string, Story, Check[]]> = [
  [
    'a healthy start: nothing fires, in the first minutes or later',
    {},
    [
      [1, []],
      [2, []],
      [5, []],
      [15, []],
      [60, []],
      [240, []],
    ],
  ],
  [
    // Stops at 60: posts keep going, nothing arrives; the share is 100 from 62; events
    // turn lost (bad) once the 5-minute lost timeout has passed, from 65.
    'the pipeline stops: DeliversNothing by 66 min, then the fast burn by 80',
    {
      minutes: 120,
      fast: after(60, 0, PER_MINUTE),
      good: after(60, 0, PER_MINUTE),
      bad: after(65, PER_MINUTE, 0),
      missing1m: (m) => (m >= 62 ? 100 : m >= 61 ? 50 : 0),
    },
    [
      [59, []],
      [63, []],
      [66, ['ProbePipelineDeliversNothing']],
      [80, ['ProbePipelineDeliversNothing', 'ProbeSLOBurnFast']],
    ],
  ],
  [
    // From 60 every event takes 45 s, past the 30 s objective: bad at once, and the 1-minute
    // share shows the part of the window still waiting.
    'the pipeline slows: the fast burn by 75 min, p99 over the objective by 80',
    {
      minutes: 120,
      fast: after(60, 0, PER_MINUTE),
      slow: after(60, PER_MINUTE, 0),
      good: after(60, 0, PER_MINUTE),
      bad: after(60, PER_MINUTE, 0),
      missing1m: after(60, 58, 0),
    },
    [
      [62, []],
      [75, ['ProbeSLOBurnFast']],
      // A fast burn is a slow one too, once its 15 minutes have passed.
      [80, ['ProbeSLOBurnFast', 'ProbeSLOBurnSlow', 'ProbeLatencyHigh']],
    ],
  ],
  [
    'a slow burn (8 % bad for hours): the slow page by 6 h, no fast page',
    {
      minutes: 420,
      good: after(60, PER_MINUTE * 0.92, PER_MINUTE),
      bad: after(60, PER_MINUTE * 0.08, 0),
    },
    [
      [120, []],
      [360, ['ProbeSLOBurnSlow', 'ProbeSLOBudgetBurn']],
    ],
  ],
  [
    'a steady 2 % bad: a ticket, no page',
    { minutes: 300, good: () => PER_MINUTE * 0.98, bad: () => PER_MINUTE * 0.02 },
    [
      [30, []],
      [180, ['ProbeSLOBudgetBurn']],
      [300, ['ProbeSLOBudgetBurn']],
    ],
  ],
  [
    'one slow event among hundreds: silent',
    {
      minutes: 180,
      fast: (m) => (m === 60 ? PER_MINUTE - 1 : PER_MINUTE),
      slow: (m) => (m === 60 ? 1 : 0),
      good: (m) => (m === 60 ? PER_MINUTE - 1 : PER_MINUTE),
      bad: (m) => (m === 60 ? 1 : 0),
    },
    [
      [61, []],
      [65, []],
      [90, []],
      [180, []],
    ],
  ],
  [
    // From 60 every post fails; nothing new settles, the windows empty.
    'the collector rejects every post: PostsFailing by 71 min, no SLO alert',
    {
      minutes: 120,
      posted: after(60, 0, PER_MINUTE),
      postErrors: after(60, PER_MINUTE, 0),
      fast: after(60, 0, PER_MINUTE),
      good: after(60, 0, PER_MINUTE),
    },
    [
      [64, []],
      [71, ['ProbePostsFailing']],
      [120, ['ProbePostsFailing']],
    ],
  ],
  [
    'a collector blip of three minutes: silent',
    {
      minutes: 120,
      posted: (m) => (m >= 60 && m < 63 ? 0 : PER_MINUTE),
      postErrors: (m) => (m >= 60 && m < 63 ? PER_MINUTE : 0),
      fast: (m) => (m >= 60 && m < 63 ? 0 : PER_MINUTE),
      good: (m) => (m >= 60 && m < 63 ? 0 : PER_MINUTE),
    },
    [
      [61, []],
      [63, []],
      [66, []],
      [70, []],
      [120, []],
    ],
  ],
  [
    // From 60 no connection: nothing arrives (the share is 100, but no listener is connected,
    // so DeliversNothing stays silent), and events turn lost from 65.
    'the subscription is down: NoListener by 66 min',
    {
      minutes: 120,
      connected: after(60, 0, 2),
      fast: after(60, 0, PER_MINUTE),
      good: after(60, 0, PER_MINUTE),
      bad: after(65, PER_MINUTE, 0),
      missing1m: after(62, 100, 0),
    },
    [
      [64, []],
      [66, ['ProbeNoListenerConnected']],
      [80, ['ProbeNoListenerConnected', 'ProbeSLOBurnFast']],
    ],
  ],
  [
    'a rotation, a dropped connection, both dropped for a minute: silent',
    {
      minutes: 120,
      connected: (m) => (m === 30 || m === 60 ? 1 : m === 90 ? 0 : 2),
    },
    [
      [31, []],
      [61, []],
      [91, []],
      [96, []],
      [120, []],
    ],
  ],
  [
    'the probe process lags its schedule: ScheduleLagging by 75 min',
    { minutes: 120, onTime: after(60, 0, PER_MINUTE), lagging: after(60, PER_MINUTE, 0) },
    [
      [62, []],
      [75, ['ProbeScheduleLagging']],
    ],
  ],
  [
    'the probe stops answering scrapes: ProbeDown by 65 min',
    { minutes: 120, up: (m) => (m >= 60 ? 0 : 1) },
    [
      [64, []],
      [65, ['ProbeDown']],
      [120, ['ProbeDown']],
    ],
  ],
  [
    'the probe target disappears: ProbeGone by 70 min',
    { minutes: 120, up: (m) => (m >= 60 ? undefined : 1) },
    [
      [64, []],
      [71, ['ProbeGone']],
    ],
  ],
];

describe('the shipped alert rules', { skip: PROMTOOL.skip }, () => {
  test('promtool check rules: valid, with the labels and annotations every alert needs', () => {
    const check = spawnSync(promtool, ['check', 'rules', RULES], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const text = readFileSync(RULES, 'utf8');
    for (const alert of ALERTS) {
      const block = text.slice(text.indexOf(`- alert: ${alert}\n`)).split('- alert:')[1];
      assert.ok(block, alert);
      assert.match(block, new RegExp(`severity: ${SEVERITY[alert]}`), alert);
      assert.match(block, /summary: /, alert);
      assert.match(block, /description: .*\{\{ \$(value|labels)/, alert);
      assert.match(block, new RegExp(`runbook_url: README.md#${alert.toLowerCase()}`), alert);
    }
    // Each runbook link leads to a section of the README.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const alert of ALERTS) assert.match(readme, new RegExp(`^#### ${alert}$`, 'm'), alert);
  });

  // promtool compares annotations exactly; they are checked above, so the scenarios run on the
  // rules without them and compare what matters here: which alert fires, with which labels.
  const dir = mkdtempSync(join(tmpdir(), 'probe-rules-'));
  const bare = join(dir, 'alerts.yaml');
  writeFileSync(bare, withoutAnnotations(readFileSync(RULES, 'utf8')));

  test('the PrometheusRule of the Kubernetes example holds the same rules', () => {
    const rules = readFileSync(RULES, 'utf8').replace(/^(#.*\n)+/, '');
    const resource = readFileSync(join(ROOT, 'deploy', 'kubernetes', 'alerts.yaml'), 'utf8');
    assert.match(resource, /^kind: PrometheusRule$/m);
    const spec = resource
      .slice(resource.indexOf('\nspec:\n') + '\nspec:\n'.length)
      .split('\n')
      .map((line) => line.replace(/^ {2}/, ''))
      .join('\n');
    assert.equal(spec, rules);
  });

  for (const [name, story, checks] of SCENARIOS) {
    test(name, () => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
      // JSON is YAML: promtool reads it as its test file.
      writeFileSync(
        file,
        JSON.stringify({
          rule_files: [bare],
          evaluation_interval: '1m',
          tests: [promtoolTest(name, story, checks)],
        }),
      );
      const result = spawnSync(promtool, ['test', 'rules', file], { encoding: 'utf8' });
      assert.equal(result.status, 0, (result.stdout + result.stderr).slice(0, 4_000));
    });
  }
});

/** The rule file without its `annotations:` blocks. */
function withoutAnnotations(text: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of text.split('\n')) {
    if (/^ {8}annotations:/.test(line)) {
      skipping = true;
      continue;
    }
    if (skipping && /^ {10}/.test(line)) continue;
    skipping = false;
    out.push(line);
  }
  return out.join('\n');
}

describe('the shipped rules live: a real Prometheus scraping a real probe', {
  skip: PROMETHEUS.skip,
  timeout: 180_000,
}, () => {
  test('every rule evaluates against the series the probe exports; a stop makes the pipeline alert pending; exemplars name events', async () => {
    const stack = await startStack({
      POST_EVENT_INTERVAL_SECONDS: '0.2',
      MISSING_GRACE_SECONDS: '0.2',
    });
    const server = await startPrometheus(PROMETHEUS.path as string, stack.probe.port, {
      job: 'dataplatform-probe',
      ruleFiles: [RULES],
      features: ['exemplar-storage'],
    });
    try {
      // Every series a rule names is one the probe exports (or a recording rule of the file).
      const exported = new Set(
        (await (await fetch(`http://127.0.0.1:${stack.probe.port}/metrics`)).text())
          .split('\n')
          .filter((line) => line && !line.startsWith('#'))
          .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0]),
      );
      const text = readFileSync(RULES, 'utf8');
      // Recording rules of the file, and `up`, which Prometheus makes for every target.
      const recorded = new Set([...text.matchAll(/- record: (\S+)/g)].map((m) => m[1]));
      recorded.add('up');
      const named = new Set(
        [
          ...text.matchAll(
            /expr: [|>]?\s*([\s\S]*?)(?=\n\s+(?:for|labels|- record|- alert):|\n\n|$)/g,
          ),
        ]
          .flatMap((m) => [...m[1].matchAll(/\b(probe[_:][a-z0-9_:]*|up)\b(?!\s*\()/g)])
          .map((m) => m[1]),
      );
      assert.ok(named.size >= 10, `found ${[...named]}`);
      for (const name of named) {
        assert.ok(
          exported.has(name) || recorded.has(name),
          `a rule names ${name}, which nothing exports`,
        );
      }

      interface Rule {
        name: string;
        health: string;
        lastError?: string;
        type: string;
        state?: string;
      }
      const rules = async () =>
        (await server.api<{ groups: Array<{ rules: Rule[] }> }>('/api/v1/rules')).groups.flatMap(
          (group) => group.rules,
        );
      await waitFor(
        async () => (await rules()).every((rule) => rule.health === 'ok'),
        20_000,
        'every rule to evaluate without error',
      );
      assert.equal((await rules()).length, 18);
      // Delivery works: the SLI has data and the pipeline alert is quiet.
      await waitFor(
        async () => (await server.query('probe:sli_error_ratio:rate5m')).data.result.length === 1,
        20_000,
        'the SLI recording rule to have data',
      );
      const deliversNothing = async () =>
        (await rules()).find((rule) => rule.name === 'ProbePipelineDeliversNothing')?.state;
      assert.equal(await deliversNothing(), 'inactive');

      // Exemplars name the event behind a latency bucket.
      const now = Date.now() / 1000;
      const exemplars = await server.api<
        Array<{ exemplars: Array<{ labels: Record<string, string> }> }>
      >(
        `/api/v1/query_exemplars?query=probe_event_latency_seconds_bucket&start=${now - 120}&end=${now + 1}`,
      );
      const labels = exemplars.flatMap((series) => series.exemplars.map((e) => e.labels));
      assert.ok(labels.length > 0, 'no exemplars stored');
      assert.ok(labels.every((l) => l.app_id === stack.probe.appId && /^\d+$/.test(l.seqno)));

      // The pipeline stops delivering: within the 1-minute window and the grace, the alert's
      // expression holds, and the alert turns pending.
      stack.collector.tuning.NO_EMIT_PERCENT = 100;
      await waitFor(
        async () => ['pending', 'firing'].includes((await deliversNothing()) ?? ''),
        100_000,
        'ProbePipelineDeliversNothing to turn pending',
      );
    } finally {
      await server.stop();
      await stack.stop();
    }
  });
});
