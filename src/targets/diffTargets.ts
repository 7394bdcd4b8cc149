import { isDeepStrictEqual } from 'node:util';
import type { Target } from './target';

type Compared = Pick<Target, 'id' | 'labels' | 'config'>;

export interface TargetsDiff<T extends Compared> {
  /** In the new set only: to start. */
  readonly added: T[];
  /** In the running set only: to stop, and their series to go. */
  readonly removed: T[];
  /** In both, with other settings or labels: the new version, to restart. */
  readonly changed: T[];
  /** In both, the same: the running one, which keeps its state, counters and connections. */
  readonly unchanged: T[];
}

/**
 * What a reload does, by id. A target is the same when its resolved settings (a secret by its
 * value, so a rotated token restarts it) and its labels are; the file it is written in is not
 * part of it, so moving a target between files leaves it running.
 */
export function diffTargets<T extends Compared>(
  running: readonly T[],
  loaded: readonly T[],
): TargetsDiff<T> {
  const before = new Map(running.map((target) => [target.id, target]));
  const after = new Set(loaded.map((target) => target.id));
  const diff: TargetsDiff<T> = { added: [], removed: [], changed: [], unchanged: [] };
  for (const target of loaded) {
    const old = before.get(target.id);
    if (old === undefined) diff.added.push(target);
    else if (sameTarget(old, target)) diff.unchanged.push(old);
    else diff.changed.push(target);
  }
  for (const target of running) if (!after.has(target.id)) diff.removed.push(target);
  return diff;
}

/** The same target to run: its resolved settings and labels (`perTarget`'s `same` can be it). */
export const sameTarget = (a: Compared, b: Compared): boolean =>
  isDeepStrictEqual(a.config, b.config) && isDeepStrictEqual(a.labels, b.labels);
