/** Edits (insert, delete, replace) from `a` to `b`. */
export function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const replace = row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      next.push(Math.min(replace, row[j] + 1, next[j - 1] + 1));
    }
    row = next;
  }
  return row[b.length];
}

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
  const allowed = Math.max(1, Math.floor(unknown.length / 4));
  let best: { key: string; edits: number } | undefined;
  for (const key of known) {
    const edits = distance(unknown.toLowerCase(), key.toLowerCase());
    if (edits <= allowed && (!best || edits < best.edits)) best = { key, edits };
  }
  return best?.key;
}
