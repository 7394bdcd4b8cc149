import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { run } from '../helpers/process';
import { freePort, waitFor } from '../helpers/stack';
import { tool } from '../helpers/tools';

const SCRIPT = join(__dirname, '..', '..', 'local', 'prometheus.js');
const prometheus = tool('prometheus');

/** `npm run local:prometheus` on free ports, scraping nothing; its data folder from its word. */
async function startLocalPrometheus(prometheusPort: number) {
  const alertmanagerPort = await freePort();
  const local = run(
    {
      PROMETHEUS_LISTEN: `127.0.0.1:${prometheusPort}`,
      ALERTMANAGER_LISTEN: `127.0.0.1:${alertmanagerPort}`,
      PROBE_TARGET: '127.0.0.1:9',
    },
    { command: [process.execPath, SCRIPT] },
  );
  await local.said('(data in ');
  const dir = /\(data in ([^)]+)\)/.exec(local.stdout())?.[1] ?? '';
  assert.ok(existsSync(join(dir, 'prometheus.yml')), dir);
  return { local, dir };
}

describe('npm run local:prometheus', { skip: prometheus.skip, timeout: 60_000 }, () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`removes its temporary folder when it ends on ${signal}`, async () => {
      const port = await freePort();
      const { local, dir } = await startLocalPrometheus(port);
      try {
        await waitFor(
          async () =>
            (await fetch(`http://127.0.0.1:${port}/-/ready`).catch(() => null))?.ok ?? false,
          20_000,
          () => `Prometheus ready:\n${local.output()}`,
        );
        assert.ok(existsSync(join(dir, 'data')), 'Prometheus writes its data into the folder');
        local.child.kill(signal);
        await local.exit;
        assert.equal(existsSync(dir), false, `${dir} left behind`);
      } finally {
        // SIGTERM, so that a failing run still stops the servers it started.
        local.child.kill('SIGTERM');
      }
    });
  }

  test('removes it too when Prometheus ends by itself (its port taken), with its exit code', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const { local, dir } = await startLocalPrometheus(port);
      const { code } = await local.exit;
      assert.notEqual(code, 0);
      assert.equal(existsSync(dir), false, `${dir} left behind`);
    } finally {
      taken.close();
    }
  });
});
