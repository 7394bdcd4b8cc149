import { BehaviorSubject } from 'rxjs';
import { perTarget } from '../streams/perTarget';
import { postingWindowMs, readinessProblems } from '../streams/readiness';
import type { TrackerState } from '../streams/trackerState';
import { monotonicScheduler } from './clock';
import type { Config } from './config';
import { eventTable } from './eventTable';
import type { Logger } from './logger';
import { createMetrics } from './metrics';
import { registerProcessMetrics } from './metricsProcess';
import { redactor } from './redact';
import { probeRoutes, text } from './routes';
import { secretValues } from './secrets';
import { startHttpServer } from './server';
import { writeStdout } from './stdout';
import { type RunningTarget, runTarget, type TargetSpec } from './target/runTarget';
import { createSharedServices } from './target/sharedServices';
import { sameTarget } from './targets/diffTargets';

export interface RunningProbe {
  readonly port: number;
  /** The first target's app id (the one-target form's). */
  readonly appId: string;
  /** The first target's tracker state (the one-target form's). */
  state(): TrackerState | undefined;
  /** The targets running now, by id. */
  targets(): ReadonlyMap<string, RunningTarget>;
  /** Loads the targets again and applies them as a difference by id. */
  reload(): Promise<ReloadOutcome>;
  /** Stops every target and the HTTP server. */
  stop(): Promise<void>;
}

/** What a reload did: applied, or refused with every problem (the running set stays). */
export type ReloadOutcome =
  | {
      readonly ok: true;
      readonly added: number;
      readonly removed: number;
      readonly changed: number;
    }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Where the targets come from: the ones to start with, and how to read them again. */
export interface TargetSource {
  readonly initial: readonly TargetSpec[];
  /** Targets in the whole file (all shards); `initial.length` when not given. */
  readonly configured?: number;
  readonly load?: () => Promise<
    | { readonly targets: readonly TargetSpec[]; readonly configured?: number }
    | { readonly problems: readonly string[] }
  >;
  /** The shard this process is, for `probe_shard_info`. */
  readonly shard?: { readonly index: number; readonly count: number };
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
  const processMetrics = registerProcessMetrics(metrics.registry, source.shard);
  const services = createSharedServices({ metrics, logger });
  logger.info('probe starting', {
    targets: source.initial.length,
    shard: source.shard ? `${source.shard.index} of ${source.shard.count}` : undefined,
  });
  const byId = (specs: readonly TargetSpec[]) => new Map(specs.map((spec) => [spec.id, spec]));
  const set$ = new BehaviorSubject(byId(source.initial));
  const running = new Map<string, RunningTarget>();
  // What a person or a scraper reads is masked like the logs: a server may echo a secret.
  let redact = redactor(source.initial.flatMap((spec) => secretValues(spec.config)));
  const targets = set$.pipe(
    perTarget(
      (_, spec) => runTarget(spec, services),
      (a, b) => sameTarget(a, b),
    ),
  );
  const pipelines = targets.subscribe(({ id, value }) => {
    running.set(id, value);
  });
  let configured = source.configured;
  const follow = set$.subscribe((set) => {
    for (const id of running.keys()) if (!set.has(id)) running.delete(id);
    processMetrics.configured([...set.values()], configured);
  });
  pipelines.add(follow);

  let reloading: Promise<ReloadOutcome> = Promise.resolve({
    ok: true,
    added: 0,
    removed: 0,
    changed: 0,
  });
  const reloadOnce = async (): Promise<ReloadOutcome> => {
    if (!source.load) {
      logger.info('nothing to reload: the one target comes from the variables');
      return { ok: true, added: 0, removed: 0, changed: 0 };
    }
    const loaded = await source.load().catch((error: unknown) => ({
      problems: [`targets could not be read: ${String(error)}`],
    }));
    if ('problems' in loaded) {
      processMetrics.reloaded(false);
      logger.error('reload refused, the running targets stay', { problems: loaded.problems });
      return { ok: false, problems: loaded.problems };
    }
    const before = set$.value;
    const after = byId(loaded.targets);
    const outcome = {
      ok: true as const,
      added: [...after.keys()].filter((id) => !before.has(id)).length,
      removed: [...before.keys()].filter((id) => !after.has(id)).length,
      changed: [...after.values()].filter((spec) => {
        const old = before.get(spec.id);
        return old !== undefined && !sameTarget(old, spec);
      }).length,
    };
    redact = redactor(loaded.targets.flatMap((spec) => secretValues(spec.config)));
    configured = loaded.configured;
    set$.next(after);
    processMetrics.reloaded(true);
    logger.info('targets reloaded', { targets: after.size, ...outcome });
    return outcome;
  };
  // One reload at a time, in the order asked.
  const reload = () => {
    reloading = reloading.then(reloadOnce, reloadOnce);
    return reloading;
  };

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
  const firstSpec = source.initial[0];
  const title = firstSpec
    ? `dataplatform-probe · ${firstSpec.config.dataset.id} v${firstSpec.config.dataset.version}`
    : 'dataplatform-probe';
  const http = await startHttpServer(
    server.port,
    server.host,
    probeRoutes({
      registry: metrics.registry,
      status: { title, now, redact: (text) => redact(text), targets: () => running },
      readinessProblems: () => {
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
    {
      '/-/reload': async () => {
        const outcome = await reload();
        return outcome.ok
          ? text(
              200,
              `reloaded: ${outcome.added} added, ${outcome.removed} removed, ${outcome.changed} changed\n`,
            )
          : text(400, `${outcome.problems.join('\n')}\n`);
      },
    },
  ).catch((error: unknown) => {
    pipelines.unsubscribe();
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
    reload,
    async stop() {
      clearInterval(table);
      pipelines.unsubscribe();
      set$.complete();
      await http.close();
    },
  };
}
