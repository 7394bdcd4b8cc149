import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import {
  connectedListeners,
  type Effect,
  inFlight,
  type TrackerState,
  trackedCount,
} from '../streams/tracker';
import { missingShare } from '../streams/windows';

export interface MetricsOptions {
  readonly appId: string;
  readonly datasetId: string;
  readonly datasetVersion: string;
  readonly version: string;
  readonly authMode: 'bearer' | 'webhook';
  readonly listeners: number;
  readonly latencyBucketsSeconds: readonly number[];
  /** The tracker's latest state, read at scrape time for the point-in-time gauges. */
  readonly state: () => TrackerState | undefined;
}

export interface ProbeMetrics {
  readonly registry: Registry;
  /** Counts what one tracker step did. */
  apply(effects: readonly Effect[]): void;
  postRetried(): void;
  tokenRequest(result: 'ok' | 'error'): void;
  pipelineRestarted(): void;
}

/** The window lengths behind the fixed share series, in the tracker's order. */
export const SHARE_WINDOWS = [
  { name: 'probe_events_missing_1m_share', ms: 60_000, label: '1 minute' },
  { name: 'probe_events_missing_3m_share', ms: 180_000, label: '3 minutes' },
  { name: 'probe_events_missing_10m_share', ms: 600_000, label: '10 minutes' },
] as const;

/**
 * The metrics sink, in a registry of its own. Counters follow the tracker's effects; gauges
 * are read from the tracker's state when scraped, so none can freeze between events. prom-client
 * adds no `_total` to counters, so the names carry it.
 */
export function createMetrics(options: MetricsOptions): ProbeMetrics {
  const registry = new Registry();
  const registers = [registry];
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers });
  const gauge = (name: string, help: string, read: (state: TrackerState) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const state = options.state();
        this.set(state ? read(state) : 0);
      },
    });

  const posted = counter('probe_events_posted_total', 'Events whose post succeeded.');
  const received = counter(
    'probe_events_received_total',
    'Events of this probe received (first receipt of each, before the lost timeout).',
  );
  const lost = counter(
    'probe_events_lost_total',
    'Posted events not received within the lost timeout.',
  );
  const postErrors = counter(
    'probe_event_post_errors_total',
    'Posts that failed after all retries.',
  );
  const duplicates = counter(
    'probe_events_duplicates_total',
    'Events received again on the same connection.',
  );
  const wrongAppId = counter(
    'probe_wrong_appid_total',
    "Events received that carry another probe's app_id.",
  );
  const late = counter(
    'probe_events_late_total',
    'Events received after they had been counted lost.',
  );
  const outOfOrder = counter(
    'probe_events_out_of_order_total',
    'Events received after an event with a higher seqno.',
  );
  const unknownSeqno = counter(
    'probe_unknown_seqno_total',
    "Receipts with this probe's app_id but a seqno not tracked (never sent, or already purged).",
  );
  const malformed = counter(
    'probe_malformed_messages_total',
    'Subscription frames that are not probe events, by reason.',
    ['reason'],
  );
  const postRetries = counter('probe_event_post_retries_total', 'Post attempts that were retries.');
  const disconnects = counter(
    'probe_listener_reconnects_total',
    'Subscription connections that ended and are being reopened, by listener and cause.',
    ['listener', 'cause'],
  );
  const rotations = counter(
    'probe_listener_rotations_total',
    'Subscription connections replaced make-before-break before the gateway cuts them.',
    ['listener'],
  );
  const tokenRequests = counter(
    'probe_token_requests_total',
    'Access token requests to the token server, by result.',
    ['result'],
  );
  const internalErrors = counter(
    'probe_internal_errors_total',
    'Bugs caught and survived: a tracker step or the pipeline failed.',
  );
  const latencyHistogram = new Histogram({
    name: 'probe_event_latency_seconds',
    help: 'Seconds from just before the post to the first receipt, every received event (late ones too).',
    buckets: [...options.latencyBucketsSeconds],
    registers,
  });
  const postDuration = new Histogram({
    name: 'probe_event_post_duration_seconds',
    help: 'Seconds one post took, retries included, by result.',
    labelNames: ['result'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });

  gauge(
    'probe_event_latency',
    'Seconds from post to receipt of the latest received event.',
    (s) => (s.latestLatencyMs ?? 0) / 1000,
  );
  for (const [index, window] of SHARE_WINDOWS.entries()) {
    gauge(
      window.name,
      `Percent (0-100) of events posted in the last ${window.label} (before the grace) not received; 0 when there were none.`,
      (s) => missingShare(s.windows.windows[index]),
    );
  }
  gauge(
    'probe_events_in_flight',
    'Posted events neither received nor lost yet (posted = received + lost + in flight).',
    inFlight,
  );
  gauge('probe_posts_in_progress', 'Posts sent and not yet answered.', (s) => s.postsInProgress);
  gauge('probe_events_tracked', 'Events held in memory (until the purge timeout).', trackedCount);
  gauge(
    'probe_event_listeners_connected_count',
    'Subscription connections open now.',
    connectedListeners,
  );
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
      options.datasetId,
      options.datasetVersion,
      options.version,
      options.authMode,
    )
    .set(1);
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges `…_total`, which promtool's lint rejects; the process
  // metrics cover what they tell.
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }

  // Labelled children looked up once: `labels()` hashes its arguments on every call.
  const postDurationOk = postDuration.labels('ok');
  const postDurationError = postDuration.labels('error');

  const apply = (effect: Effect): void => {
    switch (effect.type) {
      case 'post-done':
        (effect.ok ? postDurationOk : postDurationError).observe(effect.durationMs / 1000);
        return;
      case 'posted':
        posted.inc();
        return;
      case 'post-error':
        postErrors.inc();
        return;
      case 'received':
        received.inc();
        latencyHistogram.observe(effect.latencyMs / 1000);
        if (effect.outOfOrder) outOfOrder.inc();
        return;
      case 'late':
        late.inc();
        latencyHistogram.observe(effect.latencyMs / 1000);
        return;
      case 'duplicate':
        duplicates.inc();
        return;
      case 'wrong-app-id':
        wrongAppId.inc();
        return;
      case 'unknown-seqno':
        unknownSeqno.inc();
        return;
      case 'malformed':
        malformed.labels(effect.reason).inc();
        return;
      case 'lost':
        lost.inc(effect.seqnos.length);
        return;
      case 'listener':
        if (effect.change.status === 'connected' && effect.change.reason === 'rotated') {
          rotations.labels(String(effect.change.listenerId)).inc();
        }
        if (effect.change.status === 'disconnected') {
          disconnects.labels(String(effect.change.listenerId), causeOf(effect.change.reason)).inc();
        }
        return;
      case 'internal-error':
        internalErrors.inc();
        return;
      case 'purged':
        return;
    }
  };

  return {
    registry,
    apply(effects) {
      for (const effect of effects) apply(effect);
    },
    postRetried: () => postRetries.inc(),
    tokenRequest: (result) => tokenRequests.labels(result).inc(),
    pipelineRestarted: () => internalErrors.inc(),
  };
}

/** A small, fixed set of causes, so the label cannot grow with whatever a server says. */
export function causeOf(reason = ''): string {
  const status = /Unexpected server response: (\d{3})/.exec(reason);
  if (status) return `refused_${status[1]}`;
  if (/code 1000\b/.test(reason)) return 'closed_normal';
  if (/code 1001\b/.test(reason)) return 'closed_going_away';
  if (/code 1009\b|Max payload size exceeded/.test(reason)) return 'frame_too_large';
  if (/code 1006\b/.test(reason)) return 'dropped';
  if (/code \d+/.test(reason)) return 'closed_other';
  if (/timed out|timeout/i.test(reason)) return 'timeout';
  if (/ENOTFOUND|EAI_AGAIN/.test(reason)) return 'dns';
  if (/ECONNREFUSED/.test(reason)) return 'connection_refused';
  return 'other';
}
