import { randomBytes } from 'node:crypto';
import { defer, type Subscription, timer } from 'rxjs';
import { retry } from 'rxjs/operators';
import { type ProbeOptions, probe$ } from '../streams/probe';
import { readinessProblems, statusView } from '../streams/status';
import type { TrackerState } from '../streams/tracker';
import { clientCredentials } from './auth';
import { monotonicScheduler } from './clock';
import type { Config } from './config';
import { logEffects } from './effectLog';
import { eventTable } from './eventTable';
import { readinessReply, text } from './health';
import type { Logger } from './logger';
import { createMetrics, SHARE_WINDOWS } from './metrics';
import { createPoster } from './poster';
import { type HttpServer, type Reply, startHttpServer } from './server';
import { statusPage } from './statusPage';
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

/** Wires the stream core to its adapters and sinks, and starts it. */
export async function startProbe(config: Config, logger: Logger): Promise<RunningProbe> {
  const appId = randomBytes(4).toString('hex');
  const startedAt = monotonicScheduler.now();
  const authMode = config.clientId ? 'bearer' : 'webhook';
  let latest: TrackerState | undefined;
  const metrics = createMetrics({
    appId,
    datasetId: config.datasetId,
    datasetVersion: config.datasetVersion,
    version: VERSION,
    authMode,
    listeners: config.listeners,
    latencyBucketsSeconds: config.latencyBucketsSeconds,
    state: () => latest,
  });

  const tokens =
    config.clientId && config.clientSecret
      ? clientCredentials({
          keycloakUrl: config.keycloakUrl,
          realm: config.keycloakRealm,
          clientId: config.clientId,
          clientSecret: config.clientSecret,
          timeoutMs: config.tokenTimeoutMs,
          onRequest(result, detail) {
            metrics.tokenRequest(result);
            if (result === 'ok') logger.debug('access token fetched', { detail });
            else logger.warn('access token request failed', { detail });
          },
        })
      : undefined;
  const post = createPoster({
    collectorUrl: config.collectorUrl,
    datasetId: config.datasetId,
    datasetVersion: config.datasetVersion,
    appId,
    tokens,
    webhookToken: config.webhookToken,
    retries: config.postRetries,
    attemptTimeoutMs: config.postTimeoutMs,
    retryMaxDelayMs: config.postRetryMaxDelayMs,
    onRetry(retry, reason) {
      metrics.postRetried();
      logger.debug('retrying post', { retry, reason });
    },
  });
  const connect = createConnect({
    url: config.websocketUrl,
    datasetId: config.datasetId,
    webhookToken: config.webhookToken,
    connectTimeoutMs: config.connectTimeoutMs,
    pingIntervalMs: config.pingIntervalMs,
  });

  const options: ProbeOptions = {
    appId,
    postIntervalMs: config.postIntervalMs,
    lostTimeoutMs: config.lostTimeoutMs,
    purgeTimeoutMs: config.purgeTimeoutMs,
    cleanIntervalMs: config.cleanIntervalMs,
    missingGraceMs: config.missingGraceMs,
    windowsMs: SHARE_WINDOWS.map((w) => w.ms),
    tickMs: TICK_MS,
    listeners: config.listeners,
    listenerStaggerMs: config.listenerStaggerMs,
    reconnectBackoff: { initialMs: config.reconnectMinMs, maxMs: config.reconnectMaxMs },
    maxPostsInFlight: config.maxPostsInFlight,
    maxConnectionMs: config.maxConnectionMs,
    maxWaitForListenerMs: config.connectTimeoutMs,
  };

  logger.info('probe starting', {
    appId,
    dataset: config.datasetId,
    version: config.datasetVersion,
    authMode,
    collector: config.collectorUrl,
    subscription: config.websocketUrl,
    listeners: config.listeners,
    intervalSeconds: config.postIntervalMs / 1000,
  });

  // Every actor handles its own failures; this outer retry is the last line, for a bug that
  // still escapes. It restarts the pipeline (tracked events are lost) rather than the process.
  const pipeline: Subscription = defer(() => probe$(options, { post, connect }, monotonicScheduler))
    .pipe(
      retry({
        delay: (error: unknown) => {
          metrics.pipelineRestarted();
          logger.error('pipeline failed, restarting in 1 s', { error: String(error) });
          return timer(1_000);
        },
      }),
    )
    .subscribe(({ state, effects }) => {
      latest = state;
      metrics.apply(effects);
      logEffects(logger, effects);
    });

  const page = statusPage(`dataplatform-probe · ${config.datasetId} v${config.datasetVersion}`);
  // Posting is OK (status page) and the probe ready (/readyz) while a post succeeded within
  // three intervals plus one post timeout.
  const postingWindowMs = 3 * config.postIntervalMs + config.postTimeoutMs;
  const statusOptions = { configuredListeners: config.listeners, postingWindowMs, startedAt };
  let server: HttpServer;
  try {
    server = await startHttpServer(config.metricsPort, config.metricsHost, {
      '/': () => metricsReply(metrics.registry),
      '/metrics': () => metricsReply(metrics.registry),
      '/healthz': () => text(200, 'ok\n'),
      '/readyz': () =>
        readinessReply(
          readinessProblems(latest, monotonicScheduler.now(), postingWindowMs, startedAt),
        ),
      '/status': () => ({ status: 200, type: 'text/html; charset=utf-8', body: page }),
      '/status.json': () => ({
        status: 200,
        type: 'application/json',
        body: latest
          ? JSON.stringify(statusView(latest, monotonicScheduler.now(), statusOptions))
          : '{}',
      }),
    });
  } catch (error) {
    pipeline.unsubscribe();
    throw error;
  }
  logger.info('metrics served', { port: server.port });

  const table = config.runLocal
    ? setInterval(
        () => latest && process.stdout.write(eventTable(latest, monotonicScheduler.now())),
        TABLE_EVERY_MS,
      )
    : undefined;

  return {
    appId,
    port: server.port,
    state: () => latest,
    async stop() {
      clearInterval(table);
      pipeline.unsubscribe();
      await server.close();
    },
  };
}

async function metricsReply(
  registry: ReturnType<typeof createMetrics>['registry'],
): Promise<Reply> {
  return { status: 200, type: registry.contentType, body: await registry.metrics() };
}
