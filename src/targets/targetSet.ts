import { BehaviorSubject, type Subscription } from 'rxjs';
import { perTarget } from '../../streams/perTarget';
import { secretValues } from '../config/secrets';
import type { Logger } from '../logs/logger';
import type { ProcessMetrics } from '../metrics/metricsProcess';
import { sameTarget } from './diffTargets';
import { type RunningTarget, runTarget, type TargetSpec } from './runTarget';
import type { SharedServices } from './sharedServices';

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

/** What a reload did: applied, or refused with every problem (the running set stays). */
export type ReloadOutcome =
  | {
      readonly ok: true;
      readonly added: number;
      readonly removed: number;
      readonly changed: number;
    }
  | { readonly ok: false; readonly problems: readonly string[] };

export interface TargetSet {
  /** The targets running now, by id. */
  readonly running: ReadonlyMap<string, RunningTarget>;
  /** Masks every secret of the process, every target's, loaded now or before (see SecretBook). */
  redact(text: string): string;
  /** Loads the targets again and applies them as a difference by id; one at a time. */
  reload(): Promise<ReloadOutcome>;
  readonly subscription: Subscription;
}

const NOTHING_CHANGED: ReloadOutcome = { ok: true, added: 0, removed: 0, changed: 0 };

/**
 * The running targets: one pipeline each (`perTarget`), following the target set, which a
 * reload replaces — unchanged targets untouched, changed ones restarted, removed ones stopped,
 * added ones started. A load with any problem changes nothing, and says so.
 */
export function startTargetSet(
  source: TargetSource,
  services: SharedServices,
  processMetrics: ProcessMetrics,
  logger: Logger,
): TargetSet {
  const byId = (specs: readonly TargetSpec[]) => new Map(specs.map((spec) => [spec.id, spec]));
  const set$ = new BehaviorSubject(byId(source.initial));
  const running = new Map<string, RunningTarget>();
  // The process's secret book learns each target set before any of its targets runs.
  const tell = (specs: readonly TargetSpec[]) =>
    logger.secrets.loaded(specs.flatMap((spec) => secretValues(spec.config)));
  const { redact } = logger.secrets;
  tell(source.initial);
  let configured = source.configured;
  const subscription = set$
    .pipe(perTarget((_, spec) => runTarget(spec, services), sameTarget))
    .subscribe(({ id, value }) => {
      running.set(id, value);
    });
  subscription.add(
    set$.subscribe((set) => {
      for (const id of running.keys()) if (!set.has(id)) running.delete(id);
      processMetrics.configured([...set.values()], configured);
    }),
  );
  subscription.add(() => set$.complete());

  const reloadOnce = async (): Promise<ReloadOutcome> => {
    if (!source.load) {
      logger.info('nothing to reload: the one target comes from the variables');
      return NOTHING_CHANGED;
    }
    const loaded = await source.load().catch((error: unknown) => ({
      problems: [`targets could not be read: ${String(error)}`],
    }));
    if ('problems' in loaded) {
      processMetrics.reloaded(false);
      const problems = loaded.problems.map(redact);
      logger.error('reload refused, the running targets stay', { problems });
      return { ok: false, problems };
    }
    const before = set$.value;
    const after = byId(loaded.targets);
    const changed = (spec: TargetSpec) => {
      const old = before.get(spec.id);
      return old !== undefined && !sameTarget(old, spec);
    };
    const outcome = {
      ok: true as const,
      added: [...after.keys()].filter((id) => !before.has(id)).length,
      removed: [...before.keys()].filter((id) => !after.has(id)).length,
      changed: [...after.values()].filter(changed).length,
    };
    tell(loaded.targets);
    configured = loaded.configured;
    set$.next(after);
    processMetrics.reloaded(true);
    logger.info('targets reloaded', { targets: after.size, ...outcome });
    return outcome;
  };
  let reloading = Promise.resolve(NOTHING_CHANGED);
  return {
    running,
    redact,
    reload() {
      reloading = reloading.then(reloadOnce, reloadOnce);
      return reloading;
    },
    subscription,
  };
}
