import { nearestMiss } from '../config/nearMiss';

/** Keys of a near miss's length are far from any real one past this many edits. */
const MAX_KEY_CHARS = 100;

/**
 * The known key meant by an unknown one: the same words in another case or spelling
 * (`post_event_interval_seconds`, `PostEventIntervalSeconds`), or a typo of a few letters.
 */
export function nearest(
  unknown: string,
  known: readonly string[],
  toKey: (name: string) => string,
): string | undefined {
  if (unknown.length > MAX_KEY_CHARS) return undefined;
  const spelled = /^[A-Za-z0-9]+(_[A-Za-z0-9]+)+$/.test(unknown)
    ? toKey(unknown.toUpperCase())
    : '';
  const exact = known.find((key) => key === spelled || key.toLowerCase() === unknown.toLowerCase());
  if (exact) return exact;
  const lower = known.map((key) => key.toLowerCase());
  const meant = nearestMiss(unknown.toLowerCase(), lower);
  return meant === undefined ? undefined : known[lower.indexOf(meant)];
}
