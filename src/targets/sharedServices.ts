import type { Agent } from 'node:http';
import { interval, type Observable, share } from 'rxjs';
import { monotonicScheduler } from '../clock';
import type { Config } from '../config/loadConfig';
import type { Logger } from '../logs/logger';
import type { ProbeMetrics } from '../metrics/metrics';
import { type HttpMetrics, registerHttpMetrics } from '../metrics/metricsHttp';
import { clientCredentials, type TokenSource } from '../platform/auth';
import { keepAliveAgent } from '../platform/collectorClient';

/** What every target of the process shares, made once. */
export interface SharedServices {
  readonly metrics: ProbeMetrics;
  /** A target's HTTP series (its collector's phases, its certificates), in the one registry. */
  readonly httpMetrics: (targetId: string, collectorUrl: string) => HttpMetrics;
  /**
   * A logger whose every line names the target and masks every secret of the process (the
   * logger's secret book, which knows each target's), its own first among them.
   */
  readonly loggerFor: (targetId: string, secrets: readonly string[]) => Logger;
  /**
   * The token source of a target's client credentials: one per token server, realm and client,
   * however many targets use it. `certificate` hears of the token server's certificate; the
   * returned function stops that.
   */
  readonly tokens: (
    auth: Config['auth'],
    certificate: (notAfterSeconds: number) => void,
  ) => { readonly source: TokenSource; readonly release: () => void };
  /** Wall-clock milliseconds, read to place a target's posts in its slot. */
  readonly wallClock: () => number;
  /** The keep-alive agent of a collector's origin: one per origin, whatever the targets. */
  readonly agentFor: (collectorUrl: string) => Agent;
  /** Every target's clock tick, from one timer (a timer each would wake the process 100 times a second for 100 targets). */
  readonly tick$: Observable<unknown>;
}

/** How often every target's missing-share windows and objective cursor move when nothing else happens. */
export const TICK_MS = 1_000;

export interface SharedOptions {
  readonly metrics: ProbeMetrics;
  readonly logger: Logger;
}

export function createSharedServices({ metrics, logger }: SharedOptions): SharedServices {
  const http = registerHttpMetrics(metrics.registry);
  const agents = new Map<string, Agent>();
  const sources = new Map<string, { source: TokenSource; hearers: Set<(s: number) => void> }>();
  return {
    metrics,
    httpMetrics: (targetId, collectorUrl) => http.target(targetId, collectorUrl),
    loggerFor: (target, secrets) => logger.child({ target }, secrets),
    tokens(auth, certificate) {
      const { keycloakUrl, realm, clientId, clientSecret, tokenTimeoutMs } = auth;
      const key = JSON.stringify([keycloakUrl, realm, clientId, clientSecret, tokenTimeoutMs]);
      let shared = sources.get(key);
      if (shared === undefined) {
        const hearers = new Set<(s: number) => void>();
        const source = clientCredentials({
          ...auth,
          onCertificate: (notAfter) => {
            for (const hear of hearers) hear(notAfter);
          },
          onRequest(result, detail) {
            metrics.tokenRequest(result);
            if (result === 'ok') logger.debug('access token fetched', { clientId, detail });
            else logger.warn('access token request failed', { clientId, detail });
          },
        });
        shared = { source, hearers };
        sources.set(key, shared);
      }
      const { hearers } = shared;
      hearers.add(certificate);
      return { source: shared.source, release: () => hearers.delete(certificate) };
    },
    wallClock: () => Date.now(),
    tick$: interval(TICK_MS, monotonicScheduler).pipe(share()),
    agentFor(collectorUrl) {
      const origin = new URL(collectorUrl).origin;
      let agent = agents.get(origin);
      if (agent === undefined) {
        agent = keepAliveAgent(collectorUrl);
        agents.set(origin, agent);
      }
      return agent;
    },
  };
}
