import { map, type Observable, of } from 'rxjs';
import { ownerOf, ownersOf } from '../../streams/shardOwners';
import type { PeerView } from './peerRounds';

/** How this process knows its peers, as decided from the settings before anything starts. */
export type ShardPlan =
  /** One of a fixed count (PROBE_SHARDS), by index (PROBE_SHARD_INDEX, or the pod's ordinal). */
  | { readonly kind: 'static'; readonly index: number; readonly count: number }
  /** One of the live peers that PROBE_PEERS_SRV lists, by name; each target runs on `replicas`. */
  | {
      readonly kind: 'live';
      readonly self: string;
      readonly srv: string;
      readonly dnsServer: string;
      readonly refreshMs: number;
      readonly replicas: number;
    };

/** Whether this process runs a target, by its id. */
export type Owns = (targetId: string) => boolean;

export const OWNS_ALL: Owns = () => true;

/**
 * Which targets this process runs, as it changes: with a fixed count, once and for all; with
 * live peers, again at every change of the peers `view$` shows, so a target whose owner went is
 * taken by its next-ranked live peer, and given back (drained here) when its owner returns.
 * Before the first view there is nothing to run: the peers may already hold every target.
 */
export function owns$(plan: ShardPlan, view$: Observable<PeerView>): Observable<Owns> {
  if (plan.kind === 'static') {
    return of((id: string) => ownerOf(id, plan.count) === plan.index);
  }
  return view$.pipe(
    map(
      ({ peers }) =>
        (id: string) =>
          ownersOf(id, peers, plan.replicas).includes(plan.self),
    ),
  );
}
