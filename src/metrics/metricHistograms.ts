import { Histogram, type Registry } from 'prom-client';
import type { Effect } from '../../streams/effects';

/** Observes one target's effects into the distributions; `remove` drops its series. */
export interface TargetHistograms {
  readonly observe: (effect: Effect) => void;
  readonly remove: () => void;
}

/**
 * The distributions, one child per target: latency (with an exemplar per bucket naming the
 * event, so a panel can jump from a slow bucket to the event in the logs), post duration, and
 * how late each post left against its schedule — the probe's own lag, told apart from the
 * pipeline's.
 */
export function createHistograms(
  registry: Registry,
  latencyBucketsSeconds: readonly number[],
): (target: string, appId: string) => TargetHistograms {
  const registers = [registry];
  const latency = new Histogram<string>({
    name: 'probe_event_latency_seconds',
    help: 'Seconds from the send time (the first attempt handed to the socket) to the first receipt, every received event (late ones too).',
    labelNames: ['target'],
    buckets: [...latencyBucketsSeconds],
    registers,
    enableExemplars: true,
  });
  const postDuration = new Histogram({
    name: 'probe_event_post_duration_seconds',
    help: 'Seconds one post took, retries included, by result.',
    labelNames: ['target', 'result'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const scheduleLag = new Histogram({
    name: 'probe_post_schedule_lag_seconds',
    help: 'Seconds each post left after its due time on the schedule: the probe process lagging, not the pipeline.',
    labelNames: ['target'],
    buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 1, 5, 30],
    registers,
  });

  return (target, appId) => {
    // Labelled children looked up once: `labels()` hashes its arguments on every call.
    const postOk = postDuration.labels(target, 'ok');
    const postError = postDuration.labels(target, 'error');
    const lag = scheduleLag.labels(target);
    const labels = { target };
    latency.labels(target); // exported at zero from the start, like the others
    return {
      observe(effect) {
        switch (effect.kind) {
          case 'post-started':
            lag.observe(effect.lagMs / 1000);
            return;
          case 'post-done':
            (effect.ok ? postOk : postError).observe(effect.durationMs / 1000);
            return;
          case 'received':
          case 'late':
            latency.observe({
              labels,
              value: effect.latencyMs / 1000,
              exemplarLabels: { seqno: String(effect.seqno), app_id: appId },
            });
            return;
        }
      },
      remove() {
        latency.remove(labels);
        postDuration.remove({ target, result: 'ok' });
        postDuration.remove({ target, result: 'error' });
        scheduleLag.remove(labels);
      },
    };
  };
}
