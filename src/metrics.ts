import { Counter, type OpenMetricsContentType, Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import type { ProbeStreams } from '../streams/derivedStreams';
import type { ListenerView } from '../streams/listenerView';
import { MALFORMED_REASONS } from '../streams/messages';
import type { Totals, TrackerState } from '../streams/trackerState';
import { type LatestValues, registerGauges, type TargetIdentity } from './metricGauges';
import { createHistograms } from './metricHistograms';
import { droppedOutput } from './stdout';

export interface MetricsOptions {
  readonly latencyBucketsSeconds: readonly number[];
}

export interface ProbeMetrics {
  readonly registry: Registry;
  /**
   * Follows one target's streams: counters and gauges read at scrape, histograms per effect,
   * every series labelled `target`. Unsubscribing removes the target's series.
   */
  follow(identity: TargetIdentity, streams: ProbeStreams): Subscription;
  tokenRequest(result: 'ok' | 'error'): void;
  pipelineRestarted(targetId: string): void;
}

/** The counters whose value is one of the fold's books: name, help, which one. */
const FROM_TOTALS: ReadonlyArray<readonly [string, string, (t: Totals) => number]> = [
  ['probe_events_posted_total', 'Events whose post succeeded (or that arrived).', (t) => t.posted],
  [
    'probe_events_received_total',
    'Events of this probe received (first receipt of each, before the lost timeout).',
    (t) => t.received,
  ],
  ['probe_events_lost_total', 'Posted events not received within the lost timeout.', (t) => t.lost],
  ['probe_event_post_errors_total', 'Posts that failed after all retries.', (t) => t.postErrors],
  [
    'probe_events_duplicates_total',
    'Events received again on the same connection.',
    (t) => t.duplicates,
  ],
  [
    'probe_wrong_appid_total',
    "Events received that carry another probe's app_id.",
    (t) => t.wrongAppId,
  ],
  ['probe_events_late_total', 'Events received after they had been counted lost.', (t) => t.late],
  [
    'probe_events_out_of_order_total',
    'Events received after an event with a higher seqno.',
    (t) => t.outOfOrder,
  ],
  [
    'probe_unknown_seqno_total',
    "Receipts with this probe's app_id but a seqno not tracked (never sent, or already purged).",
    (t) => t.unknownSeqno,
  ],
  ['probe_event_post_retries_total', 'Post attempts that were retries.', (t) => t.retries],
  [
    'probe_events_within_objective_total',
    'SLI: events received within the latency objective (good).',
    (t) => t.withinObjective,
  ],
  [
    'probe_events_settled_total',
    'SLI: events settled good or bad (received, or their objective passed without a receipt); failed posts and events in flight are not.',
    (t) => t.settled,
  ],
];

/**
 * The metrics sink, in a registry of its own, for every target of the process. Every count is the fold's (`TrackerState`
 * totals and listener views), read when Prometheus scrapes: kept once, so the series and the
 * status page cannot disagree. A pipeline restart (a bug caught) starts a new fold, which
 * Prometheus sees as a counter reset. Histograms observe the core's effects; gauges show the
 * latest derived values, which move with the clock ticks too. prom-client adds no `_total` to
 * counters, so the names carry it.
 */
export function createMetrics(options: MetricsOptions): ProbeMetrics {
  // OpenMetrics, so the latency histogram may carry exemplars; `exposition.ts` also speaks text.
  const registry: Registry = new Registry<OpenMetricsContentType>() as never;
  (registry as unknown as Registry<OpenMetricsContentType>).setContentType(
    Registry.OPENMETRICS_CONTENT_TYPE,
  );
  const registers = [registry];
  const targets = new Map<string, TargetSeries>();
  /** A counter set at each scrape from `read`: one value per target and label set. */
  const counterFrom = (
    name: string,
    help: string,
    labelNames: string[],
    read: (target: TargetSeries) => Iterable<readonly [Record<string, string>, number]>,
  ) =>
    new Counter({
      name,
      help,
      labelNames: ['target', ...labelNames],
      registers,
      collect() {
        this.reset();
        for (const [id, target] of targets) {
          for (const [labels, value] of read(target)) this.inc({ target: id, ...labels }, value);
        }
      },
    });
  const single = (value: number) => [[{}, value] as const];

  for (const [name, help, read] of FROM_TOTALS) {
    counterFrom(name, help, [], ({ state }) => single(state ? read(state.totals) : 0));
  }
  // Every reason exported at 0 from the start, so increase() sees the first bad frame too.
  counterFrom(
    'probe_malformed_messages_total',
    'Subscription frames that are not probe events, by reason.',
    ['reason'],
    ({ state }) =>
      MALFORMED_REASONS.map((reason) => [{ reason }, state?.totals.malformed[reason] ?? 0]),
  );
  counterFrom(
    'probe_listener_reconnects_total',
    'Subscription connections that ended and are being reopened, by listener and cause.',
    ['listener', 'cause'],
    ({ state }) => listenerCounts(state, (view) => view.disconnectsByCause),
  );
  counterFrom(
    'probe_listener_rotations_total',
    'Subscription connections replaced make-before-break before the gateway cuts them.',
    ['listener'],
    ({ state }) => listenerCounts(state, (view) => new Map([['', view.rotations]])),
  );
  counterFrom(
    'probe_internal_errors_total',
    'Bugs caught and survived: a tracker step or the pipeline failed.',
    [],
    ({ state, restarts }) => single((state?.totals.internalErrors ?? 0) + restarts),
  );
  let droppedSeen = 0;
  new Counter({
    name: 'probe_log_lines_dropped_total',
    help: 'Log lines not written: stdout was closed by its reader, or stalled with 1 MiB waiting.',
    registers,
    collect() {
      const dropped = droppedOutput();
      this.inc(dropped - droppedSeen);
      droppedSeen = dropped;
    },
  });
  const tokenRequests = new Counter({
    name: 'probe_token_requests_total',
    help: 'Access token requests to the token server, by result.',
    labelNames: ['result'],
    registers,
  });
  const histograms = createHistograms(registry, options.latencyBucketsSeconds);
  registerGauges(registry, targets);

  return {
    registry,
    follow(identity, streams) {
      const target: TargetSeries = { identity, gauges: undefined, shares: [], restarts: 0 };
      const { observe, remove } = histograms(identity.id, identity.appId);
      targets.set(identity.id, target);
      const subscription = streams.effects$.subscribe(observe);
      subscription.add(
        streams.state$.subscribe((next) => {
          target.state = next;
        }),
      );
      subscription.add(
        streams.gauges$.subscribe((gauges) => {
          target.gauges = gauges;
        }),
      );
      subscription.add(
        streams.shares$.subscribe((shares) => {
          target.shares = shares;
        }),
      );
      subscription.add(() => {
        if (targets.get(identity.id) === target) targets.delete(identity.id);
        remove();
      });
      return subscription;
    },
    tokenRequest: (result) => tokenRequests.labels(result).inc(),
    pipelineRestarted: (targetId) => {
      const target = targets.get(targetId);
      if (target) target.restarts += 1;
    },
  };
}

/** What the sink keeps of one target: the latest values its series read at scrape. */
interface TargetSeries extends LatestValues {
  state?: TrackerState;
  restarts: number;
}

/** One value per listener and key (a cause label, or '' for none), labelled for a counter. */
function* listenerCounts(
  state: TrackerState | undefined,
  counts: (view: ListenerView) => ReadonlyMap<string, number>,
): Iterable<readonly [Record<string, string>, number]> {
  if (!state) return;
  for (const [id, view] of state.listeners) {
    for (const [cause, value] of counts(view)) {
      const labels: Record<string, string> = { listener: String(id) };
      if (cause !== '') labels.cause = cause;
      yield [labels, value];
    }
  }
}
