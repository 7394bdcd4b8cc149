/**
 * What the tracker takes in: the poster's and the subscription's messages (`postMessages.ts`,
 * `socketMessages.ts`) and the clock's ticks. Each union is discriminated by `kind`. Times are
 * milliseconds on the probe's clock (`scheduler.now()`: monotonic in production, virtual in
 * marble tests).
 */

import type { PostOutcome } from './postMessages';
import type { ListenerChange, Receipt } from './socketMessages';

/** Clock tick: moves the missing-share windows. */
export interface Tick {
  readonly kind: 'tick';
}

/** Clean tick: marks overdue events lost and forgets old ones. */
export interface Clean {
  readonly kind: 'clean';
}

/** The pipeline stops posting and listens on for its events in flight (see `drain.ts`). */
export interface DrainStarted {
  readonly kind: 'drain-started';
}

/** The drain's deadline passed: what is still in flight ends drained. */
export interface DrainDeadline {
  readonly kind: 'drain-deadline';
}

export type TrackerInput =
  | PostOutcome
  | Receipt
  | ListenerChange
  | Tick
  | Clean
  | DrainStarted
  | DrainDeadline;
