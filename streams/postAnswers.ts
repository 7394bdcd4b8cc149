import { appendEvent, eventAt } from './eventStore';
import type { Effect, PostFailed, PostSent, PostStarted, PostSucceeded } from './messages';
import { settleLost } from './objective';
import { recordSend, reweigh } from './shareWindows';
import { internalError, setEventState, type TrackerState } from './trackerState';

/** A post left: the event is remembered from now, in state `posting`. */
export function startPost(
  state: TrackerState,
  { seqno, lagMs }: PostStarted,
  now: number,
  effects: Effect[],
): void {
  // The schedule numbers posts 1, 2, 3, … and each post starts in order; anything else is a bug.
  if (seqno !== state.nextSeqno) {
    internalError(state, `post-started for seqno ${seqno}, expected ${state.nextSeqno}`, effects);
    return;
  }
  appendEvent(state, { seqno, sentAt: now, state: 'posting' });
  recordSend(state.windows, now);
  effects.push({ kind: 'post-started', seqno, lagMs });
  state.postsInProgress += 1;
}

/**
 * The post's first attempt went on the wire: latency is measured from here (see
 * `receipts.ts`), not from before the HTTP client's own work.
 */
export function onTheWire(state: TrackerState, { seqno, at }: PostSent): void {
  const event = eventAt(state, seqno);
  if (event && event.wireAt === undefined && event.latencyMs === undefined) event.wireAt = at;
}

/**
 * A post was answered. A failed post is a post error, never lost or missing. A receipt may
 * have come first (the collector took it, whatever the answer says), and an answer may come
 * after the lost deadline passed the event, or after it was purged: then it is lost at once.
 */
export function answerPost(
  state: TrackerState,
  answer: PostSucceeded | PostFailed,
  now: number,
  effects: Effect[],
): void {
  const { seqno, durationMs, retries } = answer;
  const ok = answer.kind === 'post-succeeded';
  effects.push({ kind: 'post-done', seqno, ok, durationMs, retries });
  if (ok) state.lastPostOkAt = now;
  const event = eventAt(state, seqno);
  // Settled already (a receipt came first), or not a post we wait for.
  if (event ? event.state !== 'posting' : !state.purgedWhilePosting.delete(seqno)) return;
  state.postsInProgress -= 1;
  if (answer.kind === 'post-failed') {
    state.totals.postErrors += 1;
    effects.push({ kind: 'post-error', seqno, retries, error: answer.error });
    if (event) {
      event.postError = answer.error;
      setEventState(state, event, 'failed');
    }
    return;
  }
  state.totals.posted += 1;
  effects.push({ kind: 'posted', seqno });
  if (seqno < state.lostCursor) {
    if (event) setEventState(state, event, 'lost');
    else reweigh(state.windows, seqno, 'posting', 'lost'); // purged, but maybe still windowed
    state.totals.lost += 1;
    settleLost(state, 1);
    effects.push({ kind: 'lost', seqnos: [seqno] });
  } else if (event) {
    setEventState(state, event, 'posted');
  }
}
