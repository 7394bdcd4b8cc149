import { concat, NEVER, Observable, of } from 'rxjs';
import { map, switchMap } from 'rxjs/operators';
import makeWebSocketObservable, { type WebSocketLike } from 'rxjs-websockets';
import WebSocket from 'ws';
import type { ConnectFn, SocketEvent } from '../streams/listener';

export interface SubscriptionOptions {
  readonly url: string;
  readonly datasetId: string;
  readonly webhookToken: string;
  readonly connectTimeoutMs: number;
  /** A ping goes out this often; a connection that has not answered the last one is cut. */
  readonly pingIntervalMs: number;
  /** Frames larger than this close the connection (ws answers 1009) instead of being buffered. */
  readonly maxFrameBytes?: number;
}

const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
const CLOSE_GRACE_MS = 2_000;

/**
 * The subscription adapter: one rxjs-websockets connection over a `ws` socket (Node 20 has no
 * global WebSocket), with a handshake timeout, a frame size cap and a ping heartbeat, none of
 * which rxjs-websockets has. Its errors are rewritten to say why the connection ended (close
 * code and reason, refused handshake status, network error), never with the URL, which holds
 * the webhook token.
 */
export function createConnect(options: SubscriptionOptions): ConnectFn {
  const query = new URLSearchParams({
    dataset_id: options.datasetId,
    webhook_token: options.webhookToken,
  });
  const url = `${options.url}${options.url.includes('?') ? '&' : '?'}${query}`;

  return () =>
    new Observable<SocketEvent>((subscriber) => {
      let socket: WebSocket | undefined;
      let closed: { code: number; reason: string } | undefined;
      let heartbeat: NodeJS.Timeout | undefined;

      const makeWebSocket = (address: string): WebSocketLike => {
        const ws = new WebSocket(address, {
          handshakeTimeout: options.connectTimeoutMs,
          maxPayload: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
          perMessageDeflate: false,
        });
        socket = ws;
        // Registered before rxjs-websockets' own handlers, so the code is known when it errors.
        ws.on('close', (code, reason) => {
          closed = { code, reason: reason.toString().slice(0, 120) };
          clearInterval(heartbeat);
        });
        ws.on('open', () => {
          let answered = true;
          ws.on('pong', () => {
            answered = true;
          });
          heartbeat = setInterval(() => {
            if (!answered) {
              ws.terminate();
              return;
            }
            answered = false;
            ws.ping();
          }, options.pingIntervalMs);
          heartbeat.unref();
        });
        return ws as unknown as WebSocketLike;
      };

      const inner = makeWebSocketObservable<string | ArrayBuffer>(url, {
        protocols: [],
        makeWebSocket,
      })
        .pipe(
          switchMap((getResponses) =>
            concat(
              of<SocketEvent>({ type: 'open' }),
              getResponses(NEVER).pipe(
                // ws hands text frames over as strings, binary ones as Buffers.
                map(
                  (data): SocketEvent =>
                    typeof data === 'string'
                      ? { type: 'message', data }
                      : { type: 'binary', bytes: (data as unknown as Buffer).length },
                ),
              ),
            ),
          ),
        )
        .subscribe({
          next: (event) => subscriber.next(event),
          error: (error: unknown) => subscriber.error(new Error(why(error, closed))),
          complete: () => subscriber.complete(),
        });

      return () => {
        inner.unsubscribe();
        clearInterval(heartbeat);
        const ws = socket;
        if (ws && ws.readyState !== WebSocket.CLOSED) {
          // rxjs-websockets asked for a polite close; do not wait on a peer that never answers.
          setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
        }
      };
    });
}

function why(error: unknown, closed: { code: number; reason: string } | undefined): string {
  const message = error instanceof Error ? error.message : '';
  if (closed && !/Unexpected server response|ENOTFOUND|ECONNREFUSED|timed out/.test(message)) {
    return `closed with code ${closed.code}${closed.reason ? ` (${closed.reason})` : ''}`;
  }
  if (message) return message.replace(/[?&][^\s]*/g, '');
  return closed ? `closed with code ${closed.code}` : 'connection failed';
}
