import type { Effect } from './effects';
import { forgetOldest, oldestEvent } from './eventStore';
import type { TrackerState } from './trackerState';

/**
 * An event is forgotten once it is older than the purge timeout, which bounds memory whatever
 * arrives. A post still running for it is remembered by seqno, so its answer still counts; the
 * share windows keep what they need of it on their own.
 */
export function purge(state: TrackerState, now: number, effects: Effect[]): void {
  const deadline = now - state.options.purgeTimeoutMs;
  let count = 0;
  for (let event = oldestEvent(state); event !== undefined; event = oldestEvent(state)) {
    if (event.sentAt > deadline) break;
    if (event.state === 'posting') state.purgedWhilePosting.add(event.seqno);
    forgetOldest(state);
    count += 1;
  }
  if (state.lostCursor < state.firstSeqno) state.lostCursor = state.firstSeqno;
  if (state.objectiveCursor < state.firstSeqno) state.objectiveCursor = state.firstSeqno;
  if (count > 0) {
    state.totals.purged += count;
    effects.push({ kind: 'purged', count });
  }
}
