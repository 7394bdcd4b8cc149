import { defer, type Observable, type OperatorFunction } from 'rxjs';
import {
  distinctUntilChanged,
  filter,
  groupBy,
  map,
  mergeMap,
  share,
  switchMap,
  takeUntil,
} from 'rxjs/operators';

/** A value from one target's pipeline, named by the target's id. */
export interface FromTarget<T> {
  readonly id: string;
  readonly value: T;
}

/**
 * One pipeline per target, following a stream of target sets (each a map from id to the
 * target's settings; a reload is one more set). A target that appears starts; one whose
 * settings changed (by `same`) restarts — its old pipeline stopped before the new one starts;
 * one that disappears stops; one that stayed the same is never touched, so it keeps its
 * state, counts and connections. No pipeline knows there are others.
 */
export function perTarget<C, T>(
  start: (id: string, settings: C) => Observable<T>,
  same: (a: C, b: C) => boolean,
): OperatorFunction<ReadonlyMap<string, C>, FromTarget<T>> {
  return (sets$) =>
    defer(() => {
      const set$ = sets$.pipe(share());
      const removed$ = (id: string) => set$.pipe(filter((set) => !set.has(id)));
      return set$.pipe(
        mergeMap((set) => set.entries()),
        groupBy(([id]) => id, { duration: (group) => removed$(group.key) }),
        mergeMap((group) => {
          const id = group.key;
          return group.pipe(
            map(([, settings]) => settings),
            distinctUntilChanged(same),
            switchMap((settings) => start(id, settings).pipe(takeUntil(removed$(id)))),
            map((value): FromTarget<T> => ({ id, value })),
          );
        }),
      );
    });
}
