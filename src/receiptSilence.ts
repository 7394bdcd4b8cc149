/** Receipts missed in a row before a silence is the pipeline's, not one dropped event. */
export const SILENT_INTERVALS = 3;

/**
 * How long without any receipt means the pipeline is delivering nothing: a few post intervals,
 * and never less than the latency objective, since an event may take that long and be on time.
 * Without a known interval (fewer than two posts) the objective alone.
 */
export function silenceLimitMs(intervalMs: number | null, objectiveMs: number): number {
  return Math.max(objectiveMs, intervalMs === null ? 0 : SILENT_INTERVALS * intervalMs);
}

export interface Quiet {
  /** Whether a post succeeded recently (the core's `postingOk`). */
  readonly postingOk: boolean;
  /** Time since the newest receipt (or since the oldest event, when there is none). */
  readonly quietMs: number;
  readonly limitMs: number;
  /** Clock time of the newest receipt of an own event, if any is tracked. */
  readonly newestReceiptAt: number | undefined;
  /** Send time of the newest event that is past the objective and not received, if any. */
  readonly newestDueSentAt: number | undefined;
}

/**
 * The pipeline delivers nothing: posts succeed, nothing was received for longer than the
 * limit, and an event sent after the newest receipt is past its objective — so the quiet is
 * not an idle gap while posting resumes after failing (posts failing are their own problem).
 */
export function silent(quiet: Quiet): boolean {
  const { newestDueSentAt, newestReceiptAt } = quiet;
  return (
    quiet.postingOk &&
    quiet.quietMs > quiet.limitMs &&
    newestDueSentAt !== undefined &&
    (newestReceiptAt === undefined || newestDueSentAt > newestReceiptAt)
  );
}

/**
 * The post interval seen in the send times of events `from` to `to` (`from` the older): the
 * schedule does not drift, so their mean gap is the configured interval. The status view reads
 * it here because the tracker state does not carry the interval; null with fewer than two.
 */
export function observedIntervalMs(
  from: { readonly seqno: number; readonly sentAt: number } | undefined,
  to: { readonly seqno: number; readonly sentAt: number } | undefined,
): number | null {
  if (!from || !to || to.seqno <= from.seqno) return null;
  return (to.sentAt - from.sentAt) / (to.seqno - from.seqno);
}
