import type { TrackerState } from './trackerState';

/**
 * The SLI: an event is good when it is received within the latency objective, bad when it is
 * lost or received later. It counts once it has settled one way or the other; a failed post
 * is the collector's answer, not the pipeline's delivery, and never counts. An event received
 * after it was counted lost settled bad at the lost mark, and is not counted again.
 */
export function settleReceived(state: TrackerState, latencyMs: number): boolean {
  const good = latencyMs <= state.options.latencyObjectiveMs;
  state.totals.settled += 1;
  if (good) state.totals.withinObjective += 1;
  return good;
}

export function settleLost(state: TrackerState, count: number): void {
  state.totals.settled += count;
}
