import { Resolver } from 'node:dns/promises';
import {
  defer,
  distinctUntilChanged,
  exhaustMap,
  filter,
  map,
  type Observable,
  scan,
  tap,
  timer,
} from 'rxjs';
import { peerNameOf, resolverAddress } from '../config/dnsNames';
import {
  type Lookup,
  NO_ROUNDS,
  nextRound,
  type PeerRounds,
  type PeerView,
  peersOfAnswer,
  sameView,
} from './peerRounds';

export type { Lookup, LookupOutcome, PeerView } from './peerRounds';

export interface LivePeersOptions {
  /** The name whose SRV records list the live peers (PROBE_PEERS_SRV). */
  readonly srv: string;
  /** `ip[:port]` of the resolver (PROBE_DNS_SERVER); empty or unset: the system's. */
  readonly dnsServer?: string;
  /** This process's host name (HOSTNAME): its first label is this peer's name. */
  readonly hostname: string;
  readonly refreshMs: number;
  /** The longest a look-up may take; past it, it counts as failed (default: the refresh, ≤ 5 s). */
  readonly timeoutMs?: number;
  /** Peers kept from one answer at most; the rest are refused (default 1,000). */
  readonly maxPeers?: number;
  /** Failed look-ups in a row before the view says `unresolved` (default 6: 30 s at 5 s). */
  readonly failureBound?: number;
  /** Told of every look-up, for the metrics: how it went and how many failed in a row. */
  readonly onLookup?: (lookup: Lookup, consecutiveFailures: number) => void;
}

/**
 * The live peers: the SRV records of `srv` read every `refreshMs` (never two look-ups at once),
 * as the sorted distinct peer names, this process always among them, emitted only when the
 * list or its status changes. Nothing is emitted before the first good answer or the failure
 * bound. Every byte of an answer is hostile: see `peersOfAnswer`.
 */
export function livePeers$(options: LivePeersOptions): Observable<PeerView> {
  const self = selfName(options.hostname);
  const bound = Math.max(1, options.failureBound ?? 6);
  const maxPeers = options.maxPeers ?? 1_000;
  return defer(() => {
    const resolver = resolverFor(options);
    return timer(0, options.refreshMs).pipe(
      exhaustMap(() => lookUp(resolver, options, self, maxPeers)),
      scan((state: PeerRounds, lookup: Lookup) => {
        const next = nextRound(state, lookup, self, bound);
        options.onLookup?.(lookup, next.consecutiveFailures);
        return next;
      }, NO_ROUNDS),
      map((state) => state.view),
      filter((view): view is PeerView => view !== undefined),
      distinctUntilChanged<PeerView>(sameView),
      // A look-up still running when the caller leaves is cancelled, not left to answer nobody.
      tap({ finalize: () => resolver.cancel() }),
    );
  });
}

/** This process's peer name: its host name's first label. Throws when that is no DNS label. */
export function selfName(hostname: string): string {
  const name = peerNameOf(hostname);
  if (name === undefined) {
    throw new Error(
      `the host name ${JSON.stringify(hostname.slice(0, 80))} begins with no peer name (a DNS label)`,
    );
  }
  return name;
}

/** The longest one look-up may take: as given, else the refresh, at most 5 s. */
const timeoutOf = (options: LivePeersOptions): number =>
  options.timeoutMs ?? Math.min(options.refreshMs, 5_000);

function resolverFor(options: LivePeersOptions): Resolver {
  const timeoutMs = timeoutOf(options);
  // c-ares's own timeout, one try: the race below bounds the whole look-up anyway.
  const resolver = new Resolver({ timeout: Math.max(1, Math.round(timeoutMs)), tries: 1 });
  const server = options.dnsServer ? resolverAddress(options.dnsServer) : undefined;
  if (options.dnsServer && server === undefined) {
    throw new Error('PROBE_DNS_SERVER: expected an IP address with an optional port');
  }
  if (server) resolver.setServers([server]);
  return resolver;
}

/** One look-up, never rejected: its outcome is a value. */
async function lookUp(
  resolver: Resolver,
  options: LivePeersOptions,
  self: string,
  maxPeers: number,
): Promise<Lookup> {
  const timeoutMs = timeoutOf(options);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    const answer = await Promise.race([resolver.resolveSrv(options.srv), late]);
    if (answer === 'late') {
      resolver.cancel();
      return { outcome: 'timeout' };
    }
    return peersOfAnswer(
      answer.map((record) => record.name),
      self,
      maxPeers,
    );
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ETIMEOUT') return { outcome: 'timeout' };
    // The name exists with no SRV record, or not at all: an answer with no peer in it.
    if (code === 'ENODATA' || code === 'ENOTFOUND') return { outcome: 'empty', refused: 0 };
    return { outcome: 'error' };
  } finally {
    clearTimeout(timer);
  }
}
