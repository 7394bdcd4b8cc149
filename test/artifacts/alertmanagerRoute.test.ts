import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort, waitFor } from '../helpers/stack';
import { tool } from '../helpers/tools';

/**
 * The example Alertmanager route (local/prometheus/alertmanager.yml) in a real Alertmanager:
 * the per-target alerts of an outage that breaks thirty targets make one notification group
 * per alert name and severity, not one per target.
 */
const CONFIG = join(__dirname, '..', '..', '..', 'local', 'prometheus', 'alertmanager.yml');
const ALERTMANAGER = tool('prometheus-alertmanager');

interface Group {
  labels: Record<string, string>;
  alerts: Array<{ labels: Record<string, string> }>;
}

test('the example route groups by alert name and severity: thirty broken targets, one page', {
  skip: ALERTMANAGER.skip,
  timeout: 60_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-alertmanager-'));
  const port = await freePort();
  const server: ChildProcess = spawn(
    ALERTMANAGER.path as string,
    [
      `--config.file=${CONFIG}`,
      `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}/api/v2`;
  try {
    await waitFor(
      async () => (await fetch(`${url}/status`).catch(() => undefined))?.ok ?? false,
      20_000,
      'Alertmanager to answer',
    );
    const alert = (labels: Record<string, string>) => ({
      labels: { job: 'dataplatform-probe', ...labels },
      startsAt: new Date().toISOString(),
    });
    const targets = Array.from({ length: 30 }, (_, i) => `dataset-${i + 1}`);
    const posted = await fetch(`${url}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        ...targets.map((target) =>
          alert({ alertname: 'ProbeEventsAllBad', severity: 'critical', target }),
        ),
        ...targets
          .slice(0, 2)
          .map((target) => alert({ alertname: 'ProbeSLOBurnFast', severity: 'critical', target })),
        alert({ alertname: 'ProbeConfigReloadFailed', severity: 'warning', instance: 'probe-0' }),
      ]),
    });
    assert.equal(posted.status, 200);
    const groups = async () => (await (await fetch(`${url}/alerts/groups`)).json()) as Group[];
    await waitFor(
      async () => (await groups()).reduce((n, g) => n + g.alerts.length, 0) === 33,
      20_000,
      'every alert to be grouped',
    );
    const byGroup = (await groups())
      .map((g) => [g.labels.alertname, g.labels.severity, g.alerts.length].join(' '))
      .sort();
    assert.deepEqual(byGroup, [
      'ProbeConfigReloadFailed warning 1',
      'ProbeEventsAllBad critical 30',
      'ProbeSLOBurnFast critical 2',
    ]);
    const paged = (await groups()).find((g) => g.labels.alertname === 'ProbeEventsAllBad');
    assert.deepEqual(paged?.alerts.map((a) => a.labels.target).sort(), [...targets].sort());
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
});
