import type { EventState } from './eventStore';
import type { MalformedReason } from './parsedFrame';

/** The books: every count the metrics export. */
export interface Totals {
  posted: number;
  received: number;
  lost: number;
  late: number;
  postErrors: number;
  /** Events still in flight when their pipeline's drain ended (see `drain.ts`). */
  drained: number;
  /** Events of another probe of the same target (a replica, a predecessor): ours, not foreign. */
  siblings: number;
  duplicates: number;
  wrongAppId: number;
  unknownSeqno: number;
  /** Frames that are not probe events, by reason. */
  readonly malformed: Record<MalformedReason, number>;
  outOfOrder: number;
  purged: number;
  internalErrors: number;
  /** Post attempts that were retries. */
  retries: number;
  /** SLI: events received within the latency objective. */
  withinObjective: number;
  /** SLI: events settled, good or bad (received, or lost). */
  settled: number;
}

/** What the books are kept in: the totals, and the events in flight. */
export interface Books {
  readonly totals: Totals;
  eventsInFlight: number;
}

/** States of an event whose post is proven: by a successful answer, or by its arrival. */
const PROVEN: ReadonlySet<EventState> = new Set(['posted', 'received', 'lost', 'late', 'drained']);

/**
 * The books follow from each event's state changes, and from nothing else, so no count is
 * decided in two places and none depends on the order answers and receipts arrive in:
 *
 * - posted: an event's post is proven, by its successful answer or its first receipt,
 *   whichever comes first (an event that arrived was taken by the collector, whatever the
 *   answer says);
 * - received, lost, late, drained: an event enters that state (a lost event received later is
 *   late and stays lost; a drained one is never received by this pipeline, which has ended);
 * - in flight: events now in state `posted` — counted, not derived from the others, so that
 *   posted = received + lost + drained + in flight is a check that can fail.
 */
export function keepBooks(state: Books, before: EventState, next: EventState): void {
  const totals = state.totals;
  if (!PROVEN.has(before) && PROVEN.has(next)) totals.posted += 1;
  if (before === 'posted') state.eventsInFlight -= 1;
  if (next === 'posted') state.eventsInFlight += 1;
  if (next === 'received') totals.received += 1;
  else if (next === 'lost') totals.lost += 1;
  else if (next === 'late') totals.late += 1;
  else if (next === 'drained') totals.drained += 1;
}
