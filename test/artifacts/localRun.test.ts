import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { ROOT, type Running, run } from '../helpers/process';
import { freePort, scrapeTargets, waitFor } from '../helpers/stack';

/**
 * `npm run local` and the stand-ins' own command lines, as processes: every port is a
 * variable, they listen on loopback unless told otherwise, a taken port is one line and a
 * non-zero exit, and the demo is a healthy pipeline with one broken target.
 */
const DIST = join(__dirname, '..', '..', 'local');
const command = (script: string) => [process.execPath, join(DIST, script)];
const QUICK = { POST_EVENT_INTERVAL_SECONDS: '0.2', LOG_LEVEL: 'info' };

const started: Running[] = [];
after(() => {
  for (const running of started) running.child.kill('SIGKILL');
});
const start = (script: string, env: Record<string, string>) => {
  const running = run(env, { command: command(script) });
  started.push(running);
  return running;
};

/** An address of this machine other than loopback, if it has one. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((a) => a?.family === 'IPv4' && !a.internal)?.address;

/** Whether something accepts a TCP connection at host:port. */
const accepts = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      resolve(true);
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      resolve(false);
      socket.destroy();
    });
  });

async function movedPorts() {
  return {
    LOCAL_COLLECTOR_PORT: String(await freePort()),
    LOCAL_HUB_PORT: String(await freePort()),
    LOCAL_TOKEN_PORT: String(await freePort()),
  };
}

async function metricsPort(local: Running): Promise<number> {
  await local.said('/metrics', 15_000);
  return Number(/metrics on http:\/\/localhost:(\d+)\/metrics/.exec(local.output())?.[1]);
}

/** A port something else already holds. */
async function taken(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  return { port: (server.address() as { port: number }).port, server };
}

/** What a failed start must look like: one line on stderr, no stack trace, a non-zero exit. */
async function assertOneLine(local: Running, ...words: string[]) {
  const { code } = await local.exit;
  assert.notEqual(code, 0, local.output());
  const lines = local.stderr().trimEnd().split('\n');
  assert.equal(lines.length, 1, local.stderr());
  assert.doesNotMatch(local.stderr(), /^\s+at |Error:|node:internal/m);
  for (const word of words) assert.ok(lines[0].includes(word), `${word} in ${lines[0]}`);
}

describe('npm run local: stand-ins that can be moved', { timeout: 60_000 }, () => {
  test('ports moved by the variables, end to end: the probe posts to them and receives', async () => {
    const ports = await movedPorts();
    const local = start('run.js', { ...ports, ...QUICK, METRICS_PORT: '0' });
    const port = await metricsPort(local);
    await waitFor(
      async () =>
        ((await scrapeTargets(port)).get('probe-local')?.get('probe_events_received_total') ?? 0) >=
        3,
      15_000,
      () => `events received:\n${local.output()}`,
    );
    const stats = await fetch(`http://127.0.0.1:${ports.LOCAL_COLLECTOR_PORT}/stats`);
    assert.ok(stats.ok, 'the collector answers on its moved port');
    const form = 'grant_type=client_credentials&client_id=local-client&client_secret=local-secret';
    const token = await fetch(
      `http://127.0.0.1:${ports.LOCAL_TOKEN_PORT}/realms/x/protocol/openid-connect/token`,
      {
        method: 'POST',
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    );
    assert.equal(token.status, 200, 'the token server answers on its moved port');
    assert.ok(local.output().includes(`ws://127.0.0.1:${ports.LOCAL_HUB_PORT}`), local.output());
  });

  test('the stand-ins listen on loopback only, unless LOCAL_BIND_HOST says otherwise', {
    skip: outside === undefined && 'this machine has no address but loopback',
  }, async () => {
    const ports = await movedPorts();
    const local = start('run.js', { ...ports, ...QUICK, METRICS_PORT: '0' });
    await metricsPort(local);
    for (const port of Object.values(ports)) {
      assert.equal(await accepts('127.0.0.1', Number(port)), true);
      assert.equal(await accepts(outside as string, Number(port)), false, `${outside}:${port}`);
    }
    const hubPort = String(await freePort());
    const hub = start('hub.js', { LOCAL_BIND_HOST: '0.0.0.0', LOCAL_HUB_PORT: hubPort });
    await hub.said('subscription hub on');
    assert.equal(await accepts(outside as string, Number(hubPort)), true);
  });

  for (const [variable, what] of [
    ['LOCAL_HUB_PORT', 'hub'],
    ['LOCAL_TOKEN_PORT', 'token server'],
    ['LOCAL_COLLECTOR_PORT', 'collector'],
  ] as const) {
    test(`a taken ${what} port: one line naming ${variable}, exit non-zero`, async () => {
      const { port } = await taken();
      const local = start('run.js', { ...(await movedPorts()), [variable]: String(port) });
      await assertOneLine(local, what, `127.0.0.1:${port}`, 'already in use', variable);
    });
  }

  for (const [script, variable] of [
    ['hub.js', 'LOCAL_HUB_PORT'],
    ['collector.js', 'LOCAL_COLLECTOR_PORT'],
  ] as const) {
    test(`${script} on its own: a taken port is one line too`, async () => {
      const { port } = await taken();
      const standIn = start(script, { [variable]: String(port) });
      await assertOneLine(standIn, `127.0.0.1:${port}`, 'already in use', variable);
    });
  }

  test('a port that is not one, or a host not of this machine: one line naming the variable', async () => {
    for (const port of ['abc', '65536', '80x']) {
      await assertOneLine(start('run.js', { LOCAL_HUB_PORT: port }), 'LOCAL_HUB_PORT');
    }
    await assertOneLine(start('collector.js', { COLLECTOR_PORT: 'x' }), 'COLLECTOR_PORT');
    await assertOneLine(
      start('run.js', { ...(await movedPorts()), LOCAL_BIND_HOST: '192.0.2.77' }),
      'LOCAL_BIND_HOST',
    );
  });

  test('the compose file binds the stand-ins to every address and points the probe at their ports', () => {
    const compose = parse(readFileSync(join(ROOT, 'local-compose.yaml'), 'utf8')) as {
      services: Record<string, { environment?: Record<string, string>; ports?: string[] }>;
    };
    const { hub, collector, probe } = compose.services;
    for (const service of [hub, collector]) {
      assert.equal(service.environment?.LOCAL_BIND_HOST, '0.0.0.0');
    }
    const published = (service: typeof hub) => service.ports?.[0].split(':')[1];
    assert.equal(probe.environment?.WEBSOCKET_URL, `ws://hub:${published(hub)}`);
    assert.equal(
      probe.environment?.EVENT_COLLECTOR_URL,
      `http://collector:${published(collector)}`,
    );
    assert.equal(collector.environment?.HUB_URL, `http://hub:${published(hub)}`);
  });
});

/** The stand-in collector's tuning of one dataset, as it reports it. */
const tuning = async (port: number, dataset: string) =>
  (await (
    await fetch(`http://127.0.0.1:${port}/config/?dataset=${encodeURIComponent(dataset)}`)
  ).json()) as { NO_EMIT_PERCENT: number };

describe('npm run local: the demo', { timeout: 60_000 }, () => {
  test('several targets: every one healthy at rest but the one broken target, probe-local-2', async () => {
    const ports = await movedPorts();
    const local = start('run.js', {
      ...ports,
      ...QUICK,
      METRICS_PORT: '0',
      LOCAL_TARGETS: '3',
      // Red sooner: a broken target is silent once its events are past the objective, which
      // stays above the demo's longest hold (3 s), so a held event is never overdue.
      LATENCY_OBJECTIVE_SECONDS: '5',
    });
    const port = await metricsPort(local);
    type Row = {
      id: string;
      level: string;
      problem: string | null;
      listeners: { connected: number; configured: number };
    };
    let rows: Row[] = [];
    const look = async () => {
      const body = (await (await fetch(`http://127.0.0.1:${port}/status.json`)).json()) as {
        targets: Row[];
      };
      rows = body.targets;
      return rows;
    };
    // Up: every target's listeners connected (until then each is red for want of them).
    await waitFor(
      async () =>
        (await look()).length === 3 &&
        rows.every((row) => row.listeners.connected === row.listeners.configured),
      15_000,
      () => `listeners up:\n${JSON.stringify(rows)}\n${local.output()}`,
    );
    const seen = new Map<string, Set<string>>();
    await waitFor(
      async () => {
        for (const row of await look()) {
          seen.set(row.id, (seen.get(row.id) ?? new Set()).add(row.level));
        }
        const broken = rows.find((row) => row.id === 'probe-local-2');
        return broken?.level === 'bad' && /^No event received/.test(broken.problem ?? '');
      },
      30_000,
      () => `probe-local-2 red:\n${JSON.stringify(rows)}\n${local.output()}`,
    );
    // From then until the broken one is red for its silence, the others were never amber or red.
    for (const id of ['probe-local-1', 'probe-local-3']) {
      assert.deepEqual([...(seen.get(id) ?? [])], ['ok'], `${id}: ${JSON.stringify(rows)}`);
    }
    assert.match(local.output(), /broken=probe-local-2/);
    // What the collector does to each: nothing dropped but the broken one's every event.
    const collectorPort = Number(ports.LOCAL_COLLECTOR_PORT);
    for (const [id, dropped] of [
      ['probe-local-1', 0],
      ['probe-local-2', 100],
      ['probe-local-3', 0],
    ]) {
      assert.equal((await tuning(collectorPort, id as string)).NO_EMIT_PERCENT, dropped, `${id}`);
    }
  });

  test('one target: healthy, nothing broken', async () => {
    const ports = await movedPorts();
    const collectorPort = Number(ports.LOCAL_COLLECTOR_PORT);
    const local = start('run.js', { ...ports, ...QUICK, METRICS_PORT: '0' });
    const port = await metricsPort(local);
    await waitFor(
      async () =>
        ((await scrapeTargets(port)).get('probe-local')?.get('probe_events_received_total') ?? 0) >=
        5,
      15_000,
      () => local.output(),
    );
    assert.doesNotMatch(local.output(), /broken=/);
    assert.equal((await tuning(collectorPort, 'probe-local')).NO_EMIT_PERCENT, 0);
  });
});
