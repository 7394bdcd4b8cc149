import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  type Alert,
  type Fires,
  M,
  PER_PROCESS,
  SCENARIOS,
  type Scenario,
  SEVERITY,
  stopsAt,
} from '../helpers/alertScenarios';
import { TARGET } from '../helpers/probeModel';
import { promtoolTest, type RuleTest } from '../helpers/promtool';
import { tool } from '../helpers/tools';

/**
 * The shipped alert rules, tested with `promtool test rules` on a model of the probe's series
 * (test/helpers/probeModel.ts): for each alert a story where it fires and exactly when it
 * starts to, and stories where no page may fire at any evaluation — a start, a rotation, a
 * dropped connection, both listeners down for a minute, a collector blip, one slow event.
 */
const ROOT = join(__dirname, '..', '..', '..');
const RULES = join(ROOT, 'deploy', 'prometheus', 'alerts.yaml');
const PROMTOOL = tool('promtool');
const promtool = PROMTOOL.path ?? 'promtool';

/** An alert's labels: a per-target alert's job and target, a per-process alert's job and instance. */
const labelsOf = ([alert, , extra]: Fires): Record<string, string> => ({
  severity: SEVERITY[alert],
  job: TARGET.job,
  ...(alert === 'ProbeGone'
    ? {}
    : PER_PROCESS.has(alert)
      ? { instance: TARGET.instance }
      : { target: TARGET.target }),
  ...extra,
});

/** The labels an alert's first firing is told apart by (besides its name), as PromQL. */
const distinct = (fires: Fires) => {
  const { endpoint, target } = labelsOf(fires);
  return [
    `alertname="${fires[0]}"`,
    ...(endpoint ? [`endpoint="${endpoint}"`] : []),
    ...(target ? [`target="${target}"`] : []),
  ].join(',');
};

/** The promtool checks of a scenario: each alert absent one step before it fires, then firing. */
function ruleTest(name: string, { story, step, fires }: Scenario, lag = 0): RuleTest {
  const firingAt = (alert: Alert, t: number) =>
    fires.filter(([a, at]) => a === alert && at <= t).map((f) => ({ exp_labels: labelsOf(f) }));
  const whole = `${story.seconds + step}s`;
  return {
    name,
    story,
    step,
    lag,
    alertTests: fires.flatMap(([alert, at]) => [
      { at: at - step, alertname: alert, firing: firingAt(alert, at - step) },
      { at, alertname: alert, firing: firingAt(alert, at) },
    ]),
    // Which alerts fired at any evaluation, and first when: promtool keeps ALERTS as Prometheus.
    exprTests: [
      {
        at: story.seconds,
        expr: `min by (alertname, endpoint, target) (min_over_time(timestamp(ALERTS{alertstate="firing"})[${whole}:${step}s]))`,
        samples: fires.map((f) => ({ labels: `{${distinct(f)}}`, value: f[1] })),
      },
    ],
  };
}

describe('the shipped alert rules', { skip: PROMTOOL.skip }, () => {
  test('promtool check rules: valid, with the labels and annotations every alert needs', () => {
    const check = spawnSync(promtool, ['check', 'rules', RULES], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const text = readFileSync(RULES, 'utf8');
    const shipped = [...text.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    assert.deepEqual(shipped.sort(), Object.keys(SEVERITY).sort());
    // A probe pod gone is covered by its peers: the alerts about the probe itself never page.
    for (const alert of PER_PROCESS) assert.equal(SEVERITY[alert], 'warning', alert);
    const runbooks = readFileSync(join(ROOT, 'docs', 'runbooks.md'), 'utf8');
    for (const [alert, severity] of Object.entries(SEVERITY)) {
      const block = text.slice(text.indexOf(`- alert: ${alert}\n`)).split('- alert:')[1];
      assert.match(block, new RegExp(`severity: ${severity}`), alert);
      assert.match(block, /summary: /, alert);
      assert.match(block, /description: .*\{\{ \$(value|labels)/, alert);
      assert.match(
        block,
        new RegExp(`runbook_url: docs/runbooks.md#${alert.toLowerCase()}`),
        alert,
      );
      // Each runbook link leads to a section of docs/runbooks.md (docs.test.ts checks every link).
      assert.match(runbooks, new RegExp(`^### ${alert}$`, 'm'), alert);
    }
  });

  // promtool compares annotations exactly; they are checked above, so the scenarios run on the
  // rules without them and compare what matters here: which alert fires, when, with which labels.
  const bare = join(mkdtempSync(join(tmpdir(), 'probe-rules-')), 'alerts.yaml');
  writeFileSync(bare, withoutAnnotations(readFileSync(RULES, 'utf8')));

  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    test(name, () => {
      const failure = promtoolTest(promtool, bare, [ruleTest(name, scenario)]);
      assert.equal(failure, undefined, failure);
    });
  }

  test('the silent stories at a 5 s scrape and evaluation: still no alert fires', () => {
    const silent = Object.entries(SCENARIOS).filter(([, s]) => s.fires.length === 0);
    assert.equal(silent.length, 5);
    const failure = promtoolTest(
      promtool,
      bare,
      silent.map(([name, s]) => ruleTest(name, { ...s, step: 5 })),
    );
    assert.equal(failure, undefined, failure);
  });

  test('a total stop pages within 150 s, however it falls against the posts, scrapes and evaluations', () => {
    // The stop at 10 min plus an offset against the post schedule and the scrape grid, with
    // scrapes that land on the evaluations or just after them (the rules see them a step late).
    const tests = [15, 5].flatMap((step) =>
      [0.3, 3.7, 9.9, 12.4].flatMap((offset) =>
        [0, step - 0.5].map((lag) => {
          const stop = 10 * M + offset;
          return {
            name: `stop at ${stop} s, step ${step} s, scrapes ${lag} s before evaluations`,
            story: { seconds: stop + 150, delay: stopsAt(stop) },
            step,
            lag,
            exprTests: [
              { at: stop - 1, expr: 'max(ALERTS{alertstate="firing"})', samples: [] },
              {
                at: stop + 150,
                expr: 'max(ALERTS{alertstate="firing",severity="critical"})',
                samples: [{ labels: '{}', value: 1 }],
              },
            ],
          };
        }),
      ),
    );
    const failure = promtoolTest(promtool, bare, tests);
    assert.equal(failure, undefined, failure);
  });

  test('two targets stopping 5 s apart: each pages on its own within 150 s of its stop', () => {
    const firingOf = (target: string) =>
      `max by (target) (ALERTS{alertstate="firing",severity="critical",target=~"${target}"})`;
    const firing = firingOf('.+');
    const tests = [15, 5].flatMap((step) =>
      [0.3, 9.9].flatMap((offset) =>
        [0, step - 0.5].map((lag) => {
          const stop = 10 * M + offset;
          return {
            name: `a stops at ${stop} s, b at ${stop + 5} s, step ${step} s, lag ${lag} s`,
            story: {
              seconds: stop + 155,
              targets: { a: { delay: stopsAt(stop) }, b: { delay: stopsAt(stop + 5) } },
            },
            step,
            lag,
            exprTests: [
              { at: stop - 1, expr: firing, samples: [] },
              { at: stop + 150, expr: firingOf('a'), samples: [pageOf('a')] },
              { at: stop + 155, expr: firing, samples: [pageOf('a'), pageOf('b')] },
            ],
          };
        }),
      ),
    );
    const failure = promtoolTest(promtool, bare, tests);
    assert.equal(failure, undefined, failure);
  });
});

const pageOf = (target: string) => ({ labels: `{target="${target}"}`, value: 1 });

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
