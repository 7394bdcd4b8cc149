/**
 * Every message that flows between the probe's actors and from the core to its sinks. Each
 * union is discriminated by `kind`. Times are milliseconds on the probe's clock
 * (`scheduler.now()`: monotonic in production, virtual in marble tests).
 */

/** The k-th post of the schedule: seqno k + 1, due at start + k × interval. */
export interface PostCommand {
  readonly seqno: number;
  readonly dueAt: number;
}

/** Emitted as a post starts: the event is remembered from here (latency counts from `PostSent`). */
export interface PostStarted {
  readonly kind: 'post-started';
  readonly seqno: number;
  /** When the post started: the event's send time until its request is on the wire. */
  readonly sentAt: number;
  /** How late the post left against its due time: the probe's own lag, not the pipeline's. */
  readonly lagMs: number;
  /** Posts running once this one started, as the poster counts them. */
  readonly running: number;
}

/**
 * The first attempt's request was handed to the socket: the event's send time for latency,
 * so the HTTP client's own work before it is not counted as the pipeline's.
 */
export interface PostSent {
  readonly kind: 'post-sent';
  readonly seqno: number;
  readonly at: number;
}

export interface PostSucceeded {
  readonly kind: 'post-succeeded';
  readonly seqno: number;
  readonly durationMs: number;
  readonly retries: number;
  /** Posts still running once this one ended. */
  readonly running: number;
}

export interface PostFailed {
  readonly kind: 'post-failed';
  readonly seqno: number;
  readonly durationMs: number;
  readonly retries: number;
  readonly error: string;
  /** Posts still running once this one ended. */
  readonly running: number;
}

export type PostOutcome = PostStarted | PostSent | PostSucceeded | PostFailed;

/** What the poster adapter reports of one post: on the wire (once), then the answer. */
export type PostProgress =
  | { readonly kind: 'on-the-wire'; readonly at: number }
  | { readonly kind: 'answered'; readonly retries: number };

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

/** Clock tick: moves the missing-share windows. */
export interface Tick {
  readonly kind: 'tick';
}

/** Clean tick: marks overdue events lost and forgets old ones. */
export interface Clean {
  readonly kind: 'clean';
}

export type TrackerInput = PostOutcome | Receipt | ListenerChange | Tick | Clean;

/** What a subscription frame turned out to be. */
export type ParsedFrame =
  | { readonly kind: 'event'; readonly appId: string; readonly seqno: number }
  | {
      readonly kind: 'malformed';
      readonly reason: MalformedReason;
      /** The frame's start, for a log line: text from the wire, cut to `WIRE_TEXT_CHARS`. */
      readonly sample: string;
    };

/** Why a frame is not a probe event: the label values of the malformed counter. */
export const MALFORMED_REASONS = [
  'binary',
  'too-large',
  'not-json',
  'not-an-object',
  'bad-app-id',
  'bad-seqno',
] as const;
export type MalformedReason = (typeof MALFORMED_REASONS)[number];

/** What one tracker step did that a sink may want to tell (count, log, observe). */
export type Effect =
  | {
      /** A post was answered (every post once, whether it counts or not). */
      readonly kind: 'post-done';
      readonly seqno: number;
      readonly ok: boolean;
      readonly durationMs: number;
      readonly retries: number;
    }
  | { readonly kind: 'post-started'; readonly seqno: number; readonly lagMs: number }
  | {
      readonly kind: 'post-error';
      readonly seqno: number;
      readonly retries: number;
      readonly error: string;
    }
  | {
      readonly kind: 'received';
      readonly seqno: number;
      readonly latencyMs: number;
      readonly listenerId: number;
      readonly outOfOrder: boolean;
      /** Received within the latency objective: a good event of the SLI (see `objective.ts`). */
      readonly withinObjective: boolean;
    }
  | LateEvent
  | { readonly kind: 'duplicate'; readonly seqno: number; readonly listenerId: number }
  | { readonly kind: 'wrong-app-id'; readonly appId: string; readonly listenerId: number }
  | { readonly kind: 'unknown-seqno'; readonly seqno: number; readonly listenerId: number }
  | {
      readonly kind: 'malformed';
      readonly reason: MalformedReason;
      readonly sample: string;
      readonly listenerId: number;
    }
  | LostEvents
  | OverdueEvents
  | { readonly kind: 'purged'; readonly count: number }
  | { readonly kind: 'listener'; readonly change: ListenerChange }
  | { readonly kind: 'internal-error'; readonly error: string };

/** Events whose lost deadline passed without a receipt. */
export interface LostEvents {
  readonly kind: 'lost';
  readonly seqnos: readonly number[];
}

/** Events whose latency objective passed without a receipt: settled bad for the SLI. */
export interface OverdueEvents {
  readonly kind: 'overdue';
  readonly seqnos: readonly number[];
}

/** An event received after it had been counted lost. */
export interface LateEvent {
  readonly kind: 'late';
  readonly seqno: number;
  readonly latencyMs: number;
  readonly listenerId: number;
  readonly outOfOrder: boolean;
}
