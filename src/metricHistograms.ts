import { Histogram, type Registry } from 'prom-client';
import type { Effect } from '../streams/messages';

/**
 * The distributions: latency (with an exemplar per bucket naming the event, so a panel can
 * jump from a slow bucket to the event in the logs), post duration, and how late each post
 * left against its schedule — the probe's own lag, told apart from the pipeline's.
 */
export function createHistograms(
  registry: Registry,
  appId: string,
  latencyBucketsSeconds: readonly number[],
): (effect: Effect) => void {
  const registers = [registry];
  const latency = new Histogram({
    name: 'probe_event_latency_seconds',
    help: 'Seconds from the send time (the first attempt handed to the socket) to the first receipt, every received event (late ones too).',
    buckets: [...latencyBucketsSeconds],
    registers,
    enableExemplars: true,
  });
  const postDuration = new Histogram({
    name: 'probe_event_post_duration_seconds',
    help: 'Seconds one post took, retries included, by result.',
    labelNames: ['result'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const scheduleLag = new Histogram({
    name: 'probe_post_schedule_lag_seconds',
    help: 'Seconds each post left after its due time on the schedule: the probe process lagging, not the pipeline.',
    buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 1, 5, 30],
    registers,
  });
  // Labelled children looked up once: `labels()` hashes its arguments on every call.
  const postOk = postDuration.labels('ok');
  const postError = postDuration.labels('error');

  return (effect) => {
    switch (effect.kind) {
      case 'post-started':
        scheduleLag.observe(effect.lagMs / 1000);
        return;
      case 'post-done':
        (effect.ok ? postOk : postError).observe(effect.durationMs / 1000);
        return;
      case 'received':
      case 'late':
        latency.observe({
          value: effect.latencyMs / 1000,
          exemplarLabels: { seqno: String(effect.seqno), app_id: appId },
        });
        return;
    }
  };
}
