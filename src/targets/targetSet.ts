import {
  BehaviorSubject,
  combineLatest,
  map,
  type Observable,
  of,
  Subject,
  type Subscription,
  shareReplay,
  takeUntil,
} from 'rxjs';
import { perTarget } from '../../streams/perTarget';
import { secretValues } from '../config/secrets';
import type { SecretBook } from '../logs/secretBook';
import type { ProcessMetrics } from '../metrics/metricsProcess';
import { OWNS_ALL, type Owns, type ShardPlan } from '../shards/ownership';
import { diffTargets, sameTarget } from './diffTargets';
import { type RunningTarget, runTarget, type TargetSpec } from './runTarget';
import type { SharedServices } from './sharedServices';

/** What a load gave: the targets (all shards'), or why there are none to apply. */
export type Loaded =
  | { readonly targets: readonly TargetSpec[]; readonly configured?: number }
  | { readonly problems: readonly string[] }
  /** The load could not finish (too slow, too big): nothing is known of the file. */
  | { readonly failed: string };

/** Where the targets come from: the ones to start with, and how to read them again. */
export interface TargetSource {
  /** Every target of the file (all shards': which this process runs, `plan` decides). */
  readonly initial: readonly TargetSpec[];
  /** Targets in the whole file (all shards); `initial.length` when not given. */
  readonly configured?: number;
  readonly load?: () => Promise<Loaded>;
  /** How this process knows its peers, so which of the targets it runs (see `shards/`). */
  readonly plan?: ShardPlan;
}

/** What a reload did: applied, or refused with every problem (the running set stays). */
export type ReloadOutcome =
  | {
      readonly ok: true;
      readonly added: number;
      readonly removed: number;
      readonly changed: number;
    }
  | {
      readonly ok: false;
      readonly problems: readonly string[];
      /** The load could not finish (too slow, too big), rather than found problems. */
      readonly failed?: true;
    };

export interface TargetSet {
  /** The targets running now, by id. */
  readonly running: ReadonlyMap<string, RunningTarget>;
  /** Masks every secret of the process, every target's, loaded now or before (see SecretBook). */
  redact(text: string): string;
  /** Applies a loaded set as a difference by id (see `reload/reload.ts` for how loads come). */
  apply(loaded: { readonly targets: readonly TargetSpec[]; readonly configured?: number }): {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
  };
  /**
   * Drains every target (see `streams/drain.ts`) and takes no set more; resolves once each
   * pipeline has ended.
   */
  drain(): Promise<void>;
  readonly subscription: Subscription;
}

/**
 * The running targets: one pipeline each (`perTarget`), following the target set, which a
 * reload replaces — unchanged targets untouched, a changed one replaced by a new pipeline while
 * the old one drains, removed ones drained, added ones started. A load with any problem changes
 * nothing, and says so.
 */
export function startTargetSet(
  source: TargetSource,
  services: SharedServices,
  processMetrics: ProcessMetrics,
  secrets: SecretBook,
  owns$: Observable<Owns> = of(OWNS_ALL),
): TargetSet {
  const byId = (specs: readonly TargetSpec[]) => new Map(specs.map((spec) => [spec.id, spec]));
  // Every target of the file, and which of them this process runs: the owned set follows both.
  const file$ = new BehaviorSubject(byId(source.initial));
  const stop$ = new Subject<void>();
  let owns: Owns = () => false;
  let owned = new Map<string, TargetSpec>();
  const mine = (all: ReadonlyMap<string, TargetSpec>) =>
    new Map([...all].filter(([id]) => owns(id)));
  const set$ = combineLatest([file$, owns$.pipe(takeUntil(stop$))]).pipe(
    map(([all, next]) => {
      owns = next;
      owned = mine(all);
      return owned;
    }),
    // Replayed: the books below see the set the pipelines started from.
    shareReplay({ bufferSize: 1, refCount: true }),
  );
  const running = new Map<string, RunningTarget>();
  // The process's secret book learns each target set before any of its targets runs.
  const tell = (specs: readonly TargetSpec[]) =>
    secrets.loaded(specs.flatMap((spec) => secretValues(spec.config)));
  tell(source.initial);
  let configured = source.configured;
  let drained: () => void = () => {};
  const allDrained = new Promise<void>((resolve) => {
    drained = resolve;
  });
  const subscription = set$
    .pipe(perTarget((_, spec, drain$) => runTarget(spec, services, drain$), sameTarget))
    .subscribe({
      next: ({ id, value }) => {
        running.set(id, value);
      },
      complete: () => drained(),
    });
  subscription.add(
    set$.subscribe((set) => {
      for (const id of running.keys()) if (!set.has(id)) running.delete(id);
      processMetrics.configured([...set.values()], configured);
    }),
  );
  subscription.add(() => drained());

  return {
    running,
    redact: secrets.redact,
    apply(loaded) {
      const all = byId(loaded.targets);
      const diff = diffTargets([...owned.values()], [...mine(all).values()]);
      tell(loaded.targets);
      configured = loaded.configured;
      file$.next(all);
      return {
        added: diff.added.length,
        removed: diff.removed.length,
        changed: diff.changed.length,
      };
    },
    drain() {
      stop$.next();
      file$.complete();
      return allDrained;
    },
    subscription,
  };
}
