import type { Observable } from 'rxjs';
import type { Disconnect, SocketEvent } from './socketMessages';

/**
 * Opens one subscription connection. The stream errors when the connection ends for any
 * reason (refused, dropped, closed by the server), with a `ConnectionEnded` that says why; it
 * completes only when unsubscribed.
 */
export type ConnectFn = (listenerId: number) => Observable<SocketEvent>;

/** The error a connection's stream ends with: why, decided where the socket closed. */
export class ConnectionEnded extends Error {
  constructor(readonly disconnect: Disconnect) {
    super(disconnect.detail);
  }
}

/** Why a connection ended, from whatever its stream errored with. */
export function disconnectOf(error: unknown): Disconnect {
  if (error instanceof ConnectionEnded) return error.disconnect;
  return { cause: 'other', detail: error instanceof Error ? error.message : 'connection failed' };
}

export const COMPLETED: Disconnect = { cause: 'completed', detail: 'connection completed' };

/** How a listener's current connection ended: which one, and why. */
export class ConnectionClosed extends Error {
  constructor(
    readonly connectionId: number,
    readonly disconnect: Disconnect,
  ) {
    super(disconnect.detail);
  }
}
