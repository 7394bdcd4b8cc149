import { eventAt, type TrackedEvent, trackedCount } from '../../../streams/eventStore';
import { connectedListeners } from '../../../streams/listenerView';
import { postingOk } from '../../../streams/readiness';
import { missingShares } from '../../../streams/shareWindows';
import { silenceLimitMs, silent } from '../../../streams/silence';
import { inFlight, type TrackerState } from '../../../streams/trackerState';
import { overdue } from '../overdue';
import { statusProblems } from './statusProblems';
import type { StatusView } from './statusViewTypes';

export type { Problem, StatusView } from './statusViewTypes';

export interface StatusOptions {
  readonly configuredListeners: number;
  /** Posting counts as OK while a post succeeded this recently (see `postingOk`). */
  readonly postingWindowMs: number;
  /** The schedule's interval: a silence is a few of them without a receipt. */
  readonly postIntervalMs: number;
  /** Clock time the probe started, for `postingOk` before the first post. */
  readonly startedAt?: number;
  readonly recentEvents?: number;
  readonly chartMs?: number;
  readonly maxChartPoints?: number;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const seconds = (ms: number) => round(ms / 1000);
const receivedAt = (event: TrackedEvent) =>
  event.latencyMs === undefined ? undefined : (event.wireAt ?? event.sentAt) + event.latencyMs;

/**
 * The status page's data. Walks only the newest events (the table and the chart window, at
 * most `maxChartPoints`), so its cost does not grow with what the purge keeps.
 */
export function statusView(state: TrackerState, now: number, options: StatusOptions): StatusView {
  const recent = options.recentEvents ?? 50;
  const chartMs = options.chartMs ?? 10 * 60_000;
  const maxPoints = options.maxChartPoints ?? 2_000;
  const objectiveMs = state.options.latencyObjectiveMs;

  const events: Array<StatusView['events'][number]> = [];
  const points: Array<StatusView['chart']['points'][number]> = [];
  const latencies: number[] = [];
  let overdueCount = 0;
  const newestReceiptAt = state.lastReceiptAt;
  let newestReceivedAt: number | undefined;
  let newestDueSentAt: number | undefined;
  let oldestWalked: TrackedEvent | undefined;
  const oldest = Math.max(state.firstSeqno, state.nextSeqno - Math.max(recent, maxPoints));
  for (let seqno = state.nextSeqno - 1; seqno >= oldest; seqno--) {
    const event = eventAt(state, seqno);
    if (event === undefined) break;
    oldestWalked = event;
    const age = now - event.sentAt;
    const late = overdue(event);
    if (late) overdueCount += 1;
    if ((late || event.state === 'lost') && newestDueSentAt === undefined) {
      newestDueSentAt = event.sentAt;
    }
    const at = receivedAt(event);
    if (at !== undefined) {
      // Receipts may come out of seqno order: the newest is the latest time, not the last seqno.
      if (event.state === 'received') newestReceivedAt = Math.max(newestReceivedAt ?? at, at);
    }
    const latencyMs = event.latencyMs === undefined ? null : round(event.latencyMs);
    if (events.length < recent) {
      events.push({
        seqno,
        state: event.state,
        overdue: late,
        ageSeconds: seconds(age),
        latencyMs,
        receiptOrder: event.receiptOrder ?? null,
        error: event.postError ?? null,
      });
    }
    if (age <= chartMs && points.length < maxPoints) {
      points.push({
        ageSeconds: round(age / 1000, 2),
        latencyMs,
        state: event.state,
        overdue: late,
      });
      if (event.latencyMs !== undefined) latencies.push(event.latencyMs);
    }
  }
  points.reverse();
  latencies.sort((a, b) => a - b);

  const intervalMs = options.postIntervalMs;
  const limitMs = silenceLimitMs(intervalMs, objectiveMs);
  const quietSince = newestReceiptAt ?? oldestWalked?.sentAt;
  const quietMs = quietSince === undefined ? null : now - quietSince;
  const posting = postingOk(state, now, options.postingWindowMs, options.startedAt ?? 0);
  const latestAgeMs = newestReceivedAt === undefined ? undefined : now - newestReceivedAt;
  const lastOk = state.lastPostOkAt;
  const view: Omit<StatusView, 'problems'> = {
    appId: state.options.appId,
    listeners: {
      configured: options.configuredListeners,
      connected: connectedListeners(state.listeners),
      each: [...state.listeners.entries()]
        .sort(([a], [b]) => a - b)
        .map(([id, listener]) => ({
          id,
          status: listener.status,
          reason: listener.status === 'connected' ? null : (listener.disconnect?.detail ?? null),
          connects: listener.connects,
          disconnects: listener.disconnects,
          forSeconds: seconds(now - listener.since),
        })),
    },
    posting: {
      ok: posting,
      lastOkSecondsAgo: lastOk === undefined ? null : seconds(now - lastOk),
      inProgress: state.postsRunning,
      lastError: events.find((event) => event.error !== null)?.error ?? null,
    },
    delivery: {
      lastReceiptSecondsAgo: newestReceiptAt === undefined ? null : seconds(now - newestReceiptAt),
      quietSeconds: quietMs === null ? null : seconds(quietMs),
      expectedEverySeconds: round(intervalMs / 1000, 2),
      silenceLimitSeconds: seconds(limitMs),
      silent:
        quietMs !== null &&
        silent({ postingOk: posting, quietMs, limitMs, newestReceiptAt, newestDueSentAt }),
      objectiveSeconds: seconds(objectiveMs),
      lostAfterSeconds: seconds(state.options.lostTimeoutMs),
      overdue: overdueCount,
    },
    shares: missingShares(state.windows).map((share) => ({
      window: share.label,
      percent: round(share.percent, 2),
    })),
    latency: {
      latestMs: state.latestLatencyMs === undefined ? null : round(state.latestLatencyMs),
      latestAgeSeconds: latestAgeMs === undefined ? null : seconds(latestAgeMs),
      // A latest value whose receipt is no longer among the events walked is older still.
      stale:
        state.latestLatencyMs !== undefined &&
        !(latestAgeMs !== undefined && latestAgeMs <= limitMs),
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
  return { ...view, problems: statusProblems(view) };
}

/** Nearest-rank quantile of sorted values; null when there are none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return round(sorted[rank - 1]);
}
