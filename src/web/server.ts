import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  readonly status: number;
  readonly type: string;
  /** Chunks are written one by one: one 11 MB buffer (a large scrape) is a 30 ms turn to make. */
  readonly body: string | Buffer | readonly Buffer[];
  /** Headers beyond the defaults (`Cache-Control: no-store`, `nosniff`), which they override. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route answers a GET (or, among the `posts`, a POST); it may be async. */
export type Route = (request: IncomingMessage) => Reply | Promise<Reply>;

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A minimal HTTP server for the metrics, health and status routes: GET and HEAD only, exact
 * paths (the query string is ignored) — and POST only at the exact paths of `posts` (a
 * reload), whose body is never read — and a route that throws answers 500 instead of taking
 * the process down.
 */
export async function startHttpServer(
  port: number,
  host: string,
  routes: Record<string, Route>,
  posts: Record<string, Route> = {},
): Promise<HttpServer> {
  const server: Server = createServer((request, response) => {
    handle(routes, posts, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  routes: Record<string, Route>,
  posts: Record<string, Route>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  const post = request.method === 'POST' && Object.hasOwn(posts, path);
  const table = post ? posts : routes;
  const route = Object.hasOwn(table, path) ? table[path] : undefined;
  if (!post && request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: Object.hasOwn(posts, path) ? 'POST' : 'GET, HEAD' }).end();
    return;
  }
  if (!route) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  const reply = await route(request);
  response.writeHead(reply.status, {
    'Content-Type': reply.type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...reply.headers,
  });
  const { body } = reply;
  if (request.method === 'HEAD') response.end();
  else if (typeof body === 'string' || Buffer.isBuffer(body)) response.end(body);
  else {
    for (const chunk of body) response.write(chunk);
    response.end();
  }
}
