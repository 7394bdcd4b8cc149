import { postingWindowMs, readinessProblems } from '../streams/readiness';
import type { TrackerState } from '../streams/trackerState';
import { monotonicScheduler } from './clock';
import type { Config } from './config/loadConfig';
import { eventTable } from './logs/eventTable';
import type { Logger } from './logs/logger';
import { writeStdout } from './logs/stdout';
import { createMetrics } from './metrics/metrics';
import { registerProcessMetrics } from './metrics/metricsProcess';
import { reloader } from './reload/reload';
import { reloadEndpoint } from './reload/reloadEndpoint';
import { readReloadToken } from './reload/reloadToken';
import type { ShardPlan } from './shards/ownership';
import { startShards } from './shards/shards';
import { type FinalBooks, finalBooks, type RunningTarget } from './targets/runTarget';
import { createSharedServices } from './targets/sharedServices';
import { type ReloadOutcome, startTargetSet, type TargetSource } from './targets/targetSet';
import { probeRoutes } from './web/routes';
import { startHttpServer } from './web/server';

export type { ReloadOutcome, TargetSource } from './targets/targetSet';

export interface RunningProbe {
  readonly port: number;
  /** The first target's app id (the one-target form's). */
  readonly appId: string;
  /** The first target's tracker state (the one-target form's). */
  state(): TrackerState | undefined;
  /** The targets running now, by id. */
  targets(): ReadonlyMap<string, RunningTarget>;
  /** Loads the targets again and applies them as a difference by id (see `reload/reload.ts`). */
  reload(cause?: string): Promise<ReloadOutcome>;
  /**
   * Drains every target (posting stops, listening goes on until their events settle or the
   * drain deadline), reporting not ready meanwhile; resolves with each target's final books.
   */
  drain(): Promise<Record<string, FinalBooks>>;
  /** Stops every target and the HTTP server, at once. */
  stop(): Promise<void>;
}

const TABLE_EVERY_MS = 30_000;

/**
 * The composition root: one HTTP server, one registry, one clock and the shared clients for
 * the whole process; one pipeline per target (`perTarget`), following the target set, which
 * a reload replaces. Without a source, the one target of `config` (labelled by its dataset id).
 */
export async function startProbe(
  config: Config,
  logger: Logger,
  source: TargetSource = { initial: [{ id: config.dataset.id, labels: {}, config }] },
): Promise<RunningProbe> {
  const { server, run } = config;
  const now = () => monotonicScheduler.now();
  const metrics = createMetrics({ latencyBucketsSeconds: server.latencyBucketsSeconds });
  const processMetrics = registerProcessMetrics(metrics.registry);
  const plan = source.plan ?? { kind: 'static', index: 0, count: 1 };
  const owns$ = startShards(plan, metrics.registry, logger);
  const services = createSharedServices({ metrics, logger });
  logger.info('probe starting', {
    targets: source.initial.length,
    shard: describePlan(plan),
  });
  const token = config.reload.tokenFile
    ? await readReloadToken(config.reload.tokenFile)
    : undefined;
  const set = startTargetSet(source, services, processMetrics, logger.secrets, owns$);
  const { running, redact } = set;
  const reload = reloader(source, set, processMetrics, logger);
  let draining = false;

  const first = (): RunningTarget | undefined => {
    const ids = [...running.keys()].sort();
    return ids.length > 0 ? running.get(ids[0]) : undefined;
  };
  const statusOf = (target: RunningTarget) => {
    const { posting, subscription } = target.config;
    return {
      configuredListeners: subscription.listeners,
      postIntervalMs: posting.intervalMs,
      postingWindowMs: postingWindowMs(posting.intervalMs, posting.timeoutMs),
      startedAt: target.startedAt,
    };
  };
  const http = await startHttpServer(
    server.port,
    server.host,
    probeRoutes({
      registry: metrics.registry,
      status: { now, redact, targets: () => running },
      readinessProblems: () => {
        if (draining) return ['draining: the probe is stopping'];
        // With live peers, readiness is membership (the headless Service lists ready pods):
        // a broken pipeline must not take every shard out of the peers.
        if (plan.kind === 'live') return [];
        const problems: string[] = [];
        for (const [id, target] of running) {
          const { postingWindowMs: windowMs, startedAt } = statusOf(target);
          const own = readinessProblems(target.state, now(), windowMs, startedAt);
          for (const problem of own)
            problems.push(running.size > 1 ? `${id}: ${problem}` : problem);
        }
        return problems;
      },
    }),
    { '/-/reload': reloadEndpoint({ enabled: config.reload.endpointEnabled, token }, reload) },
  ).catch((error: unknown) => {
    set.subscription.unsubscribe();
    throw error;
  });
  logger.info('metrics served', { port: http.port });

  const table = run.local
    ? setInterval(() => {
        for (const target of running.values()) {
          if (target.state) writeStdout(redact(eventTable(target.state, now())));
        }
      }, TABLE_EVERY_MS)
    : undefined;

  return {
    port: http.port,
    get appId() {
      return first()?.appId ?? '';
    },
    state: () => first()?.state,
    targets: () => running,
    reload: (cause = 'a call') => reload(cause),
    async drain() {
      draining = true;
      const targets = [...running.values()];
      await set.drain();
      return Object.fromEntries(targets.map((target) => [target.id, finalBooks(target.state)]));
    },
    async stop() {
      clearInterval(table);
      set.subscription.unsubscribe();
      await http.close();
    },
  };
}

/** The start line's word on the shard: which of how many, or which peer of the live ones. */
function describePlan(plan: ShardPlan): string | undefined {
  if (plan.kind === 'live') return `${plan.self} of the live peers of ${plan.srv}`;
  return plan.count > 1 ? `${plan.index} of ${plan.count}` : undefined;
}
