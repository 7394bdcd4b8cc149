/**
 * What flows between the schedule, the poster and the tracker: the posts to make and how each
 * went. Each union is discriminated by `kind`. Times are milliseconds on the probe's clock
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
