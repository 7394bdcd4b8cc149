import { concat, defer, merge, type Observable, type OperatorFunction, of } from 'rxjs';
import { distinctUntilChanged, filter, groupBy, map, mergeMap, share, take } from 'rxjs/operators';

/** A value from one target's pipeline, named by the target's id. */
export interface FromTarget<T> {
  readonly id: string;
  readonly value: T;
}

/**
 * One pipeline per target, following a stream of target sets (each a map from id to the
 * target's settings; a reload is one more set). A target that appears starts; one that stayed
 * the same is never touched, so it keeps its state, counts and connections. A pipeline is never
 * cut: `start`'s third argument emits when it must go, and it drains (see `drain.ts`), ending on
 * its own — when its target's settings change (by `same`; the new pipeline starts at that
 * moment, make before break), when its target leaves the set, and when the sets end (the
 * process stops). The output completes once the sets ended and every pipeline drained. No
 * pipeline knows there are others.
 */
export function perTarget<C, T>(
  start: (id: string, settings: C, drain$: Observable<unknown>) => Observable<T>,
  same: (a: C, b: C) => boolean,
): OperatorFunction<ReadonlyMap<string, C>, FromTarget<T>> {
  return (sets$) =>
    defer(() => {
      const set$ = sets$.pipe(share());
      // The first set without the target, or the end of the sets.
      const gone$ = (id: string) =>
        concat(set$.pipe(filter((set) => !set.has(id))), of(undefined)).pipe(take(1), share());
      return set$.pipe(
        mergeMap((set) => set.entries()),
        groupBy(([id]) => id, { duration: (group) => gone$(group.key) }),
        mergeMap((group) => {
          const id = group.key;
          const leaves$ = gone$(id);
          const versions$ = group.pipe(
            map(([, settings]) => settings),
            distinctUntilChanged(same),
            share(),
          );
          return versions$.pipe(
            mergeMap((settings) => {
              // Subscribed while this version is told, so only the next version drains it.
              const drain$ = merge(versions$, leaves$).pipe(take(1));
              return start(id, settings, drain$);
            }),
            map((value): FromTarget<T> => ({ id, value })),
          );
        }),
      );
    });
}
