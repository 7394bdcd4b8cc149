import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startHub } from '../../local/hub';
import { spelled } from '../../src/logs/spelled';
import { tempDir } from '../helpers/files';
import { type Running, run } from '../helpers/process';
import { LOOPBACK_METRICS, scrapeTargets, waitFor } from '../helpers/stack';

/**
 * Secrets against a hostile hub, through the image's command line: two targets, each with its
 * own token (one from a variable, one from a file), and a hub that echoes each target's token on
 * the other target's connection — in a close reason and in a frame — in every spelling an echo
 * gives it. No spelling of either may show at any exit: the log in both formats, the pages, the
 * metrics, the reload answer, `--check-config`; nor once a target left the file.
 */
const A = 'tokA\\SECRET"apple'; // the second round's shape: a backslash and a quote
const B = 'tokB banana+cherry/9&<x>';
const CORES = ['SECRET', 'apple', 'banana', 'cherry'];

const json = (s: string) => JSON.stringify(s).slice(1, -1);
/** What a far side plausibly echoes: each short enough for a close reason (123 bytes). */
const spellings = (s: string) => [
  s,
  json(s),
  json(json(s)),
  encodeURIComponent(s),
  new URLSearchParams({ v: s }).toString().slice(2),
  s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
  [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
];

/** Which secrets show in `text`, in any spelling. */
const shown = (text: string): string[] => {
  const bytes = spelled(text).bytes;
  return [A, B].filter(
    (s) =>
      CORES.some((core) => s.includes(core) && text.includes(core)) ||
      bytes.includes(spelled(s).bytes),
  );
};

const yaml = (ids: readonly string[], extra = '') =>
  [
    'defaults:',
    '  postEventIntervalSeconds: 1',
    'targets:',
    ...ids.map((id) =>
      id === 'a'
        ? '  - {id: a, datasetId: da, webhookToken: {env: TOKEN_A}}'
        : `  - {id: ${id}, datasetId: d${id}, webhookToken: {file: ${id}.token}}`,
    ),
    extra,
  ].join('\n');

function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

const portOf = async (probe: Running): Promise<number> => {
  let port = 0;
  await waitFor(
    () => {
      const match = /metrics served(?:","port":| port=)(\d+)/.exec(probe.output());
      port = match ? Number(match[1]) : 0;
      return port > 0;
    },
    10_000,
    () => `the metrics port in the log:\n${probe.output()}`,
  );
  return port;
};

const FAST = {
  ...LOOPBACK_METRICS,
  // Nothing listens on port 9: posts fail, which is fine; the listeners are what is tested.
  EVENT_COLLECTOR_URL: 'http://127.0.0.1:9/',
  LISTENER_STAGGER_SECONDS: '0.05',
  RECONNECT_MIN_SECONDS: '0.05',
  RECONNECT_MAX_SECONDS: '0.2',
  LOG_LEVEL: 'debug',
};

describe('every secret of every target, masked everywhere', { timeout: 90_000 }, () => {
  for (const local of ['false', 'true']) {
    test(`a hub echoes one target's token on another's connection (RUN_LOCAL=${local})`, async () => {
      const hub = await startHub({ port: 0 });
      const dir = tempDir('probe-secrets-');
      const file = join(dir, 'targets.yaml');
      writeFileSync(join(dir, 'b.token'), `${B}\n`);
      writeAtomic(file, yaml(['a', 'b']));
      const env = {
        ...FAST,
        PROBE_TARGETS_FILE: file,
        TOKEN_A: A,
        WEBSOCKET_URL: `ws://127.0.0.1:${hub.port}`,
        RUN_LOCAL: local,
        RELOAD_ENDPOINT_ENABLED: 'true',
      };
      const probe = run(env);
      const seen: string[] = [];
      try {
        const port = await portOf(probe);
        const get = async (path: string, init?: RequestInit) => {
          const text = await (await fetch(`http://127.0.0.1:${port}${path}`, init)).text();
          seen.push(`${path}: ${text}`);
          return text;
        };
        const up = (dataset: string) =>
          waitFor(() => hub.subscribers(dataset) > 0, 10_000, `a listener of ${dataset}`);
        const closes = () => (probe.output().match(/listener disconnected/g) ?? []).length;
        /** Each spelling of `secret`, on `dataset`'s connection: as a frame, then a close. */
        const echo = async (dataset: string, secret: string) => {
          for (const form of spellings(secret)) {
            await up(dataset);
            hub.sendRaw(dataset, `not json ${form}`);
            const reason = `bad token ${form}`;
            if (Buffer.byteLength(reason) > 123) continue;
            const before = closes();
            hub.closeOldest(dataset, 1008, reason);
            await waitFor(
              () => closes() > before,
              10_000,
              () => `the close:\n${probe.output()}`,
            );
          }
          await up(dataset);
        };
        await echo('db', A);
        await echo('da', B);
        assert.ok(closes() >= 12, 'every close in the log');
        for (const path of ['/status', '/status.json', '/metrics', '/status/target?id=b']) {
          await get(path);
        }
        await get('/status/target.json?id=b');
        await get('/status/target.json?id=a');

        // A leaves the file; its token stays masked while anything can still echo it.
        writeAtomic(file, yaml(['b']));
        probe.child.kill('SIGHUP');
        await waitFor(
          async () => !(await scrapeTargets(port)).has('a'),
          10_000,
          'target a gone after the reload',
        );
        await echo('db', A);
        await get('/status.json');

        // A reload refused, whose file quotes A's token where a parser shows the line.
        writeAtomic(file, yaml(['b'], `  - {id: c, datasetId: "${json(A)}`));
        const answer = await get('/-/reload', { method: 'POST' });
        assert.match(answer, /\S/, 'the reload answer says something');
        await waitFor(() => /reload refused/.test(probe.output()), 10_000, 'the refusal logged');
      } finally {
        probe.child.kill('SIGTERM');
        await probe.exit;
        await hub.close();
      }
      const output = probe.output();
      assert.match(output, /listener disconnected/);
      assert.deepEqual(shown(output), [], `the log:\n${output}`);
      for (const page of seen) assert.deepEqual(shown(page), [], page.slice(0, 2_000));
    });
  }

  test('--check-config with the two targets shows no spelling of either token', () => {
    const dir = tempDir('probe-secrets-');
    writeFileSync(join(dir, 'b.token'), `${B}\n`);
    const file = join(dir, 'targets.yaml');
    for (const text of [yaml(['a', 'b']), yaml(['a', 'b'], `  - {id: c, datasetId: "${json(A)}`)]) {
      writeAtomic(file, text);
      const result = spawnSync(
        process.execPath,
        [join(__dirname, '..', '..', 'src', 'main.js'), '--check-config'],
        {
          env: {
            PATH: process.env.PATH ?? '',
            ...FAST,
            PROBE_TARGETS_FILE: file,
            TOKEN_A: A,
            WEBSOCKET_URL: 'ws://127.0.0.1:9/',
          },
          encoding: 'utf8',
          timeout: 20_000,
        },
      );
      const output = `${result.stdout}${result.stderr}`;
      assert.notEqual(output, '', 'it says something');
      assert.deepEqual(shown(output), [], output);
    }
  });
});

describe('a secret file that is not a regular file, on reload', { timeout: 60_000 }, () => {
  test('a FIFO fails the reload visibly; the file mended, the next reload applies', async () => {
    const hub = await startHub({ port: 0 });
    const dir = tempDir('probe-secrets-');
    const file = join(dir, 'targets.yaml');
    writeFileSync(join(dir, 'b.token'), 'token-of-b-1\n');
    writeAtomic(file, yaml(['b']));
    const probe = run({
      ...FAST,
      PROBE_TARGETS_FILE: file,
      WEBSOCKET_URL: `ws://127.0.0.1:${hub.port}`,
    });
    try {
      const port = await probe.port();
      const reloadOk = async () =>
        (await scrapeTargets(port)).get('')?.get('probe_config_last_reload_successful');
      // The token file becomes a FIFO no one writes to: a read would block for ever.
      rmSync(join(dir, 'b.token'));
      const made = spawnSync('mkfifo', [join(dir, 'b.token')]);
      assert.equal(made.status, 0);
      probe.child.kill('SIGHUP');
      await waitFor(
        async () => (await reloadOk()) === 0,
        10_000,
        'the reload failed, by the gauge',
      );
      assert.match(probe.output(), /reload refused, the running targets stay/);
      assert.match(probe.output(), /b\.token, which is a named pipe \(FIFO\), not a regular file/);
      assert.deepEqual(
        [...(await scrapeTargets(port)).keys()].filter((id) => id !== ''),
        ['b'],
      );

      // Mended: the next reload is not queued behind a read that never ends.
      rmSync(join(dir, 'b.token'));
      writeFileSync(join(dir, 'b.token'), 'token-of-b-2\n');
      probe.child.kill('SIGHUP');
      await waitFor(async () => (await reloadOk()) === 1, 10_000, 'the next reload applied');
      assert.match(probe.output(), /targets reloaded/);
    } finally {
      probe.child.kill('SIGTERM');
      await probe.exit;
      await hub.close();
    }
  });
});
