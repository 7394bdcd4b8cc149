import { Gauge, Histogram, type Registry } from 'prom-client';
import type { CertificateReport, TlsEndpoint } from '../platform/certExpiry';
import { type PhaseSeconds, POST_PHASES } from '../platform/postAttempt';

/** One target's HTTP series. */
export interface HttpMetrics {
  /** One attempt's phases (`postAttempt.ts`); only the phases it went through are observed. */
  observePhases(phases: PhaseSeconds): void;
  readonly certificate: CertificateReport;
  /** Removes the target's series (it stopped). */
  remove(): void;
}

const ENDPOINTS: readonly TlsEndpoint[] = ['collector', 'subscription', 'token'];

/**
 * The HTTP side's series, registered in the probe's registry, labelled `target`: where a post's
 * time goes, phase by phase (as blackbox_exporter's `probe_http_duration_seconds{phase}`
 * shows, but a histogram, one observation per attempt), and when the certificates each
 * endpoint presented expire. An endpoint reached over plain http or ws has no certificate
 * series.
 */
export function registerHttpMetrics(registry: Registry): { target(id: string): HttpMetrics } {
  const registers = [registry];
  const phaseSeconds = new Histogram({
    name: 'probe_event_post_phase_seconds',
    help: 'Seconds each phase of a post attempt took: resolve, connect, tls (new connections only), wait (request written to first answer byte), transfer (first byte to end of body).',
    labelNames: ['target', 'phase'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const expiry = new Gauge({
    name: 'probe_tls_cert_expiry_timestamp_seconds',
    help: 'Earliest notAfter (unix seconds) of the certificate chain each endpoint presented on its latest TLS connection.',
    labelNames: ['target', 'endpoint'],
    registers,
  });
  return {
    target(target) {
      // Labelled children looked up once (`labels()` hashes its arguments on every call), and
      // every phase exported from the start, so rate() sees its first observation too.
      const phases = POST_PHASES.map((phase) => {
        phaseSeconds.zero({ target, phase });
        return [phase, phaseSeconds.labels({ target, phase })] as const;
      });
      // A post still running when its target stops ends later: its report must not bring the
      // target's series back.
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
          removed = true;
          for (const phase of POST_PHASES) phaseSeconds.remove({ target, phase });
          for (const endpoint of ENDPOINTS) expiry.remove({ target, endpoint });
        },
      };
    },
  };
}
