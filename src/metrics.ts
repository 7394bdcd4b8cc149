import { Counter, type OpenMetricsContentType, Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import type { ProbeStreams } from '../streams/derivedStreams';
import { type Effect, MALFORMED_REASONS } from '../streams/messages';
import { causeLabel } from './causeLabel';
import { type LatestValues, type ProbeIdentity, registerGauges } from './metricGauges';
import { createHistograms } from './metricHistograms';
import { droppedOutput } from './stdout';

export interface MetricsOptions extends ProbeIdentity {
  readonly latencyBucketsSeconds: readonly number[];
}

export interface ProbeMetrics {
  readonly registry: Registry;
  /** Follows the core's streams: counters from the effects, gauges from the latest values. */
  subscribeTo(streams: ProbeStreams): Subscription;
  postRetried(): void;
  tokenRequest(result: 'ok' | 'error'): void;
  pipelineRestarted(): void;
}

/**
 * The metrics sink, in a registry of its own. Counters follow the core's effects; gauges show
 * the latest value of the core's derived streams, which move with the clock ticks too, so none
 * can freeze between events. prom-client adds no `_total` to counters, so the names carry it.
 */
export function createMetrics(options: MetricsOptions): ProbeMetrics {
  // OpenMetrics, so the latency histogram may carry exemplars; `exposition.ts` also speaks text.
  const registry: Registry = new Registry<OpenMetricsContentType>() as never;
  (registry as unknown as Registry<OpenMetricsContentType>).setContentType(
    Registry.OPENMETRICS_CONTENT_TYPE,
  );
  const registers = [registry];
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers });

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
  // Every reason exported at 0 from the start, so increase() sees the first bad frame too.
  for (const reason of MALFORMED_REASONS) malformed.labels(reason).inc(0);
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
  const withinObjective = counter(
    'probe_events_within_objective_total',
    'SLI: events received within the latency objective (good).',
  );
  const settled = counter(
    'probe_events_settled_total',
    'SLI: events settled good or bad (received, or lost); failed posts and events in flight are not.',
  );
  const observe = createHistograms(registry, options.appId, options.latencyBucketsSeconds);

  const latest: LatestValues = { gauges: undefined, shares: [] };
  registerGauges(registry, options, latest);

  const apply = (effect: Effect): void => {
    observe(effect);
    switch (effect.kind) {
      case 'posted':
        posted.inc();
        return;
      case 'post-error':
        postErrors.inc();
        return;
      case 'received':
        received.inc();
        settled.inc();
        if (effect.withinObjective) withinObjective.inc();
        if (effect.outOfOrder) outOfOrder.inc();
        return;
      case 'late':
        late.inc();
        if (effect.outOfOrder) outOfOrder.inc();
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
        settled.inc(effect.seqnos.length);
        return;
      case 'listener':
        if (effect.change.rotated) rotations.labels(String(effect.change.listenerId)).inc();
        if (effect.change.disconnect) {
          disconnects
            .labels(String(effect.change.listenerId), causeLabel(effect.change.disconnect))
            .inc();
        }
        return;
      case 'internal-error':
        internalErrors.inc();
        return;
    }
  };

  return {
    registry,
    subscribeTo(streams) {
      const subscription = streams.effects$.subscribe(apply);
      subscription.add(
        streams.gauges$.subscribe((gauges) => {
          latest.gauges = gauges;
        }),
      );
      subscription.add(
        streams.shares$.subscribe((shares) => {
          latest.shares = shares;
        }),
      );
      return subscription;
    },
    postRetried: () => postRetries.inc(),
    tokenRequest: (result) => tokenRequests.labels(result).inc(),
    pipelineRestarted: () => internalErrors.inc(),
  };
}
