import { createServer, type ServerResponse } from 'node:http';
import { readBody } from './body';
import { listen } from './listen';

/** The knobs `/config/?…` sets at run time; percents 0–100, seconds for the latency range. */
export interface CollectorTuning {
  ADD_LATENCY_PERCENT: number;
  LATENCY_RANGE_MIN: number;
  LATENCY_RANGE_MAX: number;
  NO_EMIT_PERCENT: number;
  /** Emit the event twice. */
  DUPLICATE_PERCENT: number;
  /** Also emit an event of another probe (a foreign app_id). */
  FOREIGN_PERCENT: number;
  /** Answer 503 without taking the event. */
  FAIL_PERCENT: number;
  /** Never answer (the connection hangs until the client gives up). */
  HANG_PERCENT: number;
}

export const DEFAULT_TUNING: CollectorTuning = {
  ADD_LATENCY_PERCENT: 10,
  LATENCY_RANGE_MIN: 0,
  LATENCY_RANGE_MAX: 3,
  NO_EMIT_PERCENT: 5,
  DUPLICATE_PERCENT: 0,
  FOREIGN_PERCENT: 0,
  FAIL_PERCENT: 0,
  HANG_PERCENT: 0,
};

export interface CollectorOptions {
  readonly port: number;
  readonly host?: string;
  /** Hands an accepted event to the subscription side. */
  readonly publish: (datasetId: string, json: string) => void;
  /** When set, webhook posts must carry this token (403 otherwise). */
  readonly webhookToken?: string;
  /** When set, bearer posts must carry a token this accepts (401 otherwise). */
  readonly acceptBearer?: (token: string) => boolean;
  /** When set, other datasets answer 404. */
  readonly datasets?: readonly string[];
  readonly tuning?: Partial<CollectorTuning>;
  readonly random?: () => number;
}

export interface CollectorStats {
  accepted: number;
  emitted: number;
  dropped: number;
  duplicated: number;
  foreign: number;
  failed: number;
  hung: number;
  rejected: number;
  /** Per accepted seqno: the hold applied (ms) and whether it was dropped. */
  events: Map<number, { holdMs: number; dropped: boolean; duplicated: boolean }>;
  /** What each request looked like (path without query, auth kind), for tests. */
  requests: Array<{
    path: string;
    auth: 'bearer' | 'webhook' | 'none';
    token?: string;
    body: string;
  }>;
}

export interface Collector {
  readonly port: number;
  readonly tuning: CollectorTuning;
  readonly stats: CollectorStats;
  close(): Promise<void>;
}

const ROUTE = /^\/(webhook\/)?(event|events)\/([^/]+)\/([^/]+)\/?$/;
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A stand-in for the event collector. Answers like the real one — 200 `{"message":"Ok"}`, 400 on a
 * bad body, 403 on a wrong webhook token, 401 on a bad bearer token, 404 on an unknown
 * dataset — and passes accepted events on to the subscription side, holding a share of them
 * (ADD_LATENCY_PERCENT, for a random time in LATENCY_RANGE_MIN…MAX seconds) and dropping a
 * share (NO_EMIT_PERCENT). Tunable at run time with `GET /config/?NAME=value&…`; what it did is
 * at `GET /stats`.
 */
export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const random = options.random ?? Math.random;
  const tuning: CollectorTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const stats: CollectorStats = {
    accepted: 0,
    emitted: 0,
    dropped: 0,
    duplicated: 0,
    foreign: 0,
    failed: 0,
    hung: 0,
    rejected: 0,
    events: new Map(),
    requests: [],
  };
  const hanging = new Set<ServerResponse>();
  const chance = (percent: number) => percent > 0 && random() * 100 < percent;
  // Tuning for one dataset only (`/config/?dataset=orders&NO_EMIT_PERCENT=100`): break one
  // target while the others flow.
  const byDataset = new Map<string, Partial<CollectorTuning>>();
  const tuningOf = (datasetId: string): CollectorTuning => ({
    ...tuning,
    ...byDataset.get(datasetId),
  });

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://collector');
    if (request.method === 'GET' && url.pathname.replace(/\/$/, '') === '/config') {
      const dataset = url.searchParams.get('dataset');
      const target: Partial<CollectorTuning> =
        dataset === null ? tuning : (byDataset.get(dataset) ?? {});
      for (const [key, value] of url.searchParams) {
        const number = Number(value);
        if (key in tuning && value.trim() !== '' && Number.isFinite(number) && number >= 0) {
          target[key as keyof CollectorTuning] = number;
        }
      }
      if (dataset === null) return json(response, 200, tuning);
      byDataset.set(dataset, target);
      return json(response, 200, tuningOf(dataset));
    }
    if (request.method === 'GET' && url.pathname === '/stats') {
      const { events, requests, ...counts } = stats;
      return json(response, 200, { ...counts, tracked: events.size, requests: requests.length });
    }
    if (request.method !== 'POST') return json(response, 405, { message: 'Method not allowed' });

    readBody(request, MAX_BODY_BYTES).then(
      (body) => accept(url, request.headers.authorization, body, response),
      () => json(response, 413, { message: 'Body too large' }),
    );
  });

  function accept(
    url: URL,
    authorization: string | undefined,
    body: string,
    response: ServerResponse,
  ): void {
    const match = url.pathname === '/' ? [] : ROUTE.exec(url.pathname);
    if (!match) {
      json(response, 404, { message: 'Not found' });
      return;
    }
    const webhook = match[1] !== undefined;
    const datasetId = match[3] ? decodeURIComponent(match[3]) : 'default';
    const bearerToken = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    const token = webhook ? (url.searchParams.get('token') ?? undefined) : bearerToken;
    stats.requests.push({
      path: url.pathname,
      auth: webhook ? 'webhook' : bearerToken ? 'bearer' : 'none',
      token,
      body,
    });
    if (stats.requests.length > 10_000) stats.requests.shift();

    const reject = (status: number, message: string) => {
      stats.rejected += 1;
      json(response, status, { message });
    };
    if (webhook && options.webhookToken !== undefined && token !== options.webhookToken) {
      reject(403, 'Forbidden');
      return;
    }
    if (
      !webhook &&
      url.pathname !== '/' &&
      options.acceptBearer &&
      !(token && options.acceptBearer(token))
    ) {
      reject(401, 'Unauthorized');
      return;
    }
    if (options.datasets && !options.datasets.includes(datasetId)) {
      reject(404, 'Dataset not found');
      return;
    }
    let events: unknown[];
    try {
      const parsed: unknown = JSON.parse(body);
      const many = match[2] === 'events';
      events = many && Array.isArray(parsed) ? parsed : [parsed];
      if (!events.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e)))
        throw new Error();
    } catch {
      reject(400, 'Bad request: body must be a JSON object');
      return;
    }
    const tuned = tuningOf(datasetId);
    if (chance(tuned.HANG_PERCENT)) {
      stats.hung += 1;
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
      return;
    }
    if (chance(tuned.FAIL_PERCENT)) {
      stats.failed += 1;
      json(response, 503, { message: 'Service unavailable' });
      return;
    }
    for (const event of events) emit(datasetId, event as Record<string, unknown>);
    json(response, 200, { message: 'Ok' });
  }

  function emit(datasetId: string, event: Record<string, unknown>): void {
    stats.accepted += 1;
    const text = JSON.stringify(event);
    const seqno = typeof event.seqno === 'number' ? event.seqno : -1;
    const tuned = tuningOf(datasetId);
    const dropped = chance(tuned.NO_EMIT_PERCENT);
    const duplicated = !dropped && chance(tuned.DUPLICATE_PERCENT);
    const holdMs = chance(tuned.ADD_LATENCY_PERCENT)
      ? 1000 *
        (tuned.LATENCY_RANGE_MIN + (tuned.LATENCY_RANGE_MAX - tuned.LATENCY_RANGE_MIN) * random())
      : 0;
    stats.events.set(seqno, { holdMs, dropped, duplicated });
    if (stats.events.size > 100_000)
      stats.events.delete(stats.events.keys().next().value as number);
    if (chance(tuned.FOREIGN_PERCENT)) {
      stats.foreign += 1;
      options.publish(datasetId, JSON.stringify({ ...event, app_id: 'f0f0f0f0' }));
    }
    if (dropped) {
      stats.dropped += 1;
      return;
    }
    const send = () => {
      stats.emitted += 1;
      options.publish(datasetId, text);
      if (duplicated) {
        stats.duplicated += 1;
        options.publish(datasetId, text);
      }
    };
    if (holdMs > 0) setTimeout(send, holdMs);
    else send();
  }

  const listening = await listen(server, options.port, options.host);
  return {
    port: listening.port,
    tuning,
    stats,
    close: () =>
      listening.close(() => {
        for (const response of hanging) response.destroy();
      }),
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

if (require.main === module) {
  const hubUrl = process.env.HUB_URL ?? 'http://localhost:8765';
  const port = Number(process.env.COLLECTOR_PORT ?? 8081);
  startCollector({
    port,
    host: '0.0.0.0',
    publish(datasetId, json) {
      fetch(`${hubUrl}/publish/${encodeURIComponent(datasetId)}`, {
        method: 'POST',
        body: json,
      }).catch((error: unknown) => process.stderr.write(`publish failed: ${String(error)}\n`));
    },
  }).then((collector) =>
    process.stdout.write(`event collector on http://localhost:${collector.port}\n`),
  );
}
