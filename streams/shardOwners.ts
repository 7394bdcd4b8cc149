import { hash32, mix32 } from './hash';

/*
 * Which shards run a target, in the two ways a process may know its peers: by index among a
 * fixed count (PROBE_SHARDS), or by name among the live peers (PROBE_PEERS_SRV). Both are
 * rendezvous hashing: each process decides alone, and a shard that comes or goes moves only
 * the targets it wins or held.
 */

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

/**
 * Which shard runs a target: the one with the highest score of (target id, shard index) —
 * rendezvous hashing. Every process decides alone from the same file and the same count, with
 * no coordinator; going from N to N + 1 shards moves only the targets the new shard now wins
 * (about 1/(N + 1) of them), where `hash mod N` would move about N/(N + 1).
 */
export function ownerOf(targetId: string, shards: number): number {
  const id = hash32(targetId);
  let best = 0;
  let bestScore = -1;
  for (let shard = 0; shard < shards; shard++) {
    const score = mix32(id ^ Math.imul(shard + 1, 0x9e3779b1));
    if (score > bestScore) {
      best = shard;
      bestScore = score;
    }
  }
  return best;
}

export function owns(targetId: string, shardIndex: number, shards: number): boolean {
  return ownerOf(targetId, shards) === shardIndex;
}
