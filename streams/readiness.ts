import { connectedListeners } from './listenerView';
import type { TrackerState } from './trackerState';

/**
 * How recently a post must have succeeded for posting to count as OK: three intervals plus one
 * post timeout, so one slow or failed post is not yet a problem.
 */
export function postingWindowMs(postIntervalMs: number, postTimeoutMs: number): number {
  return 3 * postIntervalMs + postTimeoutMs;
}

/**
 * A post succeeded within the last `windowMs`, or none can have been due yet (the probe started
 * less than `windowMs` ago). Shared by the status page and `/readyz`.
 */
export function postingOk(
  state: TrackerState | undefined,
  now: number,
  windowMs: number,
  startedAt: number,
): boolean {
  const lastOk = state?.lastPostOkAt;
  return lastOk !== undefined ? now - lastOk <= windowMs : now - startedAt <= windowMs;
}

/** What stops the probe's numbers from meaning something now; empty when it is ready. */
export function readinessProblems(
  state: TrackerState | undefined,
  now: number,
  windowMs: number,
  startedAt: number,
): string[] {
  const problems: string[] = [];
  if (!state || connectedListeners(state.listeners) === 0) problems.push('no listener connected');
  if (!postingOk(state, now, windowMs, startedAt)) {
    problems.push(`no successful post in the last ${Math.round(windowMs / 1000)} s`);
  }
  return problems;
}
