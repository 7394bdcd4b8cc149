/** Receipts missed in a row before a silence is the pipeline's, not one dropped event. */
export const SILENT_INTERVALS = 3;

/**
 * How long without any receipt means the pipeline is delivering nothing: a few post intervals,
 * and never less than the latency objective, since an event may take that long and be on time.
 */
export function silenceLimitMs(intervalMs: number, objectiveMs: number): number {
  return Math.max(objectiveMs, SILENT_INTERVALS * intervalMs);
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
