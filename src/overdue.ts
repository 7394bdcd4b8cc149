import type { TrackedEvent } from '../streams/eventStore';

/**
 * An event is overdue when its post succeeded, it has not been received, and it was sent longer
 * ago than the latency objective: it can no longer count as good, though the lost timeout has
 * not passed yet. The status page derives this here from the event's send time until the core
 * keeps it as a fact of its own.
 */
export function overdue(event: TrackedEvent, now: number, objectiveMs: number): boolean {
  return event.state === 'posted' && now - event.sentAt > objectiveMs;
}
