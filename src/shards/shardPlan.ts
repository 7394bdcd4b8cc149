import { hostname as osHostname } from 'node:os';
import { ownerOf } from '../../streams/shardOwners';
import { selfName } from './livePeers';
import type { ShardPlan } from './ownership';
import { shardIndex } from './shardIndex';

/** The process-wide settings a plan is made of (a `Config` has them). */
export interface ShardSettings {
  readonly targets: { readonly shards: number; readonly shardIndex: string };
  readonly peers: {
    readonly srv: string;
    readonly dnsServer: string;
    readonly refreshMs: number;
    readonly replicas: number;
  };
}

/**
 * How this process knows its peers, from the process-wide settings: the live peers that
 * PROBE_PEERS_SRV lists, this one named by the first label of its host name; else one of
 * PROBE_SHARDS by index (see `shardIndex.ts`; a missing host name is shard 0). A problem (a line for people) when the two are
 * mixed or the name or index cannot be had.
 */
export function shardPlan(
  { targets, peers }: ShardSettings,
  hostname: string | undefined,
): ShardPlan | { readonly problem: string } {
  if (peers.srv !== '') {
    if (targets.shards !== 1 || targets.shardIndex !== '') {
      return {
        problem:
          'PROBE_SHARDS, PROBE_SHARD_INDEX: not used with PROBE_PEERS_SRV (the live peers decide); unset them',
      };
    }
    try {
      const self = selfName(hostname ?? osHostname());
      return { kind: 'live', self, ...peers };
    } catch (error) {
      return { problem: `HOSTNAME: ${(error as Error).message}` };
    }
  }
  const index = shardIndex(targets.shardIndex, hostname, targets.shards);
  return 'problem' in index ? index : { kind: 'static', index: index.index, count: targets.shards };
}

/**
 * `--check-config`'s list of the file's targets, each with the shard that runs it (as every
 * shard decides alone from the same file and count), this one's marked: what a rollout runs.
 * With live peers, who runs what is known only at run time.
 */
export function describeTargets(ids: readonly string[], plan: ShardPlan): string {
  if (plan.kind === 'live') {
    return [
      `targets: ${ids.length} in the file, run by the live peers of ${plan.srv} (this process: ${plan.self}; ${plan.replicas} each)`,
      ...ids.map((id) => `  ${id}`),
    ].join('\n');
  }
  const here = ids.filter((id) => ownerOf(id, plan.count) === plan.index).length;
  return [
    `targets: ${ids.length} in the file, ${here} run by this process (shard ${plan.index} of ${plan.count})`,
    ...ids.map((id) => {
      const owner = ownerOf(id, plan.count);
      return `  ${id}: shard ${owner}${owner === plan.index ? ' (this process)' : ''}`;
    }),
  ].join('\n');
}
