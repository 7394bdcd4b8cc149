import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebSocketServer } from 'ws';
import { CONTROL } from '../../src/logs/controlChars';
import { run } from '../helpers/process';
import { LOOPBACK_METRICS, waitFor } from '../helpers/stack';

/** A close reason that would clear the screen and forge a log line on a terminal. */
const REASON = '\u001b[2J\u001b[H\r\n2026-01-01T00:00:00.000Z INFO  all good \u009b2J\u2028';

for (const local of ['true', 'false']) {
  test(`a hostile close reason reaches the log as one line of visible characters (RUN_LOCAL=${local})`, async () => {
    const hub = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    hub.on('connection', (socket) => socket.close(4000, REASON));
    await new Promise((resolve) => hub.once('listening', resolve));
    const { port } = hub.address() as AddressInfo;
    const probe = run({
      PROBE_DATASET_ID: 'ds',
      PROBE_WEBHOOK_TOKEN: 'hook-secret-123',
      WEBSOCKET_URL: `ws://127.0.0.1:${port}/`,
      EVENT_COLLECTOR_URL: 'http://127.0.0.1:9/', // nothing listens: posts fail, that is fine
      WEBSOCKET_LISTENERS: '1',
      ...LOOPBACK_METRICS,
      RUN_LOCAL: local,
      LOG_LEVEL: 'info',
    });
    try {
      await waitFor(
        () => /all good/.test(probe.output()),
        10_000,
        () => `the close reason in the log:\n${probe.output()}`,
      );
    } finally {
      probe.child.kill('SIGTERM');
      await probe.exit;
      await new Promise((resolve) => hub.close(resolve));
    }
    const lines = probe.output().split('\n').slice(0, -1);
    for (const line of lines) assert.ok(!CONTROL.test(line), JSON.stringify(line));
    // The forged line stays inside the real one.
    const forged = lines.filter((line) => line.includes('all good'));
    assert.ok(forged.length > 0);
    for (const line of forged) assert.match(line, /listener disconnected/);
    if (local === 'true') assert.ok(forged[0].includes('\\x1b[2J\\x1b[H\\r\\n2026'), forged[0]);
  });
}
