import type { Effect } from './effects';
import { eventAt, type TrackedEvent } from './eventStore';
import { setEventState, type TrackerState } from './trackerState';

const UNANSWERED = 'the drain ended before the collector answered';

/**
 * A pipeline that stops — the process stopping, its target changed, removed or handed to another
 * shard — drains instead of dropping what it posted: it posts no more, listens on, and ends once
 * every event it posted is received or lost and no post is waiting for its answer, or once a
 * deadline passes. Here the drain begins; the books say what was still open.
 */
export function startDrain(state: TrackerState, now: number, effects: Effect[]): void {
  if (state.drainingSince !== undefined) return;
  state.drainingSince = now;
  effects.push({
    kind: 'drain-started',
    inFlight: state.eventsInFlight,
    postsRunning: state.postsRunning,
  });
}

/** Ends a drain whose events have all settled; checked after every step of a draining fold. */
export function endSettledDrain(state: TrackerState, effects: Effect[]): void {
  if (state.drainingSince === undefined || state.drainEnded) return;
  if (state.eventsInFlight > 0 || state.postsRunning > 0) return;
  state.drainEnded = true;
  effects.push({ kind: 'drain-ended', drained: [], unanswered: [] });
}

/**
 * The deadline passed: an event still in flight ends `drained` (an outcome of its own, never
 * forgotten: posted = received + lost + drained + in flight), and a post still waiting for its
 * answer is a post error — whether the collector took it is not known.
 */
export function endDrainAtDeadline(state: TrackerState, effects: Effect[]): void {
  if (state.drainEnded) return;
  const drained: number[] = [];
  const unanswered: number[] = [];
  for (let seqno = state.firstSeqno; seqno < state.nextSeqno; seqno++) {
    const event = eventAt(state, seqno) as TrackedEvent;
    if (event.state === 'posted') {
      setEventState(state, event, 'drained');
      drained.push(seqno);
    } else if (event.state === 'posting') {
      event.postError = UNANSWERED;
      state.totals.postErrors += 1;
      setEventState(state, event, 'failed');
      unanswered.push(seqno);
    }
  }
  state.postsRunning = 0;
  state.drainEnded = true;
  effects.push({ kind: 'drain-ended', drained, unanswered });
}
