import type { TrackerState } from '../../../streams/trackerState';
import { type StatusOptions, statusView } from './statusView';
import type { TargetLevel, TargetRow } from './statusViewTypes';

export type { TargetLevel, TargetRow } from './statusViewTypes';

/** A target as the overview reads it: its tracker state (none yet while starting). */
export interface OverviewTarget {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly appId: string;
  readonly state: TrackerState | undefined;
  readonly options: StatusOptions;
}

/**
 * The overview walks at most this many of each target's newest events (for the latency
 * quantiles, the overdue count and the last post error); the rest comes from the core's
 * counts. So a hundred targets cost a hundred small walks, whatever each one keeps.
 */
export const SUMMARY_EVENTS = 100;

const RANK: Record<TargetLevel, number> = { bad: 0, warn: 1, starting: 2, ok: 3 };

/** One target's row: the status view over a small window, reduced to what the row shows. */
export function targetRow(target: OverviewTarget, now: number): TargetRow {
  const { id, labels, appId, state, options } = target;
  if (state === undefined) {
    return {
      id,
      labels,
      appId,
      level: 'starting',
      problem: null,
      problems: 0,
      shares: [],
      latency: { p50Ms: null, p99Ms: null, samples: 0 },
      listeners: { connected: 0, configured: options.configuredListeners },
    };
  }
  const view = statusView(state, now, {
    ...options,
    recentEvents: Math.min(options.recentEvents ?? 20, SUMMARY_EVENTS),
    maxChartPoints: SUMMARY_EVENTS,
  });
  const [worst] = view.problems;
  return {
    id,
    labels,
    appId: view.appId,
    level: worst?.level ?? 'ok',
    problem: worst?.text ?? null,
    problems: view.problems.length,
    shares: view.shares,
    latency: {
      p50Ms: view.latency.p50Ms,
      p99Ms: view.latency.p99Ms,
      samples: view.latency.samples,
    },
    listeners: { connected: view.listeners.connected, configured: view.listeners.configured },
  };
}

// Ids in natural order (`-1, -2, -10, -12`, as a person counts), then in code unit order so
// two ids the collation finds equal still have one order.
const NATURAL = new Intl.Collator('en', { numeric: true });
const byId = (a: string, b: string) => NATURAL.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** The overview's data: one row per target, the worst first, then by id in natural order. */
export function statusOverview(
  targets: Iterable<OverviewTarget>,
  now: number,
): { targets: TargetRow[] } {
  const rows = [...targets].map((target) => targetRow(target, now));
  rows.sort((a, b) => RANK[a.level] - RANK[b.level] || byId(a.id, b.id));
  return { targets: rows };
}
