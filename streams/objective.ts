import type { Effect } from './effects';
import { eventAt, type TrackedEvent } from './eventStore';
import type { TrackerState } from './trackerState';

/**
 * The SLI: every event whose post succeeded settles once, good or bad. Good: received within
 * the latency objective. Bad: received later, or not received when the objective passes —
 * decided then, not at the lost mark, so an outage moves the SLI within seconds, and an event
 * that still arrives afterwards stays bad. A failed post is the collector's answer, not the
 * pipeline's delivery, and settles only if its event arrives.
 */

/** A first receipt settles its event, unless the objective already settled it bad. */
export function settleReceived(
  state: TrackerState,
  event: TrackedEvent,
  latencyMs: number,
): boolean {
  if (event.overdue) return false;
  const good = latencyMs <= state.options.latencyObjectiveMs;
  state.totals.settled += 1;
  if (good) state.totals.withinObjective += 1;
  return good;
}

/**
 * Events whose objective has passed without a receipt settle bad. A cursor in seqno order
 * passes each event once; an event still waiting for its post's answer is passed too and
 * settles at a successful answer (`settleAnsweredLate`). Runs at every step: O(1) amortised.
 */
export function settleOverdue(state: TrackerState, now: number, effects: Effect[]): void {
  const objectiveMs = state.options.latencyObjectiveMs;
  let overdue: number[] | undefined; // allocated only when an event settles: most steps none
  while (state.objectiveCursor < state.nextSeqno) {
    const event = eventAt(state, state.objectiveCursor) as TrackedEvent;
    if ((event.wireAt ?? event.sentAt) + objectiveMs >= now) break;
    if (event.state === 'posted') {
      settleBad(state, event);
      if (overdue === undefined) overdue = [];
      overdue.push(event.seqno);
    }
    state.objectiveCursor += 1;
  }
  if (overdue !== undefined) effects.push({ kind: 'overdue', seqnos: overdue });
}

/**
 * A post answered with success after the cursor passed its event, and the event has not
 * arrived: it settles bad now. `event` is undefined when it was purged meanwhile.
 */
export function settleAnsweredLate(
  state: TrackerState,
  seqno: number,
  event?: TrackedEvent,
): boolean {
  if (seqno >= state.objectiveCursor) return false;
  if (event) settleBad(state, event);
  else state.totals.settled += 1;
  return true;
}

function settleBad(state: TrackerState, event: TrackedEvent): void {
  event.overdue = true;
  state.totals.settled += 1;
}
