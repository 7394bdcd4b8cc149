import { randomBytes } from 'node:crypto';
import { connectable, defer, timer } from 'rxjs';
import { retry } from 'rxjs/operators';
import { derivedStreams } from '../streams/derivedStreams';
import { probe$ } from '../streams/probe';
import { postingWindowMs, readinessProblems } from '../streams/readiness';
import type { TrackerState } from '../streams/trackerState';
import { clientCredentials, type TokenSource } from './auth';
import { monotonicScheduler } from './clock';
import type { Config } from './config';
import { logEffect } from './effectLog';
import { eventTable } from './eventTable';
import type { Logger } from './logger';
import { createMetrics, type ProbeMetrics } from './metrics';
import { type HttpMetrics, registerHttpMetrics } from './metricsHttp';
import { createPoster } from './poster';
import { redactor } from './redact';
import { probeRoutes } from './routes';
import { secretValues } from './secrets';
import { startHttpServer } from './server';
import { statusPage } from './statusPage';
import { statusView } from './statusView';
import { writeStdout } from './stdout';
import { createConnect } from './subscription';
import { VERSION } from './version';

export interface RunningProbe {
  readonly appId: string;
  readonly port: number;
  state(): TrackerState | undefined;
  /** Stops posting, closes the listeners and the HTTP server. */
  stop(): Promise<void>;
}

const TICK_MS = 1_000;
const TABLE_EVERY_MS = 30_000;

/** The composition root: wires the stream core to its adapters and sinks, and starts it. */
export async function startProbe(config: Config, logger: Logger): Promise<RunningProbe> {
  const { dataset, posting, subscription, tracker, server, run } = config;
  const appId = randomBytes(4).toString('hex');
  // What a person or a scraper reads is masked like the logs: a server may echo a secret.
  const redact = redactor(secretValues(config));
  const now = () => monotonicScheduler.now();
  const startedAt = now();
  const authMode = config.auth.clientId ? 'bearer' : 'webhook';
  const metrics = createMetrics({ latencyBucketsSeconds: server.latencyBucketsSeconds });
  // The one target of the environment's variables is labelled with its dataset id.
  const targetId = dataset.id;
  const httpMetrics = registerHttpMetrics(metrics.registry).target(targetId);
  const post = createPoster({
    ...posting,
    dataset,
    appId,
    tokens: authMode === 'bearer' ? bearerTokens(config, metrics, httpMetrics, logger) : undefined,
    onPhases: httpMetrics.observePhases,
    onCertificate: (notAfter) => httpMetrics.certificate('collector', notAfter),
    onRetry(retry, reason) {
      logger.debug('retrying post', { retry, reason });
    },
  });
  const connect = createConnect({
    ...subscription,
    dataset,
    onCertificate: (notAfter) => httpMetrics.certificate('subscription', notAfter),
  });
  logger.info('probe starting', {
    appId,
    dataset: dataset.id,
    version: dataset.version,
    authMode,
    collector: posting.collectorUrl,
    subscription: subscription.url,
    listeners: subscription.listeners,
    intervalSeconds: posting.intervalMs / 1000,
  });

  // Every actor handles its own failures; this outer retry is the last line, for a bug that
  // still escapes. It restarts the pipeline (tracked events are lost) rather than the process.
  const options = { tracker: { ...tracker, appId }, posting, subscription, tickMs: TICK_MS };
  const step$ = connectable(
    defer(() => probe$(options, { post, connect }, monotonicScheduler)).pipe(
      retry({
        delay: (error: unknown) => {
          metrics.pipelineRestarted(targetId);
          logger.error('pipeline failed, restarting in 1 s', { error: String(error) });
          return timer(1_000);
        },
      }),
    ),
  );
  const streams = derivedStreams(step$);
  let latest: TrackerState | undefined;
  const sinks = metrics.follow(
    {
      id: targetId,
      appId,
      dataset,
      version: VERSION,
      authMode,
      listeners: subscription.listeners,
      latencyObjectiveSeconds: tracker.latencyObjectiveMs / 1000,
    },
    streams,
  );
  sinks.add(streams.effects$.subscribe((effect) => logEffect(logger, effect)));
  sinks.add(
    streams.state$.subscribe((state) => {
      latest = state;
    }),
  );
  sinks.add(() => httpMetrics.remove());
  sinks.add(step$.connect());

  const windowMs = postingWindowMs(posting.intervalMs, posting.timeoutMs);
  const statusOptions = {
    configuredListeners: subscription.listeners,
    postIntervalMs: posting.intervalMs,
    postingWindowMs: windowMs,
    startedAt,
  };
  const http = await startHttpServer(
    server.port,
    server.host,
    probeRoutes({
      registry: metrics.registry,
      page: statusPage(`dataplatform-probe · ${dataset.id} v${dataset.version}`),
      statusJson: () =>
        latest ? redact(JSON.stringify(statusView(latest, now(), statusOptions))) : '{}',
      readinessProblems: () => readinessProblems(latest, now(), windowMs, startedAt),
    }),
  ).catch((error: unknown) => {
    sinks.unsubscribe();
    throw error;
  });
  logger.info('metrics served', { port: http.port });

  const table = run.local
    ? setInterval(() => latest && writeStdout(redact(eventTable(latest, now()))), TABLE_EVERY_MS)
    : undefined;

  return {
    appId,
    port: http.port,
    state: () => latest,
    async stop() {
      clearInterval(table);
      sinks.unsubscribe();
      await http.close();
    },
  };
}

/** Bearer mode's token source, with every token request counted and logged (never the token). */
function bearerTokens(
  config: Config,
  metrics: ProbeMetrics,
  httpMetrics: HttpMetrics,
  logger: Logger,
): TokenSource {
  return clientCredentials({
    ...config.auth,
    onCertificate: (notAfter) => httpMetrics.certificate('token', notAfter),
    onRequest(result, detail) {
      metrics.tokenRequest(result);
      if (result === 'ok') logger.debug('access token fetched', { detail });
      else logger.warn('access token request failed', { detail });
    },
  });
}
