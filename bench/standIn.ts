import { createServer, type IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { listen } from '../local/listen';

export interface BenchPipeline {
  readonly collectorUrl: string;
  readonly websocketUrl: string;
  /** The hold really applied to each event, from its post's arrival to its frame's send (ms). */
  holdOf(appId: string, seqno: number): number | undefined;
  /** Posts accepted for an app id. */
  accepted(appId: string): number;
  /** When each post of an app id arrived (ms, monotonic), in arrival order. */
  arrivals(appId: string): readonly number[];
  /** When each post to a dataset arrived (ms, monotonic) and from which app id, in order. */
  arrivalsIn(dataset: string): ReadonlyArray<{ readonly at: number; readonly appId: string }>;
  /** Posts accepted for a dataset, whoever sent them. */
  postsTo(dataset: string): number;
  /** Distinct events (app id and seqno) of a dataset whose post was answered 200. */
  acceptedIn(dataset: string): number;
  /** Distinct events of a dataset sent to at least one open subscriber of it. */
  deliveredIn(dataset: string): number;
  /** WebSocket connections ever opened for a dataset. */
  connectionsTo(dataset: string): number;
  /** Called on every WebSocket connection, with its dataset. */
  onConnection(listener: (dataset: string) => void): void;
  /**
   * Holds every post that arrives from now on unanswered (not counted as accepted) until
   * `release`: with the posts already answered delivered, a client's books and these records
   * can then be compared exactly, with nothing in flight between them.
   */
  freeze(): void;
  release(): void;
  close(): Promise<void>;
}

/**
 * The benchmark's pipeline stand-in: answers every webhook post at once and sends the event to
 * every subscriber of its dataset `holdMs` later, recording the hold it actually applied, so a
 * client's own error is its latency minus that hold.
 */
export async function startBenchPipeline(holdMs: number): Promise<BenchPipeline> {
  const holds = new Map<string, Map<number, number>>();
  const arrivals = new Map<string, number[]>();
  const subscribers = new Map<string, Set<WebSocket>>();
  const byDataset = new Map<string, number>();
  const datasetArrivals = new Map<string, Array<{ at: number; appId: string }>>();
  const acceptedSeqnos = new Map<string, Set<string>>();
  const deliveredSeqnos = new Map<string, Set<string>>();
  const connections = new Map<string, number>();
  const connectionListeners: Array<(dataset: string) => void> = [];
  // An event is its app id and seqno: a restarted client starts a new app id at seqno 0.
  const note = (sets: Map<string, Set<string>>, dataset: string, event: string) => {
    const set = sets.get(dataset) ?? new Set<string>();
    sets.set(dataset, set);
    set.add(event);
  };
  let held: Array<() => void> | undefined;
  const http = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (held) held.push(answer);
      else answer();
    });
    const answer = () => {
      const arrived = performance.now();
      const match = /^\/webhook\/event\/([^/]+)\/[^/?]+/.exec(request.url ?? '');
      let event: { app_id?: unknown; seqno?: unknown };
      try {
        event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        response.writeHead(400).end('{"message":"Bad request"}');
        return;
      }
      if (!match || typeof event.app_id !== 'string' || typeof event.seqno !== 'number') {
        response.writeHead(400).end('{"message":"Bad request"}');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"message":"Ok"}');
      const { app_id: appId, seqno } = event;
      const times = arrivals.get(appId) ?? [];
      arrivals.set(appId, times);
      times.push(arrived);
      const frame = JSON.stringify(event);
      const dataset = decodeURIComponent(match[1]);
      byDataset.set(dataset, (byDataset.get(dataset) ?? 0) + 1);
      const inDataset = datasetArrivals.get(dataset) ?? [];
      datasetArrivals.set(dataset, inDataset);
      inDataset.push({ at: arrived, appId });
      note(acceptedSeqnos, dataset, `${appId} ${seqno}`);
      setTimeout(() => {
        const byApp = holds.get(appId) ?? new Map<number, number>();
        holds.set(appId, byApp);
        byApp.set(seqno, performance.now() - arrived);
        for (const ws of subscribers.get(dataset) ?? []) {
          if (ws.readyState !== WebSocket.OPEN) continue;
          ws.send(frame);
          note(deliveredSeqnos, dataset, `${appId} ${seqno}`);
        }
      }, holdMs);
    };
  });
  http.keepAliveTimeout = 60_000;
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws, request) => {
    const dataset = new URL(request.url ?? '/', 'http://x').searchParams.get('dataset_id') ?? '';
    const set = subscribers.get(dataset) ?? new Set();
    subscribers.set(dataset, set);
    set.add(ws);
    connections.set(dataset, (connections.get(dataset) ?? 0) + 1);
    for (const listener of connectionListeners) listener(dataset);
    ws.on('close', () => set.delete(ws));
    ws.on('error', () => undefined);
  });
  const listening = await listen(http, 0);
  const { port } = listening;
  return {
    collectorUrl: `http://127.0.0.1:${port}`,
    websocketUrl: `ws://127.0.0.1:${port}`,
    holdOf: (appId, seqno) => holds.get(appId)?.get(seqno),
    accepted: (appId) => holds.get(appId)?.size ?? 0,
    arrivals: (appId) => arrivals.get(appId) ?? [],
    arrivalsIn: (dataset) => datasetArrivals.get(dataset) ?? [],
    postsTo: (dataset) => byDataset.get(dataset) ?? 0,
    acceptedIn: (dataset) => acceptedSeqnos.get(dataset)?.size ?? 0,
    deliveredIn: (dataset) => deliveredSeqnos.get(dataset)?.size ?? 0,
    connectionsTo: (dataset) => connections.get(dataset) ?? 0,
    onConnection: (listener) => {
      connectionListeners.push(listener);
    },
    freeze: () => {
      held ??= [];
    },
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const answer of waiting) answer();
    },
    close: () =>
      listening.close(() => {
        for (const ws of wss.clients) ws.terminate();
      }),
  };
}
