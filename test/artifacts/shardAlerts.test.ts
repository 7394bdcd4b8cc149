import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../helpers/manifests';
import { ownership, type ShardStory, shardSeries, targetIds } from '../helpers/shardModel';
import { tool } from '../helpers/tools';

/**
 * The shard alerts (deploy/prometheus/shards.yaml) with `promtool test rules`, on the series of
 * a StatefulSet's pods whose ownership is the probe's own rendezvous hashing: a steady set and a
 * rollout page nobody, a pod stuck on the old count and a shard missing do. Every shipped rule
 * file is loaded, so "nobody" means no alert of the probe's at all.
 */
const PROMETHEUS = join(ROOT, 'deploy', 'prometheus');
const RULE_FILES = readdirSync(PROMETHEUS).map((f) => join(PROMETHEUS, f));
const SHARD_RULES = join(PROMETHEUS, 'shards.yaml');
const PROMTOOL = tool('promtool');
const M = 60;
const T = 10 * M;
const STEP = 15;
const TARGETS = targetIds(120);

const steady = (shards: number) =>
  Array.from({ length: shards }, (_, index) => ({ index, shards, from: 0 }));
/** 3 → 4 shards at T as a StatefulSet rolls: the new pod first, then from the highest index down. */
const rollout = (stuck: boolean) => [
  { index: 0, shards: 3, from: 0, to: stuck ? undefined : T + 195 },
  { index: 1, shards: 3, from: 0, to: T + 120 },
  { index: 2, shards: 3, from: 0, to: T + 45 },
  { index: 3, shards: 4, from: T },
  { index: 2, shards: 4, from: T + 75 },
  { index: 1, shards: 4, from: T + 150 },
  ...(stuck ? [] : [{ index: 0, shards: 4, from: T + 225 }]),
];

interface Scenario {
  readonly story: ShardStory;
  /** Alerts that fire, with the second they first do; no other alert ever fires. */
  readonly fires: ReadonlyArray<readonly [string, number]>;
  /** Alerts pending at a second: the rule saw the fault, and its `for:` holds it back. */
  readonly pending?: ReadonlyArray<readonly [string, number]>;
}

const SCENARIOS: Record<string, Scenario> = {
  'three shards, steady: nothing fires': {
    story: { seconds: 60 * M, targets: TARGETS, pods: steady(3) },
    fires: [],
  },
  'a rollout from 3 to 4 shards: the pods disagree for 4 minutes, and nothing fires': {
    story: { seconds: 60 * M, targets: TARGETS, pods: rollout(false) },
    fires: [],
    pending: [
      ['ProbeShardsDisagree', T + 105],
      ['ProbeTargetsOwnedTwice', T + 105],
    ],
  },
  'a rollout stuck with probe-0 on the old count: the pods disagree, its targets run twice': {
    story: { seconds: 40 * M, targets: TARGETS, pods: rollout(true) },
    fires: [
      ['ProbeShardsDisagree', T + 20 * M],
      ['ProbeTargetsOwnedTwice', T + 150 + 20 * M],
    ],
  },
  'scaled to 2 pods with PROBE_SHARDS still 3: the third shard’s targets are unowned': {
    story: {
      seconds: 40 * M,
      targets: TARGETS,
      pods: steady(3).map((pod) => (pod.index === 2 ? { ...pod, to: T } : pod)),
    },
    fires: [['ProbeTargetsUnowned', T + 5 * M]],
  },
};

function promtoolTest(name: string, { story, fires, pending = [] }: Scenario) {
  const whole = `${story.seconds + STEP}s`;
  const file = join(mkdtempSync(join(tmpdir(), 'probe-shard-rules-')), 'tests.json');
  const test = {
    name,
    interval: `${STEP}s`,
    input_series: shardSeries(story, STEP),
    promql_expr_test: [
      {
        eval_time: `${story.seconds}s`,
        expr: `min by (alertname) (min_over_time(timestamp(ALERTS{alertstate="firing"})[${whole}:${STEP}s]))`,
        exp_samples: fires.map(([alert, at]) => ({ labels: `{alertname="${alert}"}`, value: at })),
      },
      ...pending.map(([alert, at]) => ({
        eval_time: `${at}s`,
        expr: `count(ALERTS{alertname="${alert}",alertstate="pending"})`,
        exp_samples: [{ labels: '{}', value: 1 }],
      })),
    ],
  };
  writeFileSync(
    file,
    JSON.stringify({ rule_files: RULE_FILES, evaluation_interval: `${STEP}s`, tests: [test] }),
  );
  const result = spawnSync(PROMTOOL.path ?? 'promtool', ['test', 'rules', file], {
    encoding: 'utf8',
  });
  return result.status === 0 ? undefined : (result.stdout + result.stderr).slice(0, 6_000);
}

describe('the shard alerts', { skip: PROMTOOL.skip }, () => {
  test('promtool check rules; each alert with its severity, summary, description and runbook', () => {
    const check = spawnSync(PROMTOOL.path ?? 'promtool', ['check', 'rules', SHARD_RULES], {
      encoding: 'utf8',
    });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const runbooks = readFileSync(join(ROOT, 'docs', 'runbooks.md'), 'utf8');
    const alerts = rulesOf(SHARD_RULES).filter((r) => r.alert);
    assert.deepEqual(alerts.map((r) => r.alert).sort(), [
      'ProbeShardPeersDisagree',
      'ProbeShardsDisagree',
      'ProbeTargetsOwnedTwice',
      'ProbeTargetsUnowned',
    ]);
    for (const { alert = '', labels, annotations } of alerts) {
      assert.equal(labels.severity, 'warning', alert);
      assert.ok(annotations.summary, alert);
      assert.match(annotations.description, /\{\{ \$(value|labels)/, alert);
      assert.equal(annotations.runbook_url, `docs/runbooks.md#${alert.toLowerCase()}`);
      assert.match(runbooks, new RegExp(`^### ${alert}$`, 'm'), alert);
    }
  });

  test('every series a shard rule names is one the probe exports', () => {
    // The promtool stories above are written with the same names: a misspelled one would
    // pass there and match nothing in a real Prometheus.
    const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(ROOT, 'src', f), 'utf8'))
      .join('\n');
    const named = new Set(rulesOf(SHARD_RULES).flatMap((r) => r.expr.match(/\bprobe_\w+/g) ?? []));
    assert.ok(named.has('probe_shard_peers_digest') && named.has('probe_target_info'));
    for (const name of named) assert.match(sources, new RegExp(`'${name}'`), name);
  });

  test('the stories hold what their names say, by the ownership itself', () => {
    const rolling =
      SCENARIOS['a rollout from 3 to 4 shards: the pods disagree for 4 minutes, and nothing fires'];
    assert.ok(ownership(rolling.story, T + 105).twice > 0, 'targets run twice mid-rollout');
    assert.deepEqual(ownership(rolling.story, T + 5 * M), { unowned: 0, twice: 0 });
    const stuck =
      SCENARIOS[
        'a rollout stuck with probe-0 on the old count: the pods disagree, its targets run twice'
      ];
    // Counts grow: a pod left on the old one runs targets twice and never leaves one unowned.
    assert.deepEqual({ ...ownership(stuck.story, T + 30 * M), twice: 0 }, { unowned: 0, twice: 0 });
    assert.ok(ownership(stuck.story, T + 30 * M).twice > 0);
    const scaled =
      SCENARIOS[
        'scaled to 2 pods with PROBE_SHARDS still 3: the third shard’s targets are unowned'
      ];
    assert.ok(ownership(scaled.story, T + M).unowned > 0);
  });

  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    test(name, () => {
      const failure = promtoolTest(name, scenario);
      assert.equal(failure, undefined, failure);
    });
  }

  test("no shipped alert pages on another probe's events, which a double ownership makes", () => {
    // Recording rules built on the counter count as the counter.
    const all = RULE_FILES.flatMap(rulesOf);
    const tainted = new Set(['probe_wrong_appid_total']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const r of all) {
        if (r.record && !tainted.has(r.record) && [...tainted].some((n) => r.expr.includes(n))) {
          tainted.add(r.record);
          grew = true;
        }
      }
    }
    const paging = all.filter((r) => r.alert && [...tainted].some((n) => r.expr.includes(n)));
    assert.deepEqual(
      paging.map((r) => r.alert),
      [],
    );
  });
});

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
const rulesOf = (file: string): Rule[] =>
  parse(readFileSync(file, 'utf8')).groups.flatMap((g: { rules: Rule[] }) => g.rules);
