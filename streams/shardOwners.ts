import { hash32, mix32 } from './hash';

/**
 * Which live peers run a target: the `replicas` peers with the highest score of (target id,
 * peer name) — rendezvous hashing over names, not indexes, so nothing depends on a pod's
 * ordinal or on how many peers there were. Every process decides alone from the same names and
 * gets the same answer. When a peer goes, only its targets move, each to its next-ranked peer;
 * when one comes, it takes only the targets it now wins (about 1/(N + 1) of them).
 */
export function ownersOf(
  targetId: string,
  peerNames: readonly string[],
  replicas: number,
): string[] {
  return rankingOf(targetId, peerNames).slice(0, Math.max(1, Math.floor(replicas)));
}

/** Every distinct peer, best first: the score of the pair, then the name on a tie. */
export function rankingOf(targetId: string, peerNames: readonly string[]): string[] {
  const id = hash32(targetId);
  return [...new Set(peerNames)]
    .map((name) => ({ name, score: scoreOf(id, name) }))
    .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name }) => name);
}

/** The pair's score: both hashes mixed together, so every bit of each moves every bit of it. */
const scoreOf = (idHash: number, peerName: string): number =>
  mix32(idHash ^ Math.imul(hash32(peerName), 0x9e3779b1));
