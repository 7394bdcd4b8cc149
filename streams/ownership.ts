import { hash32, mix32 } from './hash';

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
