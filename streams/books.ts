import type { EventState } from './eventStore';
import type { TrackerState } from './trackerState';

/** States of an event whose post is proven: by a successful answer, or by its arrival. */
const PROVEN: ReadonlySet<EventState> = new Set(['posted', 'received', 'lost', 'late']);

/**
 * The books follow from each event's state changes, and from nothing else, so no count is
 * decided in two places and none depends on the order answers and receipts arrive in:
 *
 * - posted: an event's post is proven, by its successful answer or its first receipt,
 *   whichever comes first (an event that arrived was taken by the collector, whatever the
 *   answer says);
 * - received, lost, late: an event enters that state (a lost event received later is late and
 *   stays lost);
 * - in flight: events now in state `posted` — counted, not derived from the others, so that
 *   posted = received + lost + in flight is a check that can fail.
 */
export function keepBooks(state: TrackerState, before: EventState, next: EventState): void {
  const totals = state.totals;
  if (!PROVEN.has(before) && PROVEN.has(next)) totals.posted += 1;
  if (before === 'posted') state.eventsInFlight -= 1;
  if (next === 'posted') state.eventsInFlight += 1;
  if (next === 'received') totals.received += 1;
  else if (next === 'lost') totals.lost += 1;
  else if (next === 'late') totals.late += 1;
}
