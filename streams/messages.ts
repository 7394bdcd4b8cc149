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

export type TrackerInput = PostOutcome | Receipt | ListenerChange | Tick | Clean;
