import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadTargets } from '../../../src/targets/loadTargets';
import { problemLine } from '../../../src/targets/problem';
import type { Target } from '../../../src/targets/target';
import { tempDir, writeFiles } from '../../helpers/files';

const env = { TOKEN: 'env-token-1' };

async function targetsOf(path: string, environment: NodeJS.ProcessEnv = env): Promise<Target[]> {
  const load = await loadTargets(path, environment);
  assert.deepEqual(load.problems.map(problemLine), []);
  return [...load.targets];
}

const byId = (targets: Target[]) => new Map(targets.map((t) => [t.id, t]));

describe('loading a targets file', () => {
  test('a YAML file: each target checked and converted as the variables are', async () => {
    const dir = writeFiles(tempDir(), {
      'token.txt': '  file-token-2\n\n',
      'targets.yaml': [
        'defaults:',
        '  webhookToken: {env: TOKEN}',
        '  websocketUrl: wss://hub.example/ws/',
        'targets:',
        '  - id: a',
        '    datasetId: ds-a',
        '    labels: {team: data, tier: "1"}',
        '  - id: b.2_x-y',
        '    datasetId: ds-b',
        '    datasetVersion: "2"',
        '    webhookToken: {file: token.txt}',
        '    okdataEnvironment: dev',
        '    postEventIntervalSeconds: 0.25',
        '    okdataClientId: probe',
        '    okdataClientSecret: {env: TOKEN}',
      ].join('\n'),
    });
    const targets = await targetsOf(join(dir, 'targets.yaml'));
    assert.deepEqual(
      targets.map((t) => t.id),
      ['a', 'b.2_x-y'],
    );
    const [a, b] = targets;
    assert.deepEqual(a.labels, { team: 'data', tier: '1' });
    assert.deepEqual(b.labels, {});
    assert.equal(a.file, join(dir, 'targets.yaml'));
    assert.equal(a.config.dataset.webhookToken, 'env-token-1');
    assert.equal(b.config.dataset.webhookToken, 'file-token-2', 'the whitespace around is dropped');
    assert.equal(b.config.auth.clientSecret, 'env-token-1');
    assert.equal(b.config.dataset.version, '2');
    assert.equal(a.config.dataset.version, '1');
    assert.equal(b.config.posting.intervalMs, 250, 'seconds become milliseconds');
    assert.equal(a.config.posting.intervalMs, 10_000);
    assert.equal(a.config.posting.collectorUrl, 'https://api.data.oslo.systems/event-collector');
    assert.equal(
      b.config.posting.collectorUrl,
      'https://api.data-dev.oslo.systems/event-collector',
    );
    assert.equal(a.config.subscription.url, 'wss://hub.example/ws/');
  });

  test('precedence: the target, then its file defaults, then the environment, then built in', async () => {
    const dir = writeFiles(tempDir(), {
      'a.yaml': [
        'defaults: {postEventIntervalSeconds: 6, postEventRetries: 5}',
        'targets:',
        '  - {id: own, datasetId: d, postEventIntervalSeconds: 2}',
        '  - {id: defaulted, datasetId: d}',
      ].join('\n'),
      'b.yaml': 'targets: [{id: other-file, datasetId: d}]',
    });
    const environment = {
      PROBE_WEBHOOK_TOKEN: 'from-env',
      WEBSOCKET_URL: 'wss://env.example/ws',
      POST_EVENT_INTERVAL_SECONDS: '7',
      POST_EVENT_RETRIES: '4',
      WEBSOCKET_LISTENERS: '3',
    };
    const targets = byId(await targetsOf(dir, environment));
    const pick = (id: string) => {
      const { config } = targets.get(id) as Target;
      return [
        config.posting.intervalMs,
        config.posting.retries,
        config.subscription.listeners,
        config.posting.timeoutMs,
      ];
    };
    assert.deepEqual(pick('own'), [2_000, 5, 3, 5_000]);
    assert.deepEqual(pick('defaulted'), [6_000, 5, 3, 5_000]);
    // A file's defaults are that file's: another file of the folder falls back to the variables.
    assert.deepEqual(pick('other-file'), [7_000, 4, 3, 5_000]);
    assert.equal(targets.get('own')?.config.dataset.webhookToken, 'from-env');
  });

  test('process-wide variables still feed what a target derives from them', async () => {
    const dir = writeFiles(tempDir(), {
      't.json': JSON.stringify({
        targets: [{ id: 'x', datasetId: 'd', webhookToken: { env: 'TOKEN' } }],
      }),
    });
    const [x] = await targetsOf(join(dir, 't.json'), {
      ...env,
      LOCAL_SERVICES_ONLY: 'true',
      METRICS_PORT: '9100',
    });
    assert.equal(x.config.subscription.url, 'ws://localhost:8765');
    assert.equal(x.config.posting.collectorUrl, 'http://localhost:8081');
    assert.equal(x.config.server.port, 9100);
  });

  test('a directory: its yaml, yml and json files in name order; dot-entries and others skipped', async () => {
    const target = (id: string) =>
      `{"targets": [{"id": "${id}", "datasetId": "d", "webhookToken": {"env": "TOKEN"}, "websocketUrl": "wss://h/ws"}]}`;
    const dir = writeFiles(tempDir(), {
      'c.json': target('from-json'),
      'b.yml': target('from-yml'),
      'a.yaml': target('from-yaml'),
      '.hidden.yaml': target('hidden'),
      'notes.txt': 'not: [yaml',
      'sub.yaml/inner.yaml': target('nested'),
    });
    symlinkSync(join(dir, 'a.yaml'), join(dir, 'linked.yaml'));
    symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'dangling.yaml'));
    const targets = await loadTargets(dir, env);
    assert.deepEqual(targets.problems.map(problemLine), [
      `${join(dir, 'linked.yaml')}:1: target "from-yaml": id: is also the id at ${join(dir, 'a.yaml')}:1`,
    ]);
    rmSync(join(dir, 'linked.yaml'));
    assert.deepEqual(
      (await targetsOf(dir)).map((t) => [t.id, t.file]),
      [
        ['from-yaml', join(dir, 'a.yaml')],
        ['from-yml', join(dir, 'b.yml')],
        ['from-json', join(dir, 'c.json')],
      ],
    );
  });

  test('a mounted ConfigMap: one version read through ..data, even in the middle of a swap', async () => {
    const dir = tempDir();
    const version = (name: string, files: Record<string, string>) => {
      writeFiles(join(dir, name), files);
      symlinkSync(name, join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data')); // atomic, as kubelet does it
    };
    const file = (ids: string[], interval: number) =>
      `defaults: {webhookToken: {env: TOKEN}, websocketUrl: "wss://h/ws", postEventIntervalSeconds: ${interval}}\ntargets:\n${ids.map((id) => `  - {id: ${id}, datasetId: d}`).join('\n')}\n`;
    version('..2026_11_30_01', { 'a.yaml': file(['a1', 'a2'], 1) });
    symlinkSync('..data/a.yaml', join(dir, 'a.yaml'));
    const first = await targetsOf(dir);
    assert.deepEqual(
      first.map((t) => [t.id, t.config.posting.intervalMs, t.file]),
      [
        ['a1', 1_000, join(dir, 'a.yaml')],
        ['a2', 1_000, join(dir, 'a.yaml')],
      ],
    );
    // The new version moves a2 to a new file. Kubelet swaps ..data first and links b.yaml after:
    // a read in between sees the whole new version, not a2 twice nor a2 gone.
    version('..2026_11_30_02', { 'a.yaml': file(['a1'], 2), 'b.yaml': file(['a2', 'b1'], 3) });
    const swapped = (await targetsOf(dir)).map((t) => [t.id, t.config.posting.intervalMs]);
    assert.deepEqual(swapped, [
      ['a1', 2_000],
      ['a2', 3_000],
      ['b1', 3_000],
    ]);
    symlinkSync('..data/b.yaml', join(dir, 'b.yaml'));
    rmSync(join(dir, '..2026_11_30_01'), { recursive: true });
    assert.deepEqual(
      (await targetsOf(dir)).map((t) => [t.id, t.config.posting.intervalMs]),
      swapped,
    );
  });

  test('a targets file that is a link is followed', async () => {
    const dir = writeFiles(tempDir(), {
      'real/t.yaml':
        'targets: [{id: x, datasetId: d, webhookToken: {env: TOKEN}, websocketUrl: "ws://h"}]',
    });
    mkdirSync(join(dir, 'mount'));
    symlinkSync(join(dir, 'real', 't.yaml'), join(dir, 'mount', 't.yaml'));
    assert.deepEqual(
      (await targetsOf(join(dir, 'mount', 't.yaml'))).map((t) => t.id),
      ['x'],
    );
  });
});
