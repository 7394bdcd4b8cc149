import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Story, scraped } from './probeModel';

/** One promtool test group: a story scraped and evaluated every `step` seconds. */
export interface RuleTest {
  readonly name: string;
  readonly story: Story;
  readonly step: number;
  /** Scrapes run this many seconds before the evaluations (see `scraped`). */
  readonly lag?: number;
  readonly alertTests?: ReadonlyArray<{ at: number; alertname: string; firing: object[] }>;
  readonly exprTests?: ReadonlyArray<{ at: number; expr: string; samples: object[] }>;
}

const duration = (seconds: number) => `${Math.round(seconds * 1000)}ms`;

/** Runs `promtool test rules` on the tests, in one file; returns promtool's failure, if any. */
export function promtoolTest(
  promtool: string,
  rules: string,
  tests: readonly RuleTest[],
): string | undefined {
  // Groups with different steps go in files of their own: evaluation_interval is per file.
  const dir = mkdtempSync(join(tmpdir(), 'probe-rule-tests-'));
  const steps = [...new Set(tests.map((t) => t.step))];
  const failures = steps.flatMap((step) => {
    const file = join(dir, `tests-${step}s.json`);
    // JSON is YAML: promtool reads it as its test file.
    writeFileSync(
      file,
      JSON.stringify({
        rule_files: [rules],
        evaluation_interval: duration(step),
        // Without an order promtool evaluates the groups in a random one, and an alert on a
        // recording rule fires one step earlier or later from run to run.
        group_eval_order: groupsOf(rules),
        tests: tests
          .filter((t) => t.step === step)
          .map((t) => ({
            name: t.name,
            interval: duration(step),
            input_series: scraped(t.story, step, t.lag),
            alert_rule_test: (t.alertTests ?? []).map((a) => ({
              eval_time: duration(a.at),
              alertname: a.alertname,
              exp_alerts: a.firing,
            })),
            promql_expr_test: (t.exprTests ?? []).map((e) => ({
              expr: e.expr,
              eval_time: duration(e.at),
              exp_samples: e.samples,
            })),
          })),
      }),
    );
    const result = spawnSync(promtool, ['test', 'rules', file], { encoding: 'utf8' });
    return result.status === 0 ? [] : [(result.stdout + result.stderr).slice(0, 6_000)];
  });
  return failures.length ? failures.join('\n') : undefined;
}

/** The rule groups of a rule file, in the file's order. */
const groupsOf = (rules: string) =>
  [...readFileSync(rules, 'utf8').matchAll(/^ {2}- name: (\S+)$/gm)].map((m) => m[1]);
