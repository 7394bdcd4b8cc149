import { Counter, Gauge, type Registry } from 'prom-client';
import { hash32 } from '../../streams/hash';
import type { ShardPlan } from './ownership';
import type { Lookup, PeerView } from './peerRounds';

export interface ShardMetrics {
  /** A look-up of the peers ended (live peers only). */
  lookedUp(lookup: Lookup): void;
  /** The peers this process sees changed (live peers only). */
  saw(view: PeerView): void;
}

const OUTCOMES: readonly Lookup['outcome'][] = ['ok', 'empty', 'error', 'timeout'];

/**
 * The shard's series: `probe_shard_info{shard, shards}` (which shard this is, of how many: the
 * index and count, or this peer's name and how many live peers it sees), and with live peers
 * what it sees of them — how many, a digest of their names (shards that see the same peers
 * export the same digest, so disagreeing shards show as more than one value), whether the
 * last look-ups answered, and every look-up by outcome.
 */
export function registerShardMetrics(registry: Registry, plan: ShardPlan): ShardMetrics {
  const registers = [registry];
  const info = new Gauge({
    name: 'probe_shard_info',
    help: 'Constant 1: which shard this process is, of how many (live peers: its name, and the peers it sees).',
    labelNames: ['shard', 'shards'],
    registers,
  });
  if (plan.kind === 'static') {
    info.labels(String(plan.index), String(plan.count)).set(1);
    return { lookedUp() {}, saw() {} };
  }
  const peers = new Gauge({
    name: 'probe_shard_peers',
    help: 'Live peers this process sees (itself among them), from PROBE_PEERS_SRV.',
    registers,
  });
  const digest = new Gauge({
    name: 'probe_shard_peers_digest',
    help: 'A 32-bit digest of the live peers this process sees: the same on shards that agree.',
    registers,
  });
  const resolved = new Gauge({
    name: 'probe_shard_peers_resolved',
    help: 'Whether the peers were read lately (1), or the last look-ups all failed and the last good peers stay (0).',
    registers,
  });
  const lookups = new Counter({
    name: 'probe_shard_peer_lookups_total',
    help: 'Look-ups of the live peers (PROBE_PEERS_SRV), by outcome: ok, empty, error, timeout.',
    labelNames: ['outcome'],
    registers,
  });
  for (const outcome of OUTCOMES) lookups.labels(outcome).inc(0);
  return {
    lookedUp: (lookup) => lookups.labels(lookup.outcome).inc(),
    saw(view) {
      info.reset();
      info.labels(plan.self, String(view.peers.length)).set(1);
      peers.set(view.peers.length);
      digest.set(hash32(view.peers.join('\n')));
      resolved.set(view.status === 'resolved' ? 1 : 0);
    },
  };
}
