import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { WebSocketServer } from 'ws';
import { startCollector } from '../../local/collector';
import { startHub } from '../../local/hub';
import { listen } from '../../local/listen';
import { run } from '../helpers/process';
import { DATASET, LOOPBACK_METRICS, scrape, sleep, standInUrls, waitFor } from '../helpers/stack';

/**
 * Hostile peers on loopback, each against a real probe process: a collector, a token server,
 * a subscription hub and metrics clients that do what an attacker would. For each, the process
 * stays up, the books balance, memory stays bounded, and no secret shows anywhere.
 */
const WEBHOOK = 'hostile-webhook-7d1c0e';
const CLIENT_SECRET = 'hostile-client-9a2b4f';

const FAST = {
  PROBE_WEBHOOK_TOKEN: WEBHOOK,
  PROBE_DATASET_ID: DATASET,
  POST_EVENT_INTERVAL_SECONDS: '0.05',
  POST_EVENT_RETRIES: '2',
  POST_TIMEOUT_SECONDS: '0.3',
  POST_RETRY_MAX_DELAY_SECONDS: '0.05',
  MARK_EVENT_LOST_TIMEOUT_SECONDS: '0.6',
  // Long enough that an event handed over by a hub is never forgotten before a starved probe
  // reads it: the books are compared with what the stand-ins did.
  PURGE_EVENT_TIMEOUT_SECONDS: '5',
  CLEAN_EVENTS_INTERVAL_SECONDS: '0.1',
  MISSING_GRACE_SECONDS: '0.2',
  TOKEN_TIMEOUT_SECONDS: '0.3',
  WEBSOCKET_CONNECT_TIMEOUT_SECONDS: '0.5',
  RECONNECT_MIN_SECONDS: '0.05',
  RECONNECT_MAX_SECONDS: '0.4',
  ...LOOPBACK_METRICS,
  LOG_LEVEL: 'debug',
};

const PAGES = ['/', '/metrics', '/healthz', '/readyz', '/status', '/status.json'];

/**
 * What the stand-ins did, to hold the probe's books against: the events the collector took
 * (answered as taken), and of those the ones the hub handed to a subscriber. `stop` makes the
 * collector take nothing more, so the books can settle before they are compared.
 */
interface StandInRecord {
  readonly taken: () => number;
  readonly delivered: () => number;
  readonly stop: () => void;
}

/** A publish function that records which of the probe's events the hub handed on. */
function deliveries(hub: { publish(dataset: string, json: string): number }) {
  const delivered = new Set<number>();
  return {
    delivered: () => delivered.size,
    publish(dataset: string, json: string): number {
      const count = hub.publish(dataset, json);
      const seqno = (JSON.parse(json) as { seqno?: unknown }).seqno;
      if (count > 0 && typeof seqno === 'number') delivered.add(seqno);
      return count;
    },
  };
}

/** The record of the stand-in collector, publishing through `published`. */
function standInRecord(
  collector: { stats: { events: Map<number, unknown> }; tuning: { FAIL_PERCENT: number } },
  published: { delivered: () => number },
): StandInRecord {
  return {
    taken: () => collector.stats.events.size, // by seqno: a retried post is one event

    delivered: published.delivered,
    stop: () => {
      collector.tuning.FAIL_PERCENT = 100;
    },
  };
}

/** Long enough after the collector stops taking posts for every event taken to settle. */
const SETTLE_MS = 1_500;

/**
 * Runs the probe against the given services for `forMs`, then stops the collector taking
 * posts, lets the books settle, and checks what must hold whatever the peers did — the books
 * equal to what the stand-ins did — and stops it with SIGTERM.
 */
async function survives(
  env: Record<string, string>,
  forMs: number,
  secrets: () => string[],
  record: StandInRecord,
  during?: (port: number) => Promise<void>,
): Promise<Map<string, number>> {
  const probe = run({ ...FAST, ...env });
  try {
    const port = await probe.port();
    const started = Date.now();
    await during?.(port);
    await sleep(Math.max(0, forMs - (Date.now() - started)));
    record.stop();
    // Settled: every post the collector took answered (a flooded probe reads answers late),
    // nothing in flight, and every event the hub handed on read — an event past the lost
    // timeout is no longer in flight, yet a starved probe may still have its frame unread.
    await sleep(SETTLE_MS);
    let books = new Map<string, number>();
    await waitFor(
      async () => {
        books = await scrape(port);
        const read =
          (books.get('probe_events_received_total') ?? 0) +
          (books.get('probe_events_late_total') ?? 0);
        return (
          books.get('probe_events_posted_total') === record.taken() &&
          books.get('probe_events_in_flight') === 0 &&
          read === record.delivered()
        );
      },
      15_000,
      () =>
        `the books to settle: ${JSON.stringify([...books].filter(([k]) => k.startsWith('probe_ev')))}, taken ${record.taken()}, delivered ${record.delivered()}`,
    );
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    const pages = await Promise.all(
      PAGES.map(async (path) => (await fetch(`http://127.0.0.1:${port}${path}`)).text()),
    );
    const metrics = await scrape(port);
    const value = (name: string) => metrics.get(name) ?? 0;
    // The books against the stand-ins' own records, not against each other.
    assert.equal(value('probe_events_posted_total'), record.taken(), 'posted = taken');
    assert.equal(
      value('probe_events_received_total') + value('probe_events_late_total'),
      record.delivered(),
      'received (late ones too) = delivered',
    );
    assert.equal(
      value('probe_events_lost_total'),
      record.taken() - value('probe_events_received_total'),
      'lost = taken and not received in time',
    );
    assert.equal(value('probe_events_in_flight'), 0, 'nothing in flight once settled');
    assert.ok(value('probe_events_tracked') < 200, `${value('probe_events_tracked')} tracked`);
    const rssMiB = value('process_resident_memory_bytes') / 2 ** 20;
    assert.ok(rssMiB < 250, `RSS ${rssMiB.toFixed(0)} MiB`);

    probe.child.kill('SIGTERM');
    const { code } = await probe.exit;
    assert.equal(code, 0, probe.output().slice(-2_000));
    const everything = [probe.output(), ...pages].join('\n');
    for (const secret of [WEBHOOK, CLIENT_SECRET, ...secrets()]) {
      assert.ok(!everything.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`);
    }
    return metrics;
  } finally {
    probe.child.kill('SIGKILL');
  }
}

type Answer = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** An HTTP server whose n-th request gets `answers[n % answers.length]`; 503 once stopped. */
async function cycling(answers: Answer[]) {
  let n = 0;
  let stopped = false;
  const open = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    open.add(response);
    response.on('close', () => open.delete(response));
    const answer: Answer = stopped
      ? (_, stop) => stop.writeHead(503).end()
      : answers[n++ % answers.length];
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => answer(request, response, body));
  });
  const listening = await listen(server, 0);
  return {
    url: `http://127.0.0.1:${listening.port}`,
    requests: () => n,
    stop: () => {
      stopped = true;
    },
    close: () =>
      listening.close(() => {
        for (const response of open) response.destroy();
      }),
  };
}

const echoToken = (request: IncomingMessage) =>
  `${request.url} ${request.headers.authorization ?? ''}`;

describe('hostile peers', { concurrency: false, timeout: 60_000 }, () => {
  test('a hostile collector: oversized, garbage, resets, drips, redirects, absurd Retry-After', async () => {
    const hub = await startHub({ port: 0, token: WEBHOOK });
    after(() => hub.close());
    const published = deliveries(hub);
    const taken = new Set<number>();
    const collector = await cycling([
      (request, response) =>
        response.writeHead(200).end(`${echoToken(request)}${'x'.repeat(200_000)}`),
      (_, response) => response.writeHead(200).end(Buffer.from([0xff, 0xfe, 0x00, 0x7b])),
      (request, response) => response.writeHead(500).end(echoToken(request)),
      (_, response) => response.destroy(),
      (_, response) => {
        response.writeHead(200, { 'Content-Length': '100' }).write('{');
      },
      (_, response) =>
        response.writeHead(302, { Location: `http://127.0.0.1:9/steal?token=${WEBHOOK}` }).end(),
      (_, response) => response.writeHead(429, { 'Retry-After': '100000' }).end(),
      (_, response) => response.writeHead(200, { 'X-Big': 'y'.repeat(40_000) }).end('{}'),
      (_, response, body) => {
        taken.add((JSON.parse(body) as { seqno: number }).seqno);
        published.publish(DATASET, body);
        response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"message":"Ok"}');
      },
    ]);
    after(() => collector.close());
    const metrics = await survives(
      { WEBSOCKET_URL: `ws://127.0.0.1:${hub.port}`, EVENT_COLLECTOR_URL: collector.url },
      3_000,
      () => [],
      { taken: () => taken.size, delivered: published.delivered, stop: collector.stop },
    );
    assert.ok((metrics.get('probe_event_post_errors_total') ?? 0) > 5);
    assert.ok(collector.requests() > 20);
  });

  test('a hostile token server: odd lifetimes, garbage, huge answers, hangs, redirects', async () => {
    const hub = await startHub({ port: 0, token: WEBHOOK });
    after(() => hub.close());
    const issued: string[] = [];
    const token = (expires: unknown) => {
      const value = randomBytes(12).toString('hex');
      issued.push(value);
      return JSON.stringify({ access_token: value, expires_in: expires });
    };
    const json = (response: ServerResponse, body: string) =>
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    const tokens = await cycling([
      (_, response) => json(response, token(-5)),
      (_, response) => json(response, token('soon')),
      (_, response) => json(response, token(1e308)),
      (_, response) => json(response, `{"access_token":"${CLIENT_SECRET}","expires_in":1}`),
      (_, response) => json(response, '{"access_token":'),
      (_, response) => json(response, `{"pad":"${'z'.repeat(2_000_000)}"}`),
      () => undefined, // hangs
      (_, response) => response.writeHead(302, { Location: 'http://127.0.0.1:9/' }).end(),
      (_, response) => json(response, token(1)),
    ]);
    after(() => tokens.close());
    const published = deliveries(hub);
    const collector = await startCollector({
      port: 0,
      publish: published.publish,
      acceptBearer: (bearer) => issued.includes(bearer),
    });
    after(() => collector.close());
    const metrics = await survives(
      {
        ...standInUrls(hub, collector),
        KEYCLOAK_SERVER_URL: tokens.url,
        OKDATA_CLIENT_ID: 'probe',
        OKDATA_CLIENT_SECRET: CLIENT_SECRET,
      },
      3_000,
      () => issued,
      standInRecord(collector, published),
    );
    assert.ok((metrics.get('probe_token_requests_total{result="error"}') ?? 0) > 0);
  });

  test('a hostile hub: echoes the token in close reasons, floods, garbage, accept-and-drop', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    after(() => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    });
    let connections = 0;
    wss.on('connection', (ws, request) => {
      connections += 1;
      const token = new URL(request.url ?? '/', 'http://x').searchParams.get('webhook_token') ?? '';
      const kind = connections % 4;
      if (kind === 1) ws.close(4000, `bad token ${token}`.slice(0, 120));
      else if (kind === 2) ws.terminate();
      else {
        const flood = setInterval(() => {
          for (let i = 0; i < 200; i++) {
            ws.send(`{"app_id":"${randomBytes(4).toString('hex')}","seqno":${i + 1}}`);
            ws.send(`{"app_id":"x","seqno":1,"echo":"${token}"}`);
            ws.send('\u0000not json');
            ws.send(Buffer.from([1, 2, 3]));
          }
        }, 20);
        ws.on('close', () => clearInterval(flood));
        setTimeout(() => ws.close(1011, `leaving with ${token}`), 700);
      }
    });
    const address = wss.address() as { port: number };
    // Events go nowhere: every event taken is lost, whatever the hub sends.
    const collector = await startCollector({ port: 0, publish: () => undefined });
    after(() => collector.close());
    const metrics = await survives(
      {
        ...standInUrls(address, collector),
        // No receipt can prove a post here: a post timed out by a flooded probe, though the
        // collector took it, would be a post error and not posted. The collector is a
        // friendly one: give its answers all the time a starved probe needs to read them.
        POST_TIMEOUT_SECONDS: '10',
        POST_EVENT_RETRIES: '0',
      },
      3_000,
      () => [],
      standInRecord(collector, { delivered: () => 0 }),
      async (port) => {
        // While the hub misbehaves, the status page is read: it must never show the token.
        for (let i = 0; i < 10; i++) {
          const page = await (await fetch(`http://127.0.0.1:${port}/status.json`)).text();
          assert.ok(!page.includes(WEBHOOK), 'the token echoed by the hub is on the status page');
          await sleep(150);
        }
      },
    );
    assert.ok((metrics.get('probe_wrong_appid_total') ?? 0) > 100);
    assert.ok(connections >= 4);
  });

  test('hostile metrics clients: slowloris, malformed requests, huge URLs, floods', async () => {
    const hub = await startHub({ port: 0, token: WEBHOOK });
    after(() => hub.close());
    const published = deliveries(hub);
    const collector = await startCollector({ port: 0, publish: published.publish });
    after(() => collector.close());
    const sockets: Socket[] = [];
    after(() => {
      for (const socket of sockets) socket.destroy();
    });
    let posted = 0;
    await survives(
      {
        ...standInUrls(hub, collector),
      },
      3_000,
      () => [],
      standInRecord(collector, published),
      async (port) => {
        const open = (first: string) => {
          const socket = connect(port, '127.0.0.1');
          socket.on('error', () => undefined);
          socket.write(first);
          sockets.push(socket);
          return socket;
        };
        for (let i = 0; i < 200; i++) open('GET /metrics HTTP/1.1\r\nHost: x\r\n'); // never ends
        for (const junk of [
          '\x16\x03\x01\x00',
          'GET / HTTP/9.9\r\n\r\n',
          'BREW /pot HTCPCP\r\n\r\n',
        ]) {
          open(junk);
        }
        open(`GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
        open(
          `POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n${'b'.repeat(65_536)}`,
        );
        await Promise.all(
          Array.from({ length: 100 }, () => fetch(`http://127.0.0.1:${port}/status.json`)),
        );
        // A well-behaved scraper still gets answers at once.
        const started = Date.now();
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        assert.equal(health.status, 200);
        assert.ok(Date.now() - started < 1_000, `healthz took ${Date.now() - started} ms`);
        await waitFor(
          async () => {
            posted = (await scrape(port)).get('probe_events_posted_total') ?? 0;
            return posted > 10;
          },
          3_000,
          'posting goes on',
        );
      },
    );
    assert.ok(posted > 10);
  });
});
