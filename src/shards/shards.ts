import type { Registry } from 'prom-client';
import { NEVER, type Observable, shareReplay, tap } from 'rxjs';
import type { Logger } from '../logs/logger';
import { livePeers$ } from './livePeers';
import { type Owns, owns$, type ShardPlan } from './ownership';
import { registerShardMetrics } from './shardMetrics';

/**
 * The shards' one home, at run time: which targets this process runs (`owns$`, see
 * `ownership.ts`), from the peers it knows — a fixed count, or the live peers read from DNS
 * (`livePeers.ts`) — with its series (`shardMetrics.ts`) and a log line at every change of the
 * peers.
 */
export function startShards(plan: ShardPlan, registry: Registry, logger: Logger): Observable<Owns> {
  const metrics = registerShardMetrics(registry, plan);
  const view$ =
    plan.kind === 'live'
      ? livePeers$({
          srv: plan.srv,
          dnsServer: plan.dnsServer,
          hostname: plan.self,
          refreshMs: plan.refreshMs,
          onLookup: (lookup) => metrics.lookedUp(lookup),
        }).pipe(
          tap((view) => {
            metrics.saw(view);
            logger.info('peers changed', { peers: view.peers.join(' '), status: view.status });
          }),
        )
      : NEVER;
  return owns$(plan, view$).pipe(shareReplay({ bufferSize: 1, refCount: true }));
}
