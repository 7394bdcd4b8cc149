import { peerNameOf } from '../config/dnsNames';

/** What one look-up of the peers' SRV name came to: a closed set, ready to be counted. */
export type Lookup =
  | { readonly outcome: 'ok'; readonly peers: readonly string[]; readonly refused: number }
  | { readonly outcome: 'empty'; readonly refused: number }
  | { readonly outcome: 'error' | 'timeout' };

export type LookupOutcome = Lookup['outcome'];

/**
 * The peers as the caller sees them. `resolved`: the last look-up answered, and these are its
 * peers. `unresolved`: the last `failureBound` look-ups failed, and these are the last good
 * peers (only this process, when none ever answered): the caller decides what that means.
 */
export interface PeerView {
  readonly peers: readonly string[];
  readonly status: 'resolved' | 'unresolved';
}

export interface PeerRounds {
  /** The peers of the last good answer, undefined before one. */
  readonly lastGood?: readonly string[];
  readonly consecutiveFailures: number;
  /** What to show after this round; undefined until there is something to show. */
  readonly view?: PeerView;
}

export const NO_ROUNDS: PeerRounds = { consecutiveFailures: 0 };

/**
 * The peers of an SRV answer, treated as hostile: a record whose host is not a DNS name, or
 * whose first label is no pod's name, is refused; beyond `maxPeers` distinct names the rest
 * are refused too, the same ones in every process (the list is sorted first). This process is
 * always one of the peers: it is alive, whether or not the answer says so yet.
 */
export function peersOfAnswer(
  hosts: readonly string[],
  self: string,
  maxPeers: number,
): Lookup & { outcome: 'ok' | 'empty' } {
  const names = hosts.map(peerNameOf);
  const good = [...new Set(names.filter((n): n is string => n !== undefined))].sort();
  const kept = good.slice(0, maxPeers);
  const refused =
    hosts.length - names.filter((n) => n !== undefined).length + good.length - kept.length;
  if (kept.length === 0) return { outcome: 'empty', refused };
  const peers = kept.includes(self) ? kept : [...kept, self].sort();
  return { outcome: 'ok', peers, refused };
}

/**
 * One round of the fold: a good answer is the new list; a failure (an error, a timeout, an
 * answer with no usable record) is never "no peers" — the last list stays, and only after
 * `failureBound` failures in a row does the view say so.
 */
export function nextRound(
  state: PeerRounds,
  lookup: Lookup,
  self: string,
  failureBound: number,
): PeerRounds {
  if (lookup.outcome === 'ok') {
    return {
      lastGood: lookup.peers,
      consecutiveFailures: 0,
      view: { peers: lookup.peers, status: 'resolved' },
    };
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  if (consecutiveFailures < failureBound) return { ...state, consecutiveFailures };
  return {
    ...state,
    consecutiveFailures,
    view: { peers: state.lastGood ?? [self], status: 'unresolved' },
  };
}

export const sameView = (a?: PeerView, b?: PeerView): boolean =>
  a?.status === b?.status &&
  a?.peers.length === b?.peers.length &&
  (a?.peers ?? []).every((name, i) => name === b?.peers[i]);
