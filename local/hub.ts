import { createServer, type IncomingMessage } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import { readBody } from './body';
import { listen } from './listen';
import { PORT_VARIABLES, reachableHost, standInSettings } from './standInSettings';
import { runCommand, started } from './standInStart';

export interface HubOptions {
  readonly port: number;
  readonly host?: string;
  /** When set, only this webhook token may subscribe (403 otherwise). */
  readonly token?: string;
  /** Each connection is closed (1001, like the gateway) after a random time in this range. */
  readonly lifetimeSeconds?: readonly [number, number];
  /** Close a connection that has been sent nothing for this long (the gateway's idle close). */
  readonly idleSeconds?: number;
  readonly random?: () => number;
}

export interface HubStats {
  connections: number;
  refused: number;
  published: number;
  framesSent: number;
  closedByHub: number;
}

export interface Hub {
  readonly port: number;
  readonly stats: HubStats;
  /** Sends `json` to every subscriber of the dataset, as one text frame each; says to how many. */
  publish(datasetId: string, json: string): number;
  /** Sends raw frames (for fault tests): text or binary, to every subscriber of the dataset. */
  sendRaw(datasetId: string, data: string | Buffer): void;
  /** Closes every open connection with this code, as a gateway restart would. */
  closeAll(code?: number): void;
  /**
   * Closes the oldest open connection of the dataset (1006 drops it without a close frame),
   * with `reason` (at most 123 bytes) for a hostile test's echo.
   */
  closeOldest(datasetId: string, code?: number, reason?: string): void;
  subscribers(datasetId: string): number;
  close(): Promise<void>;
}

/**
 * A stand-in for event-data-subscription: WebSocket subscribers per dataset, who must give
 * `dataset_id` and `webhook_token` (400 without, 403 with a wrong token); every event published
 * is fanned out to each; connections are closed now and then with 1001 as the real gateway does.
 * `POST /publish/{dataset}` publishes from another process (the stand-in collector).
 */
export async function startHub(options: HubOptions): Promise<Hub> {
  const random = options.random ?? Math.random;
  const stats: HubStats = {
    connections: 0,
    refused: 0,
    published: 0,
    framesSent: 0,
    closedByHub: 0,
  };
  const byDataset = new Map<string, Set<WebSocket>>();
  /** Restarts a connection's idle timer; called whenever the hub sends it something. */
  const idleResets = new WeakMap<WebSocket, () => void>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  const server = createServer((request, response) => {
    const match = /^\/publish\/([^/?]+)/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match) {
      response.writeHead(404).end();
      return;
    }
    readBody(request, 1024 * 1024).then(
      (body) => {
        const count = publish(decodeURIComponent(match[1]), body);
        response
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ subscribers: count }));
      },
      () => response.writeHead(413).end(),
    );
  });

  server.on('upgrade', (request: IncomingMessage, socket, head) => {
    // A client that resets a refused handshake must not throw in the hub's process.
    socket.on('error', () => undefined);
    const url = new URL(request.url ?? '/', 'http://hub');
    const datasetId = url.searchParams.get('dataset_id');
    const token = url.searchParams.get('webhook_token') ?? bearer(request);
    const refuse = (status: number, text: string) => {
      stats.refused += 1;
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!datasetId || !token) return refuse(400, 'Bad Request');
    if (options.token !== undefined && token !== options.token) return refuse(403, 'Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws, datasetId));
  });

  function attach(ws: WebSocket, datasetId: string): void {
    stats.connections += 1;
    const set = byDataset.get(datasetId) ?? new Set();
    byDataset.set(datasetId, set);
    set.add(ws);
    const timers: NodeJS.Timeout[] = [];
    const closeByHub = (code: number, reason: string) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      stats.closedByHub += 1;
      ws.close(code, reason);
    };
    if (options.lifetimeSeconds) {
      const [min, max] = options.lifetimeSeconds;
      const lifetime = (min + (max - min) * random()) * 1000;
      timers.push(setTimeout(() => closeByHub(1001, 'Going away'), lifetime));
    }
    const idle = () => {
      if (options.idleSeconds === undefined) return;
      clearTimeout(timers[1]);
      timers[1] = setTimeout(() => closeByHub(1001, 'Going away'), options.idleSeconds * 1000);
    };
    idle();
    idleResets.set(ws, idle);
    ws.on('message', () => undefined); // subscribers send nothing we need
    ws.on('error', () => undefined);
    ws.on('close', () => {
      set.delete(ws);
      for (const t of timers) clearTimeout(t);
    });
  }

  function publish(datasetId: string, json: string): number {
    stats.published += 1;
    const set = byDataset.get(datasetId);
    if (!set) return 0;
    for (const ws of set) send(ws, json);
    return set.size;
  }

  function send(ws: WebSocket, data: string | Buffer): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    stats.framesSent += 1;
    ws.send(data);
    idleResets.get(ws)?.();
  }

  function end(ws: WebSocket, code: number, reason = 'Going away'): void {
    stats.closedByHub += 1;
    if (code === 1006) ws.terminate();
    else ws.close(code, reason);
  }

  const listening = await listen(server, options.port, options.host);
  return {
    port: listening.port,
    stats,
    publish,
    sendRaw(datasetId, data) {
      for (const ws of byDataset.get(datasetId) ?? []) send(ws, data);
    },
    closeAll(code = 1001) {
      for (const set of byDataset.values()) for (const ws of set) end(ws, code);
    },
    closeOldest(datasetId, code = 1001, reason?: string) {
      const oldest = byDataset.get(datasetId)?.values().next().value;
      if (oldest) end(oldest, code, reason);
    },
    subscribers: (datasetId) => byDataset.get(datasetId)?.size ?? 0,
    close: () =>
      listening.close(() => {
        for (const ws of wss.clients) ws.terminate();
        for (const set of byDataset.values()) for (const ws of set) ws.terminate();
      }),
  };
}

function bearer(request: IncomingMessage): string | null {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : null;
}

if (require.main === module) {
  runCommand(async () => {
    const { host, hubPort } = standInSettings(process.env);
    const hub = await started(
      'the stand-in subscription hub',
      PORT_VARIABLES.hubPort.name,
      startHub({ port: hubPort, host, lifetimeSeconds: [120, 600], idleSeconds: 600 }),
    );
    process.stdout.write(`subscription hub on ws://${reachableHost(host)}:${hub.port}\n`);
  });
}
