import { type EventState, eventAt, trackedCount } from '../streams/eventStore';
import { connectedListeners } from '../streams/listenerView';
import { postingOk } from '../streams/readiness';
import { missingShares } from '../streams/shareWindows';
import { inFlight, type Totals, type TrackerState } from '../streams/trackerState';

/** What the status page shows, computed from the tracker state on request. */
export interface StatusView {
  readonly appId: string;
  readonly listeners: {
    readonly configured: number;
    readonly connected: number;
    readonly each: ReadonlyArray<{
      readonly id: number;
      readonly status: string;
      readonly reason: string | null;
      readonly connects: number;
      readonly disconnects: number;
      readonly forSeconds: number;
    }>;
  };
  readonly posting: {
    readonly ok: boolean;
    readonly lastOkSecondsAgo: number | null;
    readonly inProgress: number;
  };
  readonly shares: ReadonlyArray<{ readonly window: string; readonly percent: number }>;
  readonly latency: {
    readonly latestMs: number | null;
    readonly p50Ms: number | null;
    readonly p99Ms: number | null;
    readonly samples: number;
  };
  readonly totals: Totals;
  readonly inFlight: number;
  readonly tracked: number;
  /** Newest first. */
  readonly events: ReadonlyArray<{
    readonly seqno: number;
    readonly state: EventState;
    readonly ageSeconds: number;
    readonly latencyMs: number | null;
    readonly receiptOrder: number | null;
    readonly error: string | null;
  }>;
  /** Oldest first: one point per event in the chart window (latency null while not received). */
  readonly chart: {
    readonly spanSeconds: number;
    readonly points: ReadonlyArray<{
      readonly ageSeconds: number;
      readonly latencyMs: number | null;
      readonly state: EventState;
    }>;
  };
  readonly lastForeignAppId: string | null;
}

export interface StatusOptions {
  readonly configuredListeners: number;
  /** Posting counts as OK while a post succeeded this recently (see `postingOk`). */
  readonly postingWindowMs: number;
  /** Clock time the probe started, for `postingOk` before the first post. */
  readonly startedAt?: number;
  readonly recentEvents?: number;
  readonly chartMs?: number;
  readonly maxChartPoints?: number;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The status page's data. Walks only the newest events (the table and the chart window, at
 * most `maxChartPoints`), so its cost does not grow with what the purge keeps.
 */
export function statusView(state: TrackerState, now: number, options: StatusOptions): StatusView {
  const recent = options.recentEvents ?? 50;
  const chartMs = options.chartMs ?? 10 * 60_000;
  const maxPoints = options.maxChartPoints ?? 2_000;

  const events: Array<StatusView['events'][number]> = [];
  const points: Array<StatusView['chart']['points'][number]> = [];
  const latencies: number[] = [];
  const oldest = Math.max(state.firstSeqno, state.nextSeqno - Math.max(recent, maxPoints));
  for (let seqno = state.nextSeqno - 1; seqno >= oldest; seqno--) {
    const event = eventAt(state, seqno);
    if (event === undefined) break;
    const age = now - event.sentAt;
    if (events.length < recent) {
      events.push({
        seqno,
        state: event.state,
        ageSeconds: round(age / 1000),
        latencyMs: event.latencyMs === undefined ? null : round(event.latencyMs),
        receiptOrder: event.receiptOrder ?? null,
        error: event.postError ?? null,
      });
    }
    if (age <= chartMs && points.length < maxPoints) {
      points.push({
        ageSeconds: round(age / 1000, 2),
        latencyMs: event.latencyMs === undefined ? null : round(event.latencyMs),
        state: event.state,
      });
      if (event.latencyMs !== undefined) latencies.push(event.latencyMs);
    }
  }
  points.reverse();
  latencies.sort((a, b) => a - b);

  const lastOk = state.lastPostOkAt;
  return {
    appId: state.options.appId,
    listeners: {
      configured: options.configuredListeners,
      connected: connectedListeners(state.listeners),
      each: [...state.listeners.entries()]
        .sort(([a], [b]) => a - b)
        .map(([id, view]) => ({
          id,
          status: view.status,
          reason: view.status === 'connected' ? null : (view.disconnect?.detail ?? null),
          connects: view.connects,
          disconnects: view.disconnects,
          forSeconds: round((now - view.since) / 1000),
        })),
    },
    posting: {
      ok: postingOk(state, now, options.postingWindowMs, options.startedAt ?? 0),
      lastOkSecondsAgo: lastOk === undefined ? null : round((now - lastOk) / 1000),
      inProgress: state.postsRunning,
    },
    shares: missingShares(state.windows).map((share) => ({
      window: share.label,
      percent: round(share.percent, 2),
    })),
    latency: {
      latestMs: state.latestLatencyMs === undefined ? null : round(state.latestLatencyMs),
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      samples: latencies.length,
    },
    totals: { ...state.totals },
    inFlight: inFlight(state),
    tracked: trackedCount(state),
    events,
    // The chart spans what it has, up to the chart window, so a young probe's line is readable.
    chart: {
      spanSeconds: round(Math.min(chartMs / 1000, Math.max(10, points[0]?.ageSeconds ?? 0)), 0),
      points,
    },
    lastForeignAppId: state.lastForeignAppId ?? null,
  };
}

/** Nearest-rank quantile of sorted values; null when there are none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return round(sorted[rank - 1]);
}
