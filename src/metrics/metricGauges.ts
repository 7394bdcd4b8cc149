import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import type { Gauges } from '../../streams/derivedStreams';
import type { MissingShare } from '../../streams/shareWindows';
import { SHARE_WINDOWS } from '../../streams/shareWindows';
import { SeriesCache } from './seriesCache';

/** The gauges read from the core's `Gauges`: name, help, value. */
const FROM_GAUGES: ReadonlyArray<readonly [string, string, (g: Gauges) => number]> = [
  [
    'probe_event_latency',
    'Seconds from post to receipt of the latest received event.',
    (g) => (g.latestLatencyMs ?? 0) / 1000,
  ],
  [
    'probe_events_in_flight',
    'Posted events neither received nor lost yet (posted = received + lost + in flight).',
    (g) => g.inFlight,
  ],
  [
    'probe_posts_in_progress',
    'Posts running: started and not yet answered.',
    (g) => g.postsRunning,
  ],
  ['probe_events_tracked', 'Events held in memory (until the purge timeout).', (g) => g.tracked],
  [
    'probe_event_listeners_connected_count',
    'Subscription connections open now.',
    (g) => g.listenersConnected,
  ],
];

/** What one target is: the constant series say it. */
export interface TargetIdentity {
  /** The `target` label of every series of this target. */
  readonly id: string;
  readonly appId: string;
  readonly dataset: { readonly id: string; readonly version: string };
  readonly version: string;
  readonly authMode: 'bearer' | 'webhook';
  readonly listeners: number;
  /** The SLI's latency objective, exported so rules compare against the probe's own. */
  readonly latencyObjectiveSeconds: number;
}

/** The latest values of one target's derived streams, read when Prometheus scrapes. */
export interface LatestValues {
  readonly identity: TargetIdentity;
  gauges: Gauges | undefined;
  shares: readonly MissingShare[];
}

/**
 * The point-in-time series, one per target: each reads the latest derived value of every
 * target at scrape time (a target that stopped is simply gone), plus Node's process metrics.
 */
export function registerGauges(
  registry: Registry,
  targets: ReadonlyMap<string, LatestValues>,
): void {
  const registers = [registry];
  const gauge = (
    name: string,
    help: string,
    read: (target: LatestValues) => number,
    labelNames: string[] = [],
    labels: (target: LatestValues) => Record<string, string> = () => ({}),
  ) => {
    const metric: Gauge = new Gauge({
      name,
      help,
      labelNames: ['target', ...labelNames],
      registers,
      collect: () => exported.sync(targets, (target) => [[labels(target), read(target)]]),
    });
    const exported = new SeriesCache<LatestValues>({
      write: (labels, value) => metric.set(labels, value),
      remove: (labels) => metric.remove(labels),
    });
  };

  for (const [name, help, read] of FROM_GAUGES) {
    gauge(name, help, (target) => (target.gauges ? read(target.gauges) : 0));
  }
  for (const window of SHARE_WINDOWS) {
    gauge(
      `probe_events_missing_${window.label}_share`,
      `Percent (0-100) of events posted in the last ${window.lengthMs / 60_000} minutes (before the grace) not received; 0 when there were none.`,
      (target) => target.shares.find((share) => share.label === window.label)?.percent ?? 0,
    );
  }
  gauge(
    'probe_latency_objective_seconds',
    'The latency objective of the SLI: an event received within it is good.',
    (target) => target.identity.latencyObjectiveSeconds,
  );
  gauge(
    'probe_event_listeners_count',
    'Subscription connections configured.',
    (target) => target.identity.listeners,
  );
  gauge(
    'probe_info',
    'Constant 1, labelled with what this probe is.',
    () => 1,
    ['app_id', 'dataset', 'version', 'probe_version', 'auth_mode'],
    ({ identity }) => ({
      app_id: identity.appId,
      dataset: identity.dataset.id,
      version: identity.dataset.version,
      probe_version: identity.version,
      auth_mode: identity.authMode,
    }),
  );
  // The event-loop delay sampled once a second, not every 10 ms: the default alone costs more CPU
  // than the probe's own work at its deployed rate. Schedule lag is measured per post anyway.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1_000 });
  // prom-client names these gauges `…_total`, which promtool's lint rejects; the process
  // metrics cover what they tell.
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }
}
