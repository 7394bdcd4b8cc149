import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ownerOf } from '../../streams/shardOwners';
import { tempDir, writeFiles } from '../helpers/files';

const main = join(__dirname, '..', '..', 'src', 'main.js');
const check = (env: Record<string, string>) =>
  spawnSync(process.execPath, [main, '--check-config'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });

const GOOD = `defaults:
  webhookToken: {env: HOOK_TOKEN}
  websocketUrl: wss://subscribe.example/ws
targets:
${['orders', 'invoices', 'people', 'places', 'things']
  .map((id) => `  - id: ${id}\n    datasetId: ds-${id}`)
  .join('\n')}
`;
const IDS = ['orders', 'invoices', 'people', 'places', 'things'];

describe('--check-config with a targets file', () => {
  const dir = writeFiles(tempDir(), { 'good.yaml': GOOD });
  const file = join(dir, 'good.yaml');

  test('needs no one-target variable, lists every target with its shard, and exits 0', () => {
    for (const [shards, host] of [
      ['1', 'laptop'],
      ['3', 'probe-2'],
    ]) {
      const result = check({
        PROBE_TARGETS_FILE: file,
        HOOK_TOKEN: 'hook-secret-5',
        PROBE_SHARDS: shards,
        HOSTNAME: host,
      });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, '');
      const index = host === 'laptop' ? 0 : 2;
      const count = Number(shards);
      const here = IDS.filter((id) => ownerOf(id, count) === index);
      const listed = IDS.map((id) => {
        const owner = ownerOf(id, count);
        return `  ${id}: shard ${owner}${owner === index ? ' (this process)' : ''}`;
      });
      assert.ok(
        result.stdout.endsWith(
          [
            `targets: 5 in the file, ${here.length} run by this process (shard ${index} of ${count})`,
            ...listed,
            'config ok',
            '',
          ].join('\n'),
        ),
        result.stdout,
      );
      // The process-wide variables are listed; a target's own are the file's, not listed.
      assert.match(result.stdout, new RegExp(`^PROBE_SHARDS=${shards}$`, 'm'));
      assert.doesNotMatch(result.stdout, /PROBE_DATASET_ID|WEBSOCKET_URL|hook-secret-5/);
    }
  });

  test('a variable the file reads a secret from is ours: no lookalike warning for it', () => {
    const named = writeFiles(tempDir(), {
      't.json': JSON.stringify({
        defaults: { webhookToken: { env: 'PROBE_HOOK_TOKEN' }, websocketUrl: 'wss://h/ws' },
        targets: [{ id: 'a', datasetId: 'ds' }],
      }),
    });
    const env = { PROBE_TARGETS_FILE: join(named, 't.json'), PROBE_HOOK_TOKEN: 'secret-7' };
    const result = check(env);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
    const other = check({ ...env, PROBE_HOOK_TOKN: 'x' });
    assert.match(other.stderr, /^config warning: PROBE_HOOK_TOKN is not a variable of the probe/);
  });

  test('a bad file exits 2 with its problem lines and no stack trace', () => {
    const bad = writeFiles(tempDir(), {
      'bad.yaml': 'targets:\n  - id: a\n    datasetId: ds\n    postEventIntervalSeconds: soon\n',
    });
    const result = check({ PROBE_TARGETS_FILE: join(bad, 'bad.yaml') });
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trimEnd().split('\n');
    assert.ok(
      lines.every((line) => line.startsWith('config error: ')),
      result.stderr,
    );
    assert.ok(
      lines.includes(
        `config error: ${join(bad, 'bad.yaml')}:4: target "a": postEventIntervalSeconds: expected a number, got text`,
      ),
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  test('a bad process-wide variable is told once, under the variable, whatever the targets', () => {
    const result = check({
      PROBE_TARGETS_FILE: file,
      HOOK_TOKEN: 'hook-secret-5',
      PROBE_SHARDS: '0',
      METRICS_PORT: 'abc',
    });
    assert.equal(result.status, 2);
    const lines = result.stderr.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((line) => line.replace(/: expected.*/, '')),
      ['config error: environment: METRICS_PORT', 'config error: environment: PROBE_SHARDS'],
    );
  });

  test('a pod ordinal past the shard count is refused', () => {
    for (const host of ['probe-3', 'probe-12345']) {
      const result = check({
        PROBE_TARGETS_FILE: file,
        HOOK_TOKEN: 'x',
        PROBE_SHARDS: '3',
        HOSTNAME: host,
      });
      assert.equal(result.status, 2, host);
      assert.match(
        result.stderr,
        /^config error: PROBE_SHARD_INDEX: the host name .* but PROBE_SHARDS is 3/,
      );
    }
  });
});
