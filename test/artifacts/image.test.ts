import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { startCollector } from '../../local/collector';
import { startHub } from '../../local/hub';
import { imageCommand, ROOT, run } from '../helpers/process';
import { DATASET, freePort, scrape, standInUrls, waitFor } from '../helpers/stack';

const TOKEN = 'image-webhook-token-71c2';
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

/** The runtime stage's `ENV NAME=value` lines: the image runs with them. */
function imageEnv(): Record<string, string> {
  const runtime = DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM '));
  return Object.fromEntries([...runtime.matchAll(/^ENV (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
}

/** The HEALTHCHECK's JSON-array command. */
function healthCommand(): string[] {
  const line = /^\s*CMD (\[.*\])\s*$/m.exec(DOCKERFILE.slice(DOCKERFILE.indexOf('HEALTHCHECK')));
  assert.ok(line, 'the HEALTHCHECK has a JSON-array CMD');
  return JSON.parse(line[1]);
}

describe('the image', () => {
  test("the Dockerfile's CMD starts cleanly: no stderr, no error line, it posts, serves /healthz, and SIGTERM exits 0", async () => {
    const hub = await startHub({ port: 0, token: TOKEN });
    const collector = await startCollector({
      port: 0,
      publish: (dataset, json) => hub.publish(dataset, json),
      tuning: { ADD_LATENCY_PERCENT: 0, NO_EMIT_PERCENT: 0 },
    });
    const port = await freePort();
    const env = {
      ...imageEnv(),
      PROBE_WEBHOOK_TOKEN: TOKEN,
      PROBE_DATASET_ID: DATASET,
      ...standInUrls(hub, collector),
      POST_EVENT_INTERVAL_SECONDS: '0.1',
      METRICS_PORT: String(port),
      METRICS_HOST: '127.0.0.1',
    };
    const probe = run(env, { command: imageCommand() });
    try {
      await probe.said('"message":"metrics served"');
      await waitFor(
        async () => ((await scrape(port)).get('probe_events_received_total') ?? 0) >= 3,
        10_000,
        () => `three events received:\n${probe.output()}`,
      );
      assert.ok(collector.stats.accepted >= 3);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      // The image's own HEALTHCHECK, as Docker runs it inside the container.
      const [file, ...args] = healthCommand();
      const check = spawnSync(file, args, {
        env: { PATH: process.env.PATH ?? '', METRICS_PORT: String(port) },
        encoding: 'utf8',
        timeout: 10_000,
      });
      assert.equal(check.status, 0, check.stderr);

      probe.child.kill('SIGTERM');
      const { code, signal } = await probe.exit;
      assert.deepEqual({ code, signal }, { code: 0, signal: null });
      assert.equal(probe.stderr(), '');
      const lines = probe.stdout().trim().split('\n');
      const levels = lines.map((line) => (JSON.parse(line) as { level: string }).level);
      assert.ok(!levels.includes('error'), probe.stdout());
      assert.ok(lines.some((line) => line.includes('"message":"stopped"')));
    } finally {
      probe.child.kill('SIGKILL');
      await Promise.all([hub.close(), collector.close()]);
    }
  });

  test("--check-config through the image's command line: 0 when valid, 2 and one line a problem when not", () => {
    const check = (env: Record<string, string>) => {
      const [file, ...args] = imageCommand();
      return spawnSync(file, [...args, '--check-config'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...imageEnv(), ...env },
        encoding: 'utf8',
        timeout: 20_000,
      });
    };
    const good = {
      PROBE_WEBHOOK_TOKEN: TOKEN,
      PROBE_DATASET_ID: 'ds',
      WEBSOCKET_URL: 'wss://x/ws',
    };
    const ok = check(good);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stderr, '');
    assert.match(ok.stdout, /\nconfig ok\n$/);
    const bad = check({ ...good, METRICS_PORT: 'eighty', WEBSOCKET_URL: '' });
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    const lines = bad.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, bad.stderr);
    for (const line of lines) assert.match(line, /^config error: (WEBSOCKET_URL|METRICS_PORT): /);
    // A bad configuration without --check-config: the same lines and code, nothing started.
    const [file, ...args] = imageCommand();
    const start = spawnSync(file, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...imageEnv() },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(start.status, 2);
    assert.equal(start.stdout, '');
    assert.ok(
      start.stderr
        .split('\n')
        .filter(Boolean)
        .every((l) => l.startsWith('config error: ')),
    );
  });
});

describe('the package scripts', () => {
  test("`npm start` is the image's command line, with nothing (no build) run before or after it", () => {
    assert.deepEqual(PACKAGE.scripts.start.trim().split(/\s+/), imageCommand());
    for (const hook of ['prestart', 'poststart']) {
      assert.equal(PACKAGE.scripts[hook], undefined, `${hook} runs with npm start`);
    }
  });

  test('`npm test` runs every compiled *.test.js file and nothing else (no helper)', () => {
    const script = PACKAGE.scripts.test.split('&&').at(-1)?.trim() ?? '';
    assert.equal(script, 'sh scripts/test.sh');
    const expanded = spawnSync('sh', ['scripts/test.sh', '--list'], { cwd: ROOT, encoding: 'utf8' })
      .stdout.trim()
      .split('\n');
    const compiled = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? compiled(join(dir, entry.name)) : [join(dir, entry.name)],
      );
    const tests = compiled(join(ROOT, 'dist', 'test'))
      .filter((file) => file.endsWith('.test.js'))
      .map((file) => relative(ROOT, file));
    assert.ok(tests.length > 10);
    assert.deepEqual(expanded.sort(), tests.sort());
  });
});
