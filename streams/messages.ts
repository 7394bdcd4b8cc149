/**
 * The messages that flow between the probe's actors, as one discriminated union per edge.
 * Times are milliseconds on the probe's clock (`scheduler.now()`: monotonic in production,
 * virtual in marble tests).
 */

/** The k-th post of the schedule: seqno k + 1, due at start + k × interval. */
export interface PostCommand {
  readonly seqno: number;
  readonly dueAt: number;
}

/** Emitted just before the HTTP post leaves, so latency is measured from here. */
export interface PostStarted {
  readonly kind: 'post-started';
  readonly seqno: number;
  readonly sentAt: number;
}

export interface PostSucceeded {
  readonly kind: 'post-succeeded';
  readonly seqno: number;
  readonly durationMs: number;
  readonly retries: number;
}

export interface PostFailed {
  readonly kind: 'post-failed';
  readonly seqno: number;
  readonly durationMs: number;
  readonly retries: number;
  readonly error: string;
}

export type PostOutcome = PostStarted | PostSucceeded | PostFailed;

/** One text frame from one subscription connection. */
export interface Receipt {
  readonly kind: 'receipt';
  readonly listenerId: number;
  readonly connectionId: number;
  readonly data: string;
  /** A binary frame: never one of our events. */
  readonly binary?: true;
  readonly receivedAt: number;
}

export type ListenerStatus = 'connecting' | 'connected' | 'disconnected';

/** A listener's connection changed state; `reason` says why it went down. */
export interface ListenerChange {
  readonly kind: 'listener';
  readonly listenerId: number;
  readonly connectionId: number;
  readonly status: ListenerStatus;
  readonly reason?: string;
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
