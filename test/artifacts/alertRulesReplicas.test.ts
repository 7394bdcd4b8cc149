import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../helpers/manifests';
import { POD_SCENARIOS, type PodScenario } from '../helpers/podScenarios';
import { podsSeries } from '../helpers/podsModel';
import { tool } from '../helpers/tools';

/**
 * Every shipped rule (deploy/prometheus/*.yaml) with `promtool test rules`, on pods that come,
 * go and share targets as live peers do (test/helpers/podsModel.ts): a rolling restart and a
 * lost node page nobody, one replica of two gone pages nobody, the pipeline broken as both
 * replicas see it pages once per target, and shards that see different peers for a minute
 * raise a warning.
 */
const PROMETHEUS = join(ROOT, 'deploy', 'prometheus');
const RULE_FILES = ['alerts.yaml', 'shards.yaml'].map((f) => join(PROMETHEUS, f));
const PROMTOOL = tool('promtool');
const STEP = 15;

const SEVERITY = new Map<string, string>(
  RULE_FILES.flatMap((f) =>
    parse(readFileSync(f, 'utf8')).groups.flatMap(
      (g: { rules: Array<{ alert?: string; labels?: { severity?: string } }> }) =>
        g.rules.map((r) => [r.alert, r.labels?.severity]),
    ),
  ),
);

/** promtool evaluates groups in a random order without one: both files' groups, in order. */
const groupOrder = RULE_FILES.flatMap((f) =>
  [...readFileSync(f, 'utf8').matchAll(/^ {2}- name: (\S+)$/gm)].map((m) => m[1]),
);

function promtoolTest(name: string, { story, fires, pending = [] }: PodScenario) {
  const whole = `${story.seconds + STEP}s`;
  const by = 'alertname, target, instance';
  const labels = (alert: string, extra: Record<string, string>) =>
    `{${Object.entries({ alertname: alert, ...extra })
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')}}`;
  const test = {
    name,
    interval: `${STEP}s`,
    input_series: podsSeries(story, STEP),
    promql_expr_test: [
      {
        eval_time: `${story.seconds}s`,
        expr: `min by (${by}) (min_over_time(timestamp(ALERTS{alertstate="firing"})[${whole}:${STEP}s]))`,
        exp_samples: fires.map(([alert, at, extra]) => ({
          labels: labels(alert, extra),
          value: at,
        })),
      },
      {
        // One alert series per page at every evaluation: never one per replica.
        eval_time: `${story.seconds}s`,
        expr: `max by (alertname, target) (max_over_time(count by (alertname, target) (ALERTS{alertstate="firing",severity="critical"})[${whole}:${STEP}s]))`,
        exp_samples: fires
          .filter(([alert]) => SEVERITY.get(alert) === 'critical')
          .map(([alert, , extra]) => ({ labels: labels(alert, extra), value: 1 })),
      },
      ...pending.map(([alert, at]) => ({
        eval_time: `${at}s`,
        expr: `count(ALERTS{alertname="${alert}",alertstate="pending"})`,
        exp_samples: [{ labels: '{}', value: 1 }],
      })),
    ],
  };
  const file = join(mkdtempSync(join(tmpdir(), 'probe-replica-rules-')), 'tests.json');
  writeFileSync(
    file,
    JSON.stringify({
      rule_files: RULE_FILES,
      evaluation_interval: `${STEP}s`,
      group_eval_order: groupOrder,
      tests: [test],
    }),
  );
  const result = spawnSync(PROMTOOL.path ?? 'promtool', ['test', 'rules', file], {
    encoding: 'utf8',
  });
  return result.status === 0 ? undefined : (result.stdout + result.stderr).slice(0, 6_000);
}

describe('the shipped rules across pods: replicas, rollouts, lost nodes', {
  skip: PROMTOOL.skip,
}, () => {
  for (const [name, scenario] of Object.entries(POD_SCENARIOS)) {
    test(name, () => {
      const failure = promtoolTest(name, scenario);
      assert.equal(failure, undefined, failure);
    });
  }
});
