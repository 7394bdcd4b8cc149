import { Gauge, Histogram, type Registry } from 'prom-client';
import type { CertificateReport, TlsEndpoint } from '../platform/certExpiry';
import { type PhaseSeconds, POST_PHASES, type PostPhase } from '../platform/postAttempt';

/** One target's HTTP series. */
export interface HttpMetrics {
  /**
   * One attempt's phases (`postAttempt.ts`) into its collector's series; only the phases it
   * went through are observed.
   */
  observePhases(phases: PhaseSeconds): void;
  readonly certificate: CertificateReport;
  /** Removes the target's series, and its collector's once no target posts there (it stopped). */
  remove(): void;
}

type PhaseChildren = ReadonlyArray<readonly [PostPhase, Histogram.Internal<'collector' | 'phase'>]>;

const ENDPOINTS: readonly TlsEndpoint[] = ['collector', 'subscription', 'token'];

/**
 * The HTTP side's series, registered in the probe's registry: where a post's time goes, phase
 * by phase (as blackbox_exporter's `probe_http_duration_seconds{phase}` shows, but a histogram,
 * one observation per attempt), labelled by the collector's origin — the phases are the path
 * to the collector, which every target posting there shares with one keep-alive agent, so they
 * cost 80 series a collector, not 80 a target (a slow target shows in its own
 * `probe_event_post_duration_seconds`) —, and when the certificates each endpoint presented to
 * a target expire, labelled `target`. An endpoint reached over plain http or ws has no
 * certificate series.
 */
export function registerHttpMetrics(registry: Registry): {
  target(id: string, collectorUrl: string): HttpMetrics;
} {
  const registers = [registry];
  const phaseSeconds = new Histogram({
    name: 'probe_event_post_phase_seconds',
    help: 'Seconds each phase of a post attempt took: resolve, connect, tls (new connections only), wait (request written to first answer byte), transfer (first byte to end of body).',
    labelNames: ['collector', 'phase'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const expiry = new Gauge({
    name: 'probe_tls_cert_expiry_timestamp_seconds',
    help: 'Earliest notAfter (unix seconds) of the certificate chain each endpoint presented on its latest TLS connection.',
    labelNames: ['target', 'endpoint'],
    registers,
  });
  const collectors = new Map<string, { phases: PhaseChildren; targets: number }>();
  const phasesOf = (collector: string): PhaseChildren => {
    let shared = collectors.get(collector);
    if (shared === undefined) {
      // Labelled children looked up once (`labels()` hashes its arguments on every call), and
      // every phase exported from the start, so rate() sees its first observation too.
      const phases = POST_PHASES.map((phase) => {
        phaseSeconds.zero({ collector, phase });
        return [phase, phaseSeconds.labels({ collector, phase })] as const;
      });
      shared = { phases, targets: 0 };
      collectors.set(collector, shared);
    }
    shared.targets += 1;
    return shared.phases;
  };
  const release = (collector: string) => {
    const shared = collectors.get(collector);
    if (shared === undefined || --shared.targets > 0) return;
    collectors.delete(collector);
    for (const phase of POST_PHASES) phaseSeconds.remove({ collector, phase });
  };
  // A target's pipelines, counted: one that drains beside its successor (a change) must not
  // take the series the successor goes on with.
  const pipelines = new Map<string, number>();
  return {
    target(target, collectorUrl) {
      const collector = new URL(collectorUrl).origin;
      const phases = phasesOf(collector);
      pipelines.set(target, (pipelines.get(target) ?? 0) + 1);
      // A post still running when its target stops ends later: its report must not count, nor
      // bring the target's series back.
      let removed = false;
      return {
        observePhases(observed) {
          if (removed) return;
          for (const [phase, child] of phases) {
            const seconds = observed[phase];
            if (seconds !== undefined) child.observe(seconds);
          }
        },
        certificate: (endpoint, notAfterSeconds) => {
          if (!removed) expiry.labels({ target, endpoint }).set(notAfterSeconds);
        },
        remove() {
          if (removed) return;
          removed = true;
          release(collector);
          const left = (pipelines.get(target) ?? 1) - 1;
          if (left > 0) return void pipelines.set(target, left);
          pipelines.delete(target);
          for (const endpoint of ENDPOINTS) expiry.remove({ target, endpoint });
        },
      };
    },
  };
}
