import { Gauge, type Registry } from 'prom-client';
import { hash32 } from '../../streams/hash';
import { outcomeCounter } from '../metrics/outcomeCounter';
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
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
  const peers = gauge(
    'probe_shard_peers',
    'Live peers this process sees (itself among them), from PROBE_PEERS_SRV.',
  );
  const digest = gauge(
    'probe_shard_peers_digest',
    'A 32-bit digest of the live peers this process sees: the same on shards that agree.',
  );
  const resolved = gauge(
    'probe_shard_peers_resolved',
    'Whether the peers were read lately (1), or the last look-ups all failed and the last good peers stay (0).',
  );
  const seen = new Gauge({
    name: 'probe_shard_peer_info',
    help: 'Constant 1 for each live peer this process sees, by name: which peers, where the digest says only whether shards agree.',
    labelNames: ['peer'],
    registers,
  });
  const lookedUp = outcomeCounter(
    registry,
    'probe_shard_peer_lookups_total',
    'Look-ups of the live peers (PROBE_PEERS_SRV), by outcome: ok, empty, error, timeout.',
    OUTCOMES,
  );
  return {
    lookedUp: (lookup) => lookedUp(lookup.outcome),
    saw(view) {
      info.reset();
      info.labels(plan.self, String(view.peers.length)).set(1);
      peers.set(view.peers.length);
      digest.set(hash32(view.peers.join('\n')));
      resolved.set(view.status === 'resolved' ? 1 : 0);
      seen.reset();
      for (const peer of view.peers) seen.labels(peer).set(1);
    },
  };
}
