import { randomBytes } from 'node:crypto';
import { connectable, defer, NEVER, Observable, timer } from 'rxjs';
import { retry } from 'rxjs/operators';
import { appIdFor } from '../../streams/appId';
import { derivedStreams } from '../../streams/derivedStreams';
import { delayToSlotMs } from '../../streams/phase';
import { probe$ } from '../../streams/probe';
import type { TrackerState } from '../../streams/trackerState';
import { monotonicScheduler } from '../clock';
import type { Config } from '../config/loadConfig';
import { secretValues } from '../config/secrets';
import { logEffect } from '../logs/effectLog';
import { createPoster } from '../platform/poster';
import { createConnect } from '../platform/subscription';
import { VERSION } from '../version';
import { type SharedServices, TICK_MS } from './sharedServices';

/** A target as the process runs it: its id (the `target` label), labels and settings. */
export interface TargetSpec {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly config: Config;
}

/** A running target, for the status page and readiness. */
export interface RunningTarget extends TargetSpec {
  readonly appId: string;
  readonly startedAt: number;
  /** The tracker state after its latest step. */
  state: TrackerState | undefined;
}

/** A random fraction from the system's generator: app ids must differ between processes. */
const randomFraction = () => randomBytes(2).readUInt16BE(0) / 0x10000;

/**
 * One target's pipeline and sinks: subscribing starts it (schedule, poster, listeners, fold,
 * its metric series and log lines). Emits the running target once, which then follows its
 * tracker state. `drain$`'s first value drains it (see `streams/drain.ts`): it completes once
 * its events settled or the drain deadline passed, and its series go with its last log line,
 * which carries its books. Unsubscribing stops it at once. Nothing here knows of other
 * targets: their peers cannot touch this one's books.
 */
export function runTarget(
  spec: TargetSpec,
  services: SharedServices,
  drain$: Observable<unknown> = NEVER,
): Observable<RunningTarget> {
  return defer(() => {
    const { metrics, wallClock } = services;
    const { id, config } = spec;
    const { dataset, posting, subscription, tracker } = config;
    const appId = appIdFor(id, randomFraction);
    const logger = services.loggerFor(id, secretValues(config));
    const authMode = config.auth.clientId ? 'bearer' : 'webhook';
    const http = services.httpMetrics(id, posting.collectorUrl);
    const tokens =
      authMode === 'bearer'
        ? services.tokens(config.auth, (notAfter) => http.certificate('token', notAfter))
        : undefined;
    const post = createPoster({
      ...posting,
      dataset,
      appId,
      tokens: tokens?.source,
      agent: services.agentFor(posting.collectorUrl),
      now: () => monotonicScheduler.now(), // the wire time on the fold's own clock
      onPhases: http.observePhases,
      onCertificate: (notAfter) => http.certificate('collector', notAfter),
      onRetry(attempt, reason) {
        logger.debug('retrying post', { retry: attempt, reason });
      },
    });
    const connect = createConnect({
      ...subscription,
      dataset,
      onCertificate: (notAfter) => http.certificate('subscription', notAfter),
    });
    logger.info('target starting', {
      appId,
      dataset: dataset.id,
      version: dataset.version,
      authMode,
      collector: posting.collectorUrl,
      subscription: subscription.url,
      listeners: subscription.listeners,
      intervalSeconds: posting.intervalMs / 1000,
    });
    const running: RunningTarget = {
      ...spec,
      appId,
      startedAt: monotonicScheduler.now(),
      state: undefined,
    };

    // Every actor handles its own failures; this outer retry is the last line, for a bug that
    // still escapes. It restarts the pipeline (tracked events are lost), not the process.
    const options = {
      tracker: { ...tracker, appId },
      posting,
      subscription,
      tickMs: TICK_MS,
      drainMs: config.run.drainMs,
    };
    const dependencies = {
      post,
      connect,
      slotDelayMs: () => delayToSlotMs(id, posting.intervalMs, wallClock()),
      tick$: services.tick$,
      drain$,
    };
    const step$ = connectable(
      defer(() => probe$(options, dependencies, monotonicScheduler)).pipe(
        retry({
          delay: (error: unknown) => {
            metrics.pipelineRestarted(id);
            logger.error('pipeline failed, restarting in 1 s', { error: String(error) });
            return timer(1_000);
          },
        }),
      ),
    );
    const streams = derivedStreams(step$);
    const sinks = metrics.follow(
      {
        id,
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
        running.state = state;
      }),
    );
    sinks.add(() => {
      tokens?.release();
      http.remove();
      logger.info('target stopped', finalBooks(running.state));
    });
    return new Observable<RunningTarget>((subscriber) => {
      subscriber.next(running);
      // Not one of the sinks: they close themselves when the pipeline ends, before this is told.
      const ended = step$.subscribe({ complete: () => subscriber.complete() });
      const connection = step$.connect();
      return () => {
        ended.unsubscribe();
        connection.unsubscribe();
        sinks.unsubscribe();
      };
    });
  });
}

/** A stopped target's books, for its last log line: every event posted is accounted for. */
export type FinalBooks = ReturnType<typeof finalBooks>;

export function finalBooks(state: TrackerState | undefined) {
  const totals = state?.totals;
  return {
    posted: totals?.posted ?? 0,
    received: totals?.received ?? 0,
    lost: totals?.lost ?? 0,
    drained: totals?.drained ?? 0,
    inFlight: state?.eventsInFlight ?? 0,
    postErrors: totals?.postErrors ?? 0,
  };
}
