import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WebSocketServer } from 'ws';
import { startHub } from '../../../local/hub';
import { connectedListeners } from '../../../streams/listenerView';
import { inFlight } from '../../../streams/trackerState';
import {
  DATASET,
  freePort,
  scrape,
  sleep,
  startStack,
  WEBHOOK_TOKEN,
  waitFor,
} from '../../helpers/stack';

const FAST = {
  POST_EVENT_INTERVAL_SECONDS: '0.05',
  MARK_EVENT_LOST_TIMEOUT_SECONDS: '1',
  CLEAN_EVENTS_INTERVAL_SECONDS: '0.1',
  MISSING_GRACE_SECONDS: '0.2',
  RECONNECT_MIN_SECONDS: '0.05',
  RECONNECT_MAX_SECONDS: '0.4',
};

/** Stops new events (the collector refuses posts) and waits until none is in flight. */
async function settle(stack: Awaited<ReturnType<typeof startStack>>): Promise<void> {
  stack.collector.tuning.FAIL_PERCENT = 100;
  await waitFor(
    () => {
      const state = stack.probe.state();
      return state !== undefined && inFlight(state) === 0;
    },
    5_000,
    'the books to settle',
  );
}

describe('subscription faults', () => {
  test('a refused connect (403) is logged with its status, counted, and retried with backoff', async () => {
    const hub = await startHub({ port: 0, token: 'the-right-token' });
    const stack = await startStack({
      ...FAST,
      WEBSOCKET_URL: `ws://127.0.0.1:${hub.port}`,
      WEBSOCKET_LISTENERS: '1',
    });
    try {
      // Wait on the probe's books, not the hub's: the hub counts a refusal before the probe has
      // read it.
      await waitFor(
        () => (stack.probe.state()?.listeners.get(0)?.disconnects ?? 0) >= 4,
        5_000,
        'four refused connects',
      );
      assert.ok(hub.stats.refused >= 4);
      const view = stack.probe.state()?.listeners.get(0);
      assert.equal(view?.status === 'connected', false);
      assert.equal(view?.disconnect?.cause, 'refused');
      assert.equal(view?.disconnect?.status, 403);
      assert.match(view?.disconnect?.detail ?? '', /HTTP 403/);
      const metrics = await scrape(stack.probe.port);
      assert.ok(
        (metrics.get('probe_listener_reconnects_total{listener="0",cause="refused_403"}') ?? 0) >=
          4,
      );
      assert.equal(metrics.get('probe_event_listeners_connected_count'), 0);
      const ready = await fetch(`http://127.0.0.1:${stack.probe.port}/readyz`);
      assert.equal(ready.status, 503);
      assert.match(await ready.text(), /no listener connected/);
    } finally {
      await stack.stop();
      await hub.close();
    }
  });

  test('connection refused, then the server comes up: the listener connects', async () => {
    const port = await freePort();
    const stack = await startStack({
      ...FAST,
      WEBSOCKET_URL: `ws://127.0.0.1:${port}`,
      WEBSOCKET_LISTENERS: '1',
    });
    let hub: Awaited<ReturnType<typeof startHub>> | undefined;
    try {
      await waitFor(
        () => (stack.probe.state()?.listeners.get(0)?.disconnects ?? 0) >= 2,
        5_000,
        'refusals',
      );
      const refused = stack.probe.state()?.listeners.get(0)?.disconnect;
      assert.equal(refused?.cause, 'connection_refused');
      assert.match(refused?.detail ?? '', /ECONNREFUSED/);
      hub = await startHub({ port, token: WEBHOOK_TOKEN });
      await waitFor(
        () => connectedListeners(stack.probe.state()?.listeners ?? new Map()) === 1,
        5_000,
        'connect',
      );
    } finally {
      await stack.stop();
      await hub?.close();
    }
  });

  test('a name that does not resolve is a DNS failure, retried forever', async () => {
    const stack = await startStack({
      ...FAST,
      WEBSOCKET_URL: 'ws://no-such-host.invalid:8765',
      WEBSOCKET_LISTENERS: '1',
    });
    try {
      await waitFor(
        () => (stack.probe.state()?.listeners.get(0)?.disconnects ?? 0) >= 2,
        10_000,
        'failures',
      );
      const metrics = await scrape(stack.probe.port);
      assert.ok(
        (metrics.get('probe_listener_reconnects_total{listener="0",cause="dns"}') ?? 0) >= 2,
      );
    } finally {
      await stack.stop();
    }
  });

  test('server closes (1001, dropped 1006, idle): reconnects; with two listeners nothing delivered is lost', async () => {
    const stack = await startStack({ ...FAST, WEBSOCKET_LISTENERS: '2' });
    try {
      await waitFor(() => stack.hub.subscribers(DATASET) === 2, 5_000, 'two subscribers');
      // Cut one connection at a time, as the gateway does; the other listener keeps listening.
      for (const code of [1001, 1006, 1000, 1001, 1006]) {
        await sleep(250);
        stack.hub.closeOldest(DATASET, code);
        await waitFor(() => stack.hub.subscribers(DATASET) === 2, 5_000, 'the reconnect');
      }
      await sleep(300);
      await settle(stack);
      const metrics = await scrape(stack.probe.port);
      assert.equal(metrics.get('probe_events_lost_total'), 0);
      assert.ok((metrics.get('probe_events_received_total') ?? 0) >= 20);
      assert.equal(
        metrics.get('probe_events_posted_total'),
        metrics.get('probe_events_received_total'),
      );
      const causes = [...metrics.entries()].filter(([k]) =>
        k.startsWith('probe_listener_reconnects_total'),
      );
      const total = causes.reduce((sum, [, v]) => sum + v, 0);
      assert.equal(total, 5, JSON.stringify(causes));
      assert.ok(causes.some(([k]) => k.includes('cause="closed_going_away"')));
      assert.ok(causes.some(([k]) => k.includes('cause="dropped"')));
      assert.ok(causes.some(([k]) => k.includes('cause="closed_normal"')));
      assert.equal(metrics.get('probe_event_listeners_connected_count'), 2);
    } finally {
      await stack.stop();
    }
  });

  test('rotation replaces each connection make-before-break: no event missed, none doubled', async () => {
    const stack = await startStack({
      ...FAST,
      WEBSOCKET_LISTENERS: '1',
      WEBSOCKET_MAX_CONNECTION_SECONDS: '1',
    });
    try {
      await sleep(3_500);
      await settle(stack);
      const metrics = await scrape(stack.probe.port);
      const view = stack.probe.state()?.listeners.get(0);
      assert.ok((view?.connects ?? 0) >= 3, `${view?.connects} connects`);
      assert.equal(view?.disconnects, 0);
      assert.equal(metrics.get('probe_events_lost_total'), 0);
      assert.equal(metrics.get('probe_events_duplicates_total'), 0);
      assert.equal(
        metrics.get('probe_events_posted_total'),
        metrics.get('probe_events_received_total'),
      );
      assert.ok((metrics.get('probe_listener_rotations_total{listener="0"}') ?? 0) >= 2);
      assert.equal(stack.hub.subscribers(DATASET), 1, 'old connections are closed');
    } finally {
      await stack.stop();
    }
  });

  test('the gateway idle close is survived', async () => {
    const hub = await startHub({ port: 0, token: WEBHOOK_TOKEN, idleSeconds: 0.3 });
    const stack = await startStack(
      { ...FAST, WEBSOCKET_URL: `ws://127.0.0.1:${hub.port}`, WEBSOCKET_LISTENERS: '1' },
      { FAIL_PERCENT: 100 },
    );
    try {
      await waitFor(
        () => (stack.probe.state()?.listeners.get(0)?.disconnects ?? 0) >= 2,
        5_000,
        'idle closes',
      );
      await waitFor(
        () => stack.probe.state()?.listeners.get(0)?.status === 'connected',
        5_000,
        'reconnect',
      );
      // Each idle close is the hub's, told apart as a going-away close and counted as one.
      const view = stack.probe.state()?.listeners.get(0);
      assert.equal(view?.disconnectsByCause.get('closed_going_away'), view?.disconnects);
      assert.ok((view?.disconnects ?? 0) <= hub.stats.closedByHub);
      const metrics = await scrape(stack.probe.port);
      assert.equal(
        metrics.get('probe_listener_reconnects_total{listener="0",cause="closed_going_away"}'),
        view?.disconnects,
      );
    } finally {
      await stack.stop();
      await hub.close();
    }
  });

  test('a gateway that keeps one connection and kicks the rest cannot defeat the backoff', async () => {
    const picky = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => picky.once('listening', resolve));
    let kept = false;
    let attempts = 0;
    picky.on('connection', (ws) => {
      attempts += 1;
      if (kept) ws.close(1013, 'try again later');
      else kept = true;
    });
    const port = (picky.address() as { port: number }).port;
    const stack = await startStack({
      ...FAST,
      WEBSOCKET_URL: `ws://127.0.0.1:${port}`,
      WEBSOCKET_LISTENERS: '16',
      LISTENER_STAGGER_SECONDS: '0.01',
    });
    try {
      await sleep(1_000); // every listener's backoff at its cap (0.4 s) by now
      const before = attempts;
      await sleep(2_000);
      const perSecond = (attempts - before) / 2;
      // 15 kicked listeners, each waiting at least half the cap (0.2 s): at most 75 a second.
      // A connect that woke every waiting listener made it several hundred.
      assert.ok(perSecond <= 80, `${perSecond} connection attempts a second`);
      assert.ok(perSecond >= 15, `${perSecond} connection attempts a second: still retrying`);
    } finally {
      await stack.stop();
      for (const ws of picky.clients) ws.terminate();
      await new Promise((resolve) => picky.close(resolve));
    }
  });

  test('a server that stops answering pings is cut and reconnected', async () => {
    const silent = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
    await new Promise((resolve) => silent.once('listening', resolve));
    const port = (silent.address() as { port: number }).port;
    const stack = await startStack({
      ...FAST,
      WEBSOCKET_URL: `ws://127.0.0.1:${port}`,
      WEBSOCKET_LISTENERS: '1',
      WEBSOCKET_PING_INTERVAL_SECONDS: '0.1',
    });
    try {
      await waitFor(
        () => (stack.probe.state()?.listeners.get(0)?.connects ?? 0) >= 1,
        5_000,
        'connect',
      );
      await waitFor(
        () => (stack.probe.state()?.listeners.get(0)?.disconnects ?? 0) >= 1,
        5_000,
        'cut',
      );
      const cut = stack.probe.state()?.listeners.get(0)?.disconnect;
      assert.equal(cut?.cause, 'no_pong');
      assert.equal(cut?.code, 1006);
    } finally {
      await stack.stop();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('recovery', () => {
  test('after an outage, with the default backoff, both listeners are back within seconds of the hub', async (t) => {
    // The default backoff (0.5 s doubling to 5 s), not the fast one of the other tests.
    const stack = await startStack({ POST_EVENT_INTERVAL_SECONDS: '0.2' });
    let hub: Awaited<ReturnType<typeof startHub>> | undefined;
    const views = () => [...(stack.probe.state()?.listeners.values() ?? [])];
    try {
      await waitFor(() => connectedListeners(stack.probe.state()?.listeners ?? new Map()) === 2);
      const port = stack.hub.port;
      await stack.hub.close();
      const downFrom = views().map((view) => view.disconnects);
      await sleep(12_000); // long enough to reach the longest backoff
      const attempts = views().map((view, i) => view.disconnects - downFrom[i]);
      hub = await startHub({ port, token: WEBHOOK_TOKEN });
      const backAt = Date.now();
      await waitFor(
        () => connectedListeners(stack.probe.state()?.listeners ?? new Map()) === 2,
        10_000,
        'both listeners back',
      );
      const tookMs = Date.now() - backAt;
      t.diagnostic(`back ${tookMs} ms after the hub; ${attempts} attempts while it was down 12 s`);
      // Back within one longest backoff (5 s), the second with the first.
      assert.ok(tookMs < 5_500, `back after ${tookMs} ms`);
      // Without hammering: 0.5, 1, 2, 4, 5, 5 … s between attempts while it was down.
      for (const count of attempts)
        assert.ok(count >= 3 && count <= 9, `${attempts} attempts in 12 s`);
    } finally {
      await stack.stop();
      await hub?.close();
    }
  });
});

describe('bad messages on the subscription', () => {
  test('each kind is counted by reason and the probe carries on', async () => {
    const stack = await startStack({ ...FAST, WEBSOCKET_LISTENERS: '1' });
    try {
      await waitFor(() => stack.hub.subscribers(DATASET) === 1, 5_000, 'a subscriber');
      const appId = stack.probe.appId;
      const frames: Array<string | Buffer> = [
        'not json at all',
        '[1,2,3]',
        '42',
        'null',
        '{"seqno": 1}',
        '{"app_id": 12, "seqno": 1}',
        `{"app_id": "${appId}", "seqno": "1"}`,
        `{"app_id": "${appId}", "seqno": -4}`,
        `{"app_id": "${appId}", "seqno": 2.5}`,
        `{"app_id": "${appId}", "seqno": 1e400}`,
        `{"__proto__": {"app_id": "${appId}", "seqno": 1}, "constructor": {"prototype": {"polluted": 1}}}`,
        `${'['.repeat(30_000)}${']'.repeat(30_000)}`,
        `{"app_id": "${appId}", "seqno": 99999999}`,
        Buffer.from([0xde, 0xad, 0xbe, 0xef]),
        'x'.repeat(100_000),
      ];
      for (const frame of frames) stack.hub.sendRaw(DATASET, frame);
      await waitFor(
        async () => {
          const m = await scrape(stack.probe.port);
          return (m.get('probe_unknown_seqno_total') ?? 0) === 1;
        },
        5_000,
        'the frames to be counted',
      );
      const metrics = await scrape(stack.probe.port);
      const malformed = (reason: string) =>
        metrics.get(`probe_malformed_messages_total{reason="${reason}"}`);
      assert.equal(malformed('not-json'), 1);
      assert.equal(malformed('not-an-object'), 4); // deep nesting parses (V8 is iterative): an array
      assert.equal(malformed('bad-app-id'), 3);
      assert.equal(malformed('bad-seqno'), 4);
      assert.equal(malformed('binary'), 1);
      assert.equal(malformed('too-large'), 1);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      // A frame over the cap makes ws close the connection (1009); the listener comes back.
      stack.hub.sendRaw(DATASET, 'y'.repeat(2 * 1024 * 1024));
      await waitFor(
        async () => {
          const m = await scrape(stack.probe.port);
          return (
            (m.get('probe_listener_reconnects_total{listener="0",cause="frame_too_large"}') ??
              0) === 1
          );
        },
        5_000,
        'the oversize close',
      );
      await waitFor(() => stack.hub.subscribers(DATASET) === 1, 5_000, 'the reconnect');
      const received = stack.probe.state()?.totals.received ?? 0;
      await waitFor(
        () => (stack.probe.state()?.totals.received ?? 0) > received + 3,
        5_000,
        'receipts again',
      );
    } finally {
      await stack.stop();
    }
  });
});
