import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { allSettings } from '../../../src/config/settings';
import {
  ID_KEY,
  keyOf,
  LABELS_KEY,
  processSettings,
  targetSettings,
} from '../../../src/targets/keys';
import { targetsSchema } from '../../../src/targets/schema';
import { sectionOf } from '../../helpers/markdown';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SHIPPED = join(ROOT, 'deploy', 'targets.schema.json');

// `UPDATE_SCHEMA=1 node --test dist/test/src/targets/targetsSchema.test.js` rewrites the shipped file
// (then `npx biome format --write deploy/targets.schema.json`).
if (process.env.UPDATE_SCHEMA === '1') {
  writeFileSync(SHIPPED, `${JSON.stringify(targetsSchema(), null, 2)}\n`);
}
const shipped = JSON.parse(readFileSync(SHIPPED, 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(shipped);
const oneTarget = (extra: Record<string, unknown>) => ({
  targets: [{ id: 'a', datasetId: 'ds', webhookToken: { env: 'T' }, ...extra }],
});

test('the shipped schema is the one the settings table makes', () => {
  assert.deepEqual(shipped, targetsSchema());
});

test('keys are the variables in camelCase, without PROBE_', () => {
  assert.equal(keyOf('PROBE_DATASET_VERSION'), 'datasetVersion');
  assert.equal(keyOf('PROBE_DATASET_ID'), 'datasetId');
  assert.equal(keyOf('PROBE_WEBHOOK_TOKEN'), 'webhookToken');
  assert.equal(keyOf('WEBSOCKET_URL'), 'websocketUrl');
  assert.equal(keyOf('POST_EVENT_INTERVAL_SECONDS'), 'postEventIntervalSeconds');
  assert.equal(keyOf('OKDATA_ENVIRONMENT'), 'okdataEnvironment');
  const keys = allSettings().map(({ setting }) => keyOf(setting.env));
  assert.equal(new Set(keys).size, keys.length, 'no two variables share a key');
  assert.ok(
    !keys.includes(ID_KEY) && !keys.includes(LABELS_KEY),
    'no setting is named id or labels',
  );
});

test('the process-wide settings are the server, the logs, the stop, the reload, the local stand-ins, the targets and the peers', () => {
  assert.deepEqual(
    processSettings()
      .map(({ setting }) => setting.env)
      .sort(),
    [
      'LATENCY_BUCKETS_SECONDS',
      'LOCAL_SERVICES_ONLY',
      'LOG_LEVEL',
      'METRICS_HOST',
      'METRICS_PORT',
      'PROBE_DNS_SERVER',
      'PROBE_PEERS_REFRESH_SECONDS',
      'PROBE_PEERS_SRV',
      'PROBE_SHARDS',
      'PROBE_SHARD_INDEX',
      'PROBE_TARGETS_FILE',
      'PROBE_TARGET_REPLICAS',
      'RELOAD_ENDPOINT_ENABLED',
      'RELOAD_TIMEOUT_SECONDS',
      'RELOAD_TOKEN_FILE',
      'RUN_LOCAL',
      'STOP_DRAIN_SECONDS',
    ],
  );
});

test('the shipped schema takes every per-target setting with its type, and no process-wide one', () => {
  const declared = shipped.definitions.target.properties;
  for (const { key, setting } of targetSettings()) {
    assert.ok(declared[key], `${setting.env} is in the schema as ${key}`);
    assert.ok(shipped.properties.defaults.properties[key], `${key} may be a default`);
    // A value of the setting's own kind passes; one of another kind does not.
    const good = setting.secret
      ? { file: 'token' }
      : setting.choices
        ? setting.choices[0]
        : setting.unit === 'seconds'
          ? 0.5
          : typeof setting.default === 'number'
            ? 3
            : 'text';
    assert.ok(validate(oneTarget({ [key]: good })), `${key}: ${JSON.stringify(validate.errors)}`);
    if (setting.default !== undefined && setting.default !== '') {
      assert.ok(validate(oneTarget({ [key]: setting.default })), `${key}: its default fits`);
    }
    const bad = typeof good === 'string' ? 7 : typeof good === 'number' ? '7' : 'literal';
    assert.equal(validate(oneTarget({ [key]: bad })), false, `${key} refuses ${bad}`);
    if (setting.userinfoSecret) {
      const withUser = oneTarget({ [key]: 'wss://user:password@host/path' });
      assert.equal(validate(withUser), false, `${key}: no user or password in the file`);
    }
    if (setting.choices) {
      const other = oneTarget({ [key]: `not-${setting.choices.join('-')}` });
      assert.equal(validate(other), false, `${key} takes only its words`);
    }
  }
  assert.equal(validate(oneTarget({ postEventIntervalSeconds: 0.5 })), true);
  assert.equal(validate(oneTarget({ postEventRetries: 1.5 })), false, 'counts are whole');
  for (const { key } of processSettings()) {
    assert.equal(declared[key], undefined, key);
    assert.equal(validate(oneTarget({ [key]: 1 })), false, `${key} is refused`);
  }
});

test('every example targets file, in the README and docs/targets-file.md, passes the shipped schema', () => {
  const { parse } = require('yaml') as typeof import('yaml');
  const readme = sectionOf(read('README.md'), '## Many targets (the targets file)');
  const examples = [...examplesOf(readme), ...examplesOf(read(join('docs', 'targets-file.md')))];
  assert.equal(examples.length, 2);
  for (const example of examples) {
    assert.ok(validate(parse(example)), JSON.stringify(validate.errors));
  }
});

test('docs/targets-file.md lists every key of a target, and nothing else', () => {
  const table = sectionOf(read(join('docs', 'targets-file.md')), '## Keys');
  const rows = [...table.matchAll(/^\| `([a-zA-Z]+)` \| (`[A-Z_]+`|—) \|/gm)];
  assert.deepEqual(
    rows.map((m) => m[1]),
    [ID_KEY, LABELS_KEY, ...targetSettings().map(({ key }) => key)],
  );
  for (const [, key, variable] of rows) {
    const setting = targetSettings().find((s) => s.key === key)?.setting;
    assert.equal(variable, setting ? `\`${setting.env}\`` : '—', key);
  }
});

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The example targets files of a text: its yaml blocks. */
const examplesOf = (text: string) => [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
