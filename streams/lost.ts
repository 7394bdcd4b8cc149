import type { Effect } from './effects';
import { eventAt, type TrackedEvent } from './eventStore';
import { setEventState, type TrackerState } from './trackerState';

/**
 * An event is lost when its post succeeded and it was not received within the lost timeout of
 * its send time (it settled bad for the SLI long before: see `objective.ts`). Checked at every clean tick; the cursor passes each event once. (An event
 * whose post is answered only after its deadline is lost at the answer: see `postAnswers.ts`.)
 */
export function markLost(state: TrackerState, now: number, effects: Effect[]): void {
  const deadline = now - state.options.lostTimeoutMs;
  const lost: number[] = [];
  while (state.lostCursor < state.nextSeqno) {
    const event = eventAt(state, state.lostCursor) as TrackedEvent; // cursor ≥ firstSeqno
    if (event.sentAt > deadline) break;
    if (event.state === 'posted') {
      setEventState(state, event, 'lost');
      lost.push(event.seqno);
    }
    state.lostCursor += 1;
  }
  if (lost.length > 0) {
    effects.push({ kind: 'lost', seqnos: lost });
  }
}
