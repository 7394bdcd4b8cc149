import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { run } from '../helpers/process';
import { LOOPBACK_METRICS, waitFor } from '../helpers/stack';

/** A password with a quote and an encoded space; none of its parts may show, in any form. */
const PASSWORD = 'Sekr"et%20Pw0rd';
const shows = (text: string) => /Sekr|Pw0rd/.test(text);

// Nothing listens on port 9 of the loopback: posts fail and listeners retry, and that is fine.
const env = {
  PROBE_DATASET_ID: 'ds',
  PROBE_WEBHOOK_TOKEN: 'hook-secret-123',
  WEBSOCKET_URL: `ws://user:${PASSWORD}@127.0.0.1:9/ws`,
  EVENT_COLLECTOR_URL: `http://probe:${PASSWORD}@127.0.0.1:9/collector/`,
  ...LOOPBACK_METRICS,
};

describe('a password in a URL never shows', () => {
  const main = join(__dirname, '..', '..', 'src', 'main.js');
  const once = (extra: Record<string, string>, args: string[] = []) =>
    spawnSync(process.execPath, [main, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env, ...extra },
      encoding: 'utf8',
      timeout: 20_000,
    });

  test('in --check-config', () => {
    const result = once({}, ['--check-config']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^WEBSOCKET_URL=ws:\/\/\*\*\*@127\.0\.0\.1:9\/ws$/m);
    assert.match(
      result.stdout,
      /^EVENT_COLLECTOR_URL=http:\/\/\*\*\*@127\.0\.0\.1:9\/collector\/$/m,
    );
    assert.ok(!shows(result.stdout), result.stdout);
  });

  test('in a config error, whichever rule refuses the URL', () => {
    for (const extra of <Array<Record<string, string>>>[
      { WEBSOCKET_URL: `http://user:${PASSWORD}@127.0.0.1:9/ws` }, // a rule of settingRules.ts
      { EVENT_COLLECTOR_URL: `http://probe:${PASSWORD}@127.0.0.1:notaport/` }, // the URL format
      { EVENT_COLLECTOR_URL: `http://probe:${PASSWORD}@127.0.0.1:9/${'a'.repeat(3000)}` }, // too long
      { WEBSOCKET_URL: `ws://user:a/${PASSWORD}@127.0.0.1:9/ws` }, // a / in the password
    ]) {
      const result = once(extra);
      assert.equal(result.status, 2, JSON.stringify(extra));
      assert.match(result.stderr, /^config error: (WEBSOCKET_URL|EVENT_COLLECTOR_URL): /);
      assert.ok(!shows(result.stderr), result.stderr);
    }
  });

  for (const local of ['false', 'true']) {
    test(`in the start-up log (RUN_LOCAL=${local})`, async () => {
      const probe = run({ ...env, RUN_LOCAL: local });
      try {
        await waitFor(
          () => /metrics served/.test(probe.output()) && /probe starting/.test(probe.output()),
          10_000,
          () => `the start-up log:\n${probe.output()}`,
        );
      } finally {
        probe.child.kill('SIGTERM');
        await probe.exit;
      }
      const output = probe.output();
      assert.match(output, /ws:\/\/\*\*\*@127\.0\.0\.1:9\/ws/);
      assert.ok(!shows(output), output);
    });
  }
});
