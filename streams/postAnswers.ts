import type { Effect } from './effects';
import { appendEvent, eventAt } from './eventStore';
import { settleAnsweredLate } from './objective';
import type { PostFailed, PostSent, PostStarted, PostSucceeded } from './postMessages';
import { recordSend } from './shareWindows';
import { internalError, setEventState, stateChanged, type TrackerState } from './trackerState';

/** A post left: the event is remembered from its start, in state `posting`. */
export function startPost(state: TrackerState, input: PostStarted, effects: Effect[]): void {
  const { seqno, sentAt, lagMs, running } = input;
  state.postsRunning = running;
  // The schedule numbers posts 1, 2, 3, … and each post starts in order; anything else is a bug.
  if (seqno !== state.nextSeqno) {
    internalError(state, `post-started for seqno ${seqno}, expected ${state.nextSeqno}`, effects);
    return;
  }
  appendEvent(state, { seqno, sentAt, state: 'posting' });
  recordSend(state.windows, sentAt);
  effects.push({ kind: 'post-started', seqno, lagMs });
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
 * A post was answered. A failure is a post error — every failed answer, also one whose event
 * arrived (before or after the answer): the collector said it failed, and that is worth
 * seeing; the event then counts posted and received as well (see `books.ts`), never lost or
 * missing. A success proves the post, unless a receipt did first. An answer after the lost
 * deadline passed the event (or after it was purged) makes it lost at once, and one after its
 * objective passed settles it bad at once.
 */
export function answerPost(
  state: TrackerState,
  answer: PostSucceeded | PostFailed,
  now: number,
  effects: Effect[],
): void {
  const { seqno, durationMs, retries } = answer;
  const ok = answer.kind === 'post-succeeded';
  state.postsRunning = answer.running;
  state.totals.retries += retries;
  effects.push({ kind: 'post-done', seqno, ok, durationMs, retries });
  if (ok) state.lastPostOkAt = now;
  const event = eventAt(state, seqno);
  const purged = event === undefined && state.purgedWhilePosting.delete(seqno);
  if (event === undefined && !purged) return; // not a post this fold waits for
  if (answer.kind === 'post-failed') {
    state.totals.postErrors += 1;
    effects.push({ kind: 'post-error', seqno, retries, error: answer.error });
    if (event === undefined) return;
    event.postError = answer.error;
    if (event.state === 'posting') setEventState(state, event, 'failed');
    return;
  }
  if (event !== undefined && event.state !== 'posting') return; // arrived first
  const lost = seqno < state.lostCursor;
  settleAnsweredLate(state, seqno, event);
  if (event) setEventState(state, event, lost ? 'lost' : 'posted');
  else stateChanged(state, seqno, 'posting', 'lost'); // forgotten while its post ran
  if (lost) effects.push({ kind: 'lost', seqnos: [seqno] });
}
