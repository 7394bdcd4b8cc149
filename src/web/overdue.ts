import type { TrackedEvent } from '../../streams/eventStore';

/**
 * An event shows as overdue while it still waits past its latency objective: its post
 * succeeded, nothing arrived, and the core has settled it bad for that (`objective.ts`), though
 * the lost timeout has not passed. Once it arrives or is lost, its state says so instead.
 */
export function overdue(event: TrackedEvent): boolean {
  return event.state === 'posted' && event.overdue === true;
}
