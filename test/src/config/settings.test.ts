import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ConfigError, loadConfig } from '../../../src/config/loadConfig';
import { allSettings } from '../../../src/config/settings';

const README = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');

/** The README's configuration table: variable names of each row, and its default column. */
function readmeRows(): Array<{ names: string[]; defaults: string }> {
  const section = README.split(/^## /m).find((part) => part.startsWith('Configuration')) ?? '';
  return section
    .split('\n')
    .filter((line) => /^\| `[A-Z_]+`/.test(line))
    .map((line) => {
      const cells = line.split(' | ');
      return {
        names: [...cells[0].matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]),
        defaults: cells[cells.length - 1].replace(/ \|$/, ''),
      };
    });
}

test('the README table lists every declared variable, and nothing else', () => {
  const documented = readmeRows()
    .flatMap((row) => row.names)
    .sort();
  const declared = allSettings()
    .map(({ setting }) => setting.env)
    .sort();
  assert.deepEqual(documented, declared);
});

test("the README's defaults are the declared ones", () => {
  const byName = new Map(allSettings().map(({ setting }) => [setting.env, setting]));
  for (const row of readmeRows()) {
    if (row.names.length !== 1) continue;
    const setting = byName.get(row.names[0]);
    if (setting?.default === undefined || setting.default === '') continue;
    const shown = Array.isArray(setting.default) ? setting.default.join(',') : setting.default;
    assert.equal(row.defaults, `\`${shown}\``, row.names[0]);
  }
});

test('every seconds variable becomes whole milliseconds in the configuration', () => {
  const base = { PROBE_WEBHOOK_TOKEN: 't0k3n', PROBE_DATASET_ID: 'ds', LOCAL_SERVICES_ONLY: '1' };
  const config = loadConfig(base) as unknown as Record<string, Record<string, unknown>>;
  for (const { group, field, setting } of allSettings()) {
    if (setting.unit !== 'seconds' || setting.default === undefined) continue;
    assert.equal(config[group][field], Math.round((setting.default as number) * 1000), setting.env);
    assert.match(field, /Ms$/, `${setting.env} → ${group}.${field} says its unit`);
  }
});

test('one rule for case: every word-valued setting takes any case and surrounding spaces', () => {
  const base = { PROBE_WEBHOOK_TOKEN: 't0k3n', PROBE_DATASET_ID: 'ds', WEBSOCKET_URL: 'wss://h/' };
  const worded = allSettings().filter(({ setting }) => setting.choices !== undefined);
  assert.deepEqual(worded.map(({ setting }) => setting.env).sort(), [
    'LOCAL_SERVICES_ONLY',
    'LOG_LEVEL',
    'OKDATA_ENVIRONMENT',
    'RELOAD_ENDPOINT_ENABLED',
    'RUN_LOCAL',
  ]);
  const title = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  for (const { setting } of worded) {
    for (const word of setting.choices ?? []) {
      const expected = loadConfig({ ...base, [setting.env]: word });
      for (const written of [word.toUpperCase(), title(word), ` ${word.toUpperCase()} `]) {
        assert.deepEqual(
          loadConfig({ ...base, [setting.env]: written }),
          expected,
          `${setting.env}=${written}`,
        );
      }
    }
    assert.throws(
      () => loadConfig({ ...base, [setting.env]: 'Sometimes' }),
      (error: ConfigError) =>
        error.problems.length === 1 && error.problems[0].startsWith(`${setting.env}: `),
    );
  }
});

test("the README's table states each duration's, number's and length's range as declared", () => {
  // The row whose first cell names the variable.
  const rowOf = (env: string) =>
    README.split('\n').find(
      (line) => line.startsWith('| `') && line.split(' | ')[0].includes(`\`${env}\``),
    ) ?? '';
  const duration = (ms: number) => {
    if (ms === 0) return '0';
    if (ms % 86_400_000 === 0) return ms === 86_400_000 ? '1 day' : `${ms / 86_400_000} days`;
    if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
    return `${ms / 1000} s`;
  };
  for (const { setting } of allSettings()) {
    const { min, max } = setting.limits;
    const row = rowOf(setting.env);
    if (setting.unit === 'seconds') {
      assert.ok(
        row.includes(`${duration(min)} – ${duration(max)}`),
        `${setting.env}: ${duration(min)} – ${duration(max)} in ${row}`,
      );
    } else if (setting.format.startsWith('whole ') || setting.format.startsWith('buckets')) {
      assert.ok(row.includes(`${min}–${max}`), `${setting.env}: ${min}–${max} in ${row}`);
    } else if (!setting.choices) {
      assert.ok(
        row.includes(`≤ ${max} characters`) ||
          row.includes(`≤ ${max} and`) ||
          row.includes(`and ≤ ${max} characters`),
        `${setting.env}: ≤ ${max} in ${row}`,
      );
    }
  }
});

test("the table's two files hold the two scopes: a process-wide setting is not a target's, nor the other way", async () => {
  const { TARGET_SETTINGS } = await import('../../../src/config/targetSettings');
  const { PROCESS_SETTINGS } = await import('../../../src/config/processSettings');
  const scopes = (groups: Record<string, Record<string, { env: string; scope?: string }>>) =>
    Object.values(groups).flatMap((group) => Object.values(group).map((s) => [s.env, s.scope]));
  for (const [env, scope] of scopes(TARGET_SETTINGS)) assert.notEqual(scope, 'process', env);
  for (const [env, scope] of scopes(PROCESS_SETTINGS)) assert.equal(scope, 'process', env);
});

test('the README table is in the order of the settings table, the order problems are told in', () => {
  const documented = readmeRows().flatMap((row) => row.names);
  const declared = allSettings().map(({ setting }) => setting.env);
  assert.deepEqual(documented, declared);
  // Problems come in that order too, as the README says, whatever order the variables are in.
  let told: string[] = [];
  try {
    loadConfig({ METRICS_PORT: 'x', WEBSOCKET_URL: 'x', PROBE_DATASET_ID: '.', LOG_LEVEL: 'x' });
  } catch (error) {
    told = (error as ConfigError).problems.map((line) => line.split(':')[0]);
  }
  const ranked = [...told].sort((a, b) => declared.indexOf(a) - declared.indexOf(b));
  assert.deepEqual(told, ranked);
  assert.equal(told.length, 5);
});
