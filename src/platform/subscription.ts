import { TLSSocket } from 'node:tls';
import { concat, NEVER, Observable, of } from 'rxjs';
import { map, switchMap } from 'rxjs/operators';
import makeWebSocketObservable, { type WebSocketLike } from 'rxjs-websockets';
import WebSocket from 'ws';
import { type ConnectFn, ConnectionEnded } from '../../streams/connection';
import { type Disconnect, type SocketEvent, WIRE_TEXT_CHARS } from '../../streams/socketMessages';
import type { Config } from '../config/loadConfig';
import { earliestNotAfter } from './certExpiry';

export interface SubscriptionOptions
  extends Pick<Config['subscription'], 'url' | 'connectTimeoutMs' | 'pingIntervalMs'> {
  readonly dataset: Pick<Config['dataset'], 'id' | 'webhookToken'>;
  /** Frames larger than this close the connection (ws answers 1009) instead of being buffered. */
  readonly maxFrameBytes?: number;
  /** The earliest notAfter (unix seconds) of the server's chain, per TLS connection. */
  readonly onCertificate?: (notAfterSeconds: number) => void;
}

const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
const CLOSE_GRACE_MS = 2_000;

/**
 * The subscription adapter: one rxjs-websockets connection over a `ws` socket (Node 20 has no
 * global WebSocket), with a handshake timeout, a frame size cap and a ping heartbeat, none of
 * which rxjs-websockets has. It decides, once, why a connection ended (see `whyClosed`) and
 * errors with that as a `ConnectionEnded`; no text it produces carries the URL, which holds the
 * webhook token.
 */
export function createConnect(options: SubscriptionOptions): ConnectFn {
  const query = new URLSearchParams({
    dataset_id: options.dataset.id,
    webhook_token: options.dataset.webhookToken,
  });
  const url = `${options.url}${options.url.includes('?') ? '&' : '?'}${query}`;

  return () =>
    new Observable<SocketEvent>((subscriber) => {
      let socket: WebSocket | undefined;
      let closed: { code: number; reason: string } | undefined;
      let silentPeer = false;
      let heartbeat: NodeJS.Timeout | undefined;

      const makeWebSocket = (address: string): WebSocketLike => {
        const ws = new WebSocket(address, {
          handshakeTimeout: options.connectTimeoutMs,
          maxPayload: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
          perMessageDeflate: false,
        });
        socket = ws;
        // The handshake's answer came over the connection's TLS socket, if it has one.
        ws.on('upgrade', (response) => {
          if (!(response.socket instanceof TLSSocket)) return;
          const notAfter = earliestNotAfter(response.socket);
          if (notAfter !== undefined) options.onCertificate?.(notAfter);
        });
        // Registered before rxjs-websockets' own handlers, so the code is known when it errors.
        ws.on('close', (code, reason) => {
          closed = { code, reason: reason.toString().slice(0, WIRE_TEXT_CHARS) };
          clearInterval(heartbeat);
        });
        ws.on('open', () => {
          let answered = true;
          ws.on('pong', () => {
            answered = true;
          });
          heartbeat = setInterval(() => {
            if (!answered) {
              silentPeer = true;
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
              of<SocketEvent>({ kind: 'open' }),
              getResponses(NEVER).pipe(
                // ws hands text frames over as strings, binary ones as Buffers (only the size kept).
                map(
                  (data): SocketEvent => ({
                    kind: 'message',
                    data:
                      typeof data === 'string'
                        ? data
                        : { binaryBytes: (data as unknown as Buffer).length },
                  }),
                ),
              ),
            ),
          ),
        )
        .subscribe({
          next: (event) => subscriber.next(event),
          error: (error: unknown) =>
            subscriber.error(new ConnectionEnded(whyClosed(error, closed, silentPeer))),
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

const CLOSE_CAUSES: Record<number, Disconnect['cause']> = {
  1000: 'closed_normal',
  1001: 'closed_going_away',
  1006: 'dropped',
  1009: 'frame_too_large',
};

/**
 * Why a connection ended, from what `ws` reported: a refused handshake (its HTTP status), a
 * network error, a heartbeat that went unanswered, or a close (its code). The detail is for
 * people; the cause and numbers are what anything downstream reads.
 */
function whyClosed(
  error: unknown,
  closed: { code: number; reason: string } | undefined,
  silentPeer = false,
): Disconnect {
  const message = error instanceof Error ? error.message : '';
  const refused = /Unexpected server response: (\d+)/.exec(message);
  if (refused) {
    const status = Number(refused[1]);
    return { cause: 'refused', status, detail: `handshake refused with HTTP ${status}` };
  }
  const network = networkCause(message);
  if (network) return { cause: network, detail: message.replace(/[?&][^\s]*/g, '') };
  if (silentPeer) return { cause: 'no_pong', code: closed?.code, detail: 'no answer to ping' };
  if (/Max payload size exceeded/.test(message)) {
    return { cause: 'frame_too_large', code: 1009, detail: 'frame too large' };
  }
  if (closed) {
    const { code, reason } = closed;
    const detail = `closed with code ${code}${reason ? ` (${reason})` : ''}`;
    return { cause: CLOSE_CAUSES[code] ?? 'closed_other', code, detail };
  }
  return { cause: 'other', detail: message.replace(/[?&][^\s]*/g, '') || 'connection failed' };
}

function networkCause(message: string): Disconnect['cause'] | undefined {
  if (/timed out|timeout/i.test(message)) return 'timeout';
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return 'dns';
  if (/ECONNREFUSED/.test(message)) return 'connection_refused';
  return undefined;
}
