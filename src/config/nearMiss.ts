import { distance } from 'fastest-levenshtein';

/**
 * The one rule for "did you mean": a word is a near miss of a known one within one edit per
 * four characters of the known one, at least one and at most two (a swap of neighbours is two).
 * Edits are counted by fastest-levenshtein (insert, delete, replace), a small, well-kept package.
 */
export function isNearMiss(word: string, known: string): boolean {
  return distance(word, known) <= Math.min(2, Math.max(1, Math.floor(known.length / 4)));
}

/** The known word nearest `word` that is a near miss of it, if any (the first of a tie). */
export function nearestMiss(word: string, known: readonly string[]): string | undefined {
  let best: { key: string; edits: number } | undefined;
  for (const key of known) {
    const edits = distance(word, key);
    if (isNearMiss(word, key) && (!best || edits < best.edits)) best = { key, edits };
  }
  return best?.key;
}

export { distance };
