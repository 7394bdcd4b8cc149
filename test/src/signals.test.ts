import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { imageCommand, run } from '../helpers/process';
import { DATASET, freePort } from '../helpers/stack';

/** The probe as the image runs it, subscription and collector unreachable (nothing needed). */
const env = (port: number) => ({
  PROBE_WEBHOOK_TOKEN: 'signals-token-9d1e',
  PROBE_DATASET_ID: DATASET,
  WEBSOCKET_URL: 'ws://127.0.0.1:9',
  EVENT_COLLECTOR_URL: 'http://127.0.0.1:9',
  METRICS_PORT: String(port),
  METRICS_HOST: '127.0.0.1',
});

/** Whether something accepts a TCP connection on the loopback port. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const healthy = async (port: number) =>
  (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;

describe('signals', () => {
  test('SIGUSR1 does not open the inspector, SIGUSR2 does not end the probe: both logged, ignored', async () => {
    const [inspector, port] = [await freePort(), await freePort()];
    // The image's command line with the inspector's port moved to a free one: node's flags
    // come before the script.
    const command = imageCommand();
    const probe = run(env(port), {
      command: [
        ...command.slice(0, -1),
        `--inspect-port=127.0.0.1:${inspector}`,
        command.at(-1) as string,
      ],
    });
    try {
      await probe.said('"message":"metrics served"');
      assert.equal(await accepts(inspector), false, 'nothing on the inspector port at the start');
      probe.child.kill('SIGUSR1');
      await probe.said('"signal":"SIGUSR1"');
      assert.equal(await accepts(inspector), false, 'the inspector opened');
      probe.child.kill('SIGUSR2');
      await probe.said('"signal":"SIGUSR2"');
      assert.ok(await healthy(port));
      assert.equal(await accepts(inspector), false);
      probe.child.kill('SIGTERM');
      const { code, signal } = await probe.exit;
      assert.deepEqual({ code, signal }, { code: 0, signal: null });
      assert.equal(probe.stderr(), '', 'node says "Debugger listening" on stderr when it opens');
      const ignored = probe
        .stdout()
        .split('\n')
        .filter((line) => line.includes('"message":"signal ignored"'));
      assert.equal(ignored.length, 2, probe.stdout());
      assert.match(
        ignored[0],
        /"level":"warn".*"signal":"SIGUSR1","why":"the inspector stays closed"/,
      );
    } finally {
      probe.child.kill('SIGKILL');
    }
  });

  test('SIGQUIT stops the probe cleanly (exit 0, logged), without a core dump', async () => {
    const port = await freePort();
    const probe = run(env(port), { command: imageCommand() });
    try {
      await probe.said('"message":"metrics served"');
      assert.ok(await healthy(port));
      probe.child.kill('SIGQUIT');
      const { code, signal } = await probe.exit;
      assert.deepEqual({ code, signal }, { code: 0, signal: null });
      assert.match(probe.stdout(), /"message":"stopping","signal":"SIGQUIT"/);
      assert.match(probe.stdout(), /"message":"stopped"/);
      assert.equal(probe.stderr(), '');
    } finally {
      probe.child.kill('SIGKILL');
    }
  });
});
