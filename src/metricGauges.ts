import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import type { Gauges } from '../streams/derivedStreams';
import type { MissingShare } from '../streams/shareWindows';
import { SHARE_WINDOWS } from '../streams/shareWindows';

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

/** What this probe is: the constant series say it. */
export interface ProbeIdentity {
  readonly appId: string;
  readonly dataset: { readonly id: string; readonly version: string };
  readonly version: string;
  readonly authMode: 'bearer' | 'webhook';
  readonly listeners: number;
  /** The SLI's latency objective, exported so rules compare against the probe's own. */
  readonly latencyObjectiveSeconds: number;
}

/** The latest values of the core's derived streams, read when Prometheus scrapes. */
export interface LatestValues {
  gauges: Gauges | undefined;
  shares: readonly MissingShare[];
}

/**
 * The point-in-time series: each gauge reads the latest derived value at scrape time, plus
 * the constant ones (listeners configured, info) and Node's process metrics.
 */
export function registerGauges(
  registry: Registry,
  options: ProbeIdentity,
  latest: LatestValues,
): void {
  const registers = [registry];
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  const fromGauges = (read: (g: Gauges) => number) => () =>
    latest.gauges ? read(latest.gauges) : 0;

  for (const [name, help, read] of FROM_GAUGES) gauge(name, help, fromGauges(read));
  for (const window of SHARE_WINDOWS) {
    gauge(
      `probe_events_missing_${window.label}_share`,
      `Percent (0-100) of events posted in the last ${window.lengthMs / 60_000} minutes (before the grace) not received; 0 when there were none.`,
      () => latest.shares.find((share) => share.label === window.label)?.percent ?? 0,
    );
  }
  new Gauge({
    name: 'probe_latency_objective_seconds',
    help: 'The latency objective of the SLI: an event received within it is good.',
    registers,
  }).set(options.latencyObjectiveSeconds);
  new Gauge({
    name: 'probe_event_listeners_count',
    help: 'Subscription connections configured.',
    registers,
  }).set(options.listeners);
  new Gauge({
    name: 'probe_info',
    help: 'Constant 1, labelled with what this probe is.',
    labelNames: ['app_id', 'dataset', 'version', 'probe_version', 'auth_mode'],
    registers,
  })
    .labels(
      options.appId,
      options.dataset.id,
      options.dataset.version,
      options.version,
      options.authMode,
    )
    .set(1);
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
