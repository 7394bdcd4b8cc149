/**
 * What flows from the subscription's sockets into the core: frames, connection states and why a
 * connection ended. Each union is discriminated by `kind`. Times are milliseconds on the probe's
 * clock (`scheduler.now()`: monotonic in production, virtual in marble tests).
 */

/** A frame as it came off the socket: text, or binary (only its size kept). */
export type Frame = string | { readonly binaryBytes: number };

/** What a subscription connection reports: opened, then frames. */
export type SocketEvent =
  | { readonly kind: 'open' }
  | { readonly kind: 'message'; readonly data: Frame };

/**
 * Why a connection ended, from a closed set, decided where the socket closes. The label of the
 * reconnect metric is built from `cause` (and `status`), never from text.
 */
export type DisconnectCause =
  /** The handshake was answered with an HTTP status (see `status`). */
  | 'refused'
  | 'closed_normal'
  | 'closed_going_away'
  | 'frame_too_large'
  /** Closed without a close frame (1006): network drop or a killed peer. */
  | 'dropped'
  | 'closed_other'
  /** The peer stopped answering pings and the connection was cut. */
  | 'no_pong'
  | 'timeout'
  | 'dns'
  | 'connection_refused'
  /** The connection's stream ended without an error. */
  | 'completed'
  | 'other';

export interface Disconnect {
  readonly cause: DisconnectCause;
  /** The WebSocket close code, when a close was seen. */
  readonly code?: number;
  /** The HTTP status of a refused handshake. */
  readonly status?: number;
  /** One line for people (logs, status page): never parsed, may hold text from the server. */
  readonly detail: string;
}

/** Text from the wire (a sample of a bad frame, an app id, a close reason) is cut to this. */
export const WIRE_TEXT_CHARS = 120;

/** One text frame from one subscription connection. */
export interface Receipt {
  readonly kind: 'receipt';
  readonly listenerId: number;
  readonly connectionId: number;
  /** Untrusted: what it is, `parse.ts` alone decides. */
  readonly data: Frame;
  readonly receivedAt: number;
}

export type ListenerStatus = 'connecting' | 'connected' | 'disconnected';

/** A listener's connection changed state. */
export interface ListenerChange {
  readonly kind: 'listener';
  readonly listenerId: number;
  readonly connectionId: number;
  readonly status: ListenerStatus;
  /** On 'connected': this connection replaced an older one in a planned rotation. */
  readonly rotated?: true;
  /** On 'disconnected': why. */
  readonly disconnect?: Disconnect;
  /** On 'disconnected': how long until the next connect attempt. */
  readonly retryInMs?: number;
}
