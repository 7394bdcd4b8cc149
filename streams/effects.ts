/**
 * What flows from the core to its sinks (metrics, logs, status page). Discriminated by `kind`;
 * times are milliseconds on the probe's clock.
 */

import type { MalformedReason } from './parsedFrame';
import type { ListenerChange } from './socketMessages';

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
  | { readonly kind: 'drain-started'; readonly inFlight: number; readonly postsRunning: number }
  | DrainEnded
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

/** A drain is over: every event settled, or the deadline passed with these still in flight. */
export interface DrainEnded {
  readonly kind: 'drain-ended';
  /** Events still in flight at the deadline: now drained. */
  readonly drained: readonly number[];
  /** Posts still unanswered at the deadline: now post errors. */
  readonly unanswered: readonly number[];
}
