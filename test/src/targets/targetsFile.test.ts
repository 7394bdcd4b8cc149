import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { run } from '../../helpers/process';
import {
  LOOPBACK_METRICS,
  scrapeTargets,
  standInUrls,
  startStandIns,
  WEBHOOK_TOKEN,
  waitFor,
} from '../../helpers/stack';

/**
 * The targets file through the image's own command line: many targets from one file, reloaded
 * on SIGHUP, on `POST /-/reload` and when the file changes; a bad file changes nothing.
 */
const yaml = (ids: string[], interval = '0.2') =>
  [
    'defaults:',
    `  postEventIntervalSeconds: ${interval}`,
    '  webhookToken: {env: HOOK}',
    'targets:',
    ...ids.map((id) => `  - {id: ${id}, datasetId: ${id}, labels: {team: t-${id}}}`),
    '',
  ].join('\n');

describe('the targets file, as the image runs it', { timeout: 60_000 }, () => {
  test('many targets from one file, reloaded by signal, endpoint and change; a bad file refused', async () => {
    const { hub, collector } = await startStandIns();
    const dir = mkdtempSync(join(tmpdir(), 'probe-targets-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'targets.yaml');
    // Written whole and renamed into place, as an editor or a ConfigMap swap does.
    const write = (text: string) => {
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
    };
    write(yaml(['orders', 'payments']));
    const probe = run({
      PROBE_TARGETS_FILE: file,
      HOOK: WEBHOOK_TOKEN,
      ...standInUrls(hub, collector),
      ...LOOPBACK_METRICS,
      LISTENER_STAGGER_SECONDS: '0.05',
      RELOAD_ENDPOINT_ENABLED: 'true',
    });
    try {
      const port = await probe.port();
      const targets = async () => {
        const series = await scrapeTargets(port);
        return [...series.keys()].filter((id) => id !== '').sort();
      };
      const processSeries = async () => (await scrapeTargets(port)).get('') ?? new Map();
      await waitFor(
        async () =>
          ((await scrapeTargets(port)).get('payments')?.get('probe_events_received_total') ?? 0) >
          2,
        10_000,
        'both targets posting and receiving',
      );
      assert.deepEqual(await targets(), ['orders', 'payments']);
      assert.equal((await processSeries()).get('probe_targets_configured'), 2);
      assert.equal(
        (await scrapeTargets(port))
          .get('orders')
          ?.get(
            'probe_target_info{dataset="orders",version="1",environment="prod",team="t-orders"}',
          ),
        1,
      );
      assert.ok(!probe.output().includes(WEBHOOK_TOKEN), 'the token never shows');

      // SIGHUP: a third target comes, and the process goes on.
      write(yaml(['orders', 'payments', 'refunds']));
      probe.child.kill('SIGHUP');
      await waitFor(async () => (await targets()).length === 3, 5_000, 'the SIGHUP reload');
      assert.equal(probe.child.exitCode, null);

      // The endpoint: one goes.
      write(yaml(['orders', 'refunds']));
      const answer = await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' });
      assert.equal(answer.status, 200);
      assert.match(await answer.text(), /0 added, 1 removed, 0 changed/);
      assert.deepEqual(await targets(), ['orders', 'refunds']);

      // A change of the file alone, applied once it has stopped changing (two looks, ~4 s).
      write(yaml(['orders']));
      await waitFor(async () => (await targets()).length === 1, 10_000, 'the change seen');

      // A bad file changes nothing, and says why: in the answer, the gauge and the log.
      write(`${yaml(['orders', 'shipping'])}  - {id: broken}\n`);
      const refused = await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' });
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /broken/);
      assert.deepEqual(await targets(), ['orders']);
      assert.equal((await processSeries()).get('probe_config_last_reload_successful'), 0);
      assert.match(probe.output(), /reload refused, the running targets stay/);
    } finally {
      probe.child.kill('SIGTERM');
      const { code } = await probe.exit;
      assert.equal(code, 0, probe.output().slice(-2_000));
    }
  });

  test('a bad targets file at start: every problem, exit 2, nothing started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-targets-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'targets.yaml');
    writeFileSync(
      file,
      'targets:\n  - {id: a, datasetId: a, webhookToken: literal-token}\n  - {id: a}\n',
    );
    const probe = run({ PROBE_TARGETS_FILE: file, METRICS_PORT: '0' });
    const { code } = await probe.exit;
    assert.equal(code, 2);
    const errors = probe.stderr().trim().split('\n');
    assert.ok(errors.length >= 2, probe.stderr());
    assert.ok(
      errors.every((line) => line.startsWith('config error: ')),
      probe.stderr(),
    );
    assert.ok(!probe.stderr().includes('literal-token'), 'a literal secret is not echoed');
    assert.equal(probe.stdout(), '');
  });
});
