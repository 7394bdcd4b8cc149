/** What the collector stand-in did, for tests and `GET /stats`. */
export interface CollectorStats {
  accepted: number;
  emitted: number;
  dropped: number;
  duplicated: number;
  foreign: number;
  failed: number;
  hung: number;
  rejected: number;
  /** Per accepted seqno: the hold applied (ms) and whether it was dropped. */
  events: Map<number, EventFate>;
  /** What each request looked like (path without query, auth kind), for tests. */
  requests: Array<{
    path: string;
    auth: 'bearer' | 'webhook' | 'none';
    token?: string;
    body: string;
  }>;
}

export interface EventFate {
  holdMs: number;
  dropped: boolean;
  duplicated: boolean;
}

// What is kept of requests and events: enough for any test, bounded for a long `npm run local`.
const KEPT_REQUESTS = 10_000;
const KEPT_EVENTS = 100_000;

export function emptyStats(): CollectorStats {
  return {
    accepted: 0,
    emitted: 0,
    dropped: 0,
    duplicated: 0,
    foreign: 0,
    failed: 0,
    hung: 0,
    rejected: 0,
    events: new Map(),
    requests: [],
  };
}

export function noteRequest(
  stats: CollectorStats,
  request: CollectorStats['requests'][number],
): void {
  stats.requests.push(request);
  if (stats.requests.length > KEPT_REQUESTS) stats.requests.shift();
}

export function noteEvent(stats: CollectorStats, seqno: number, fate: EventFate): void {
  stats.events.set(seqno, fate);
  if (stats.events.size > KEPT_EVENTS)
    stats.events.delete(stats.events.keys().next().value as number);
}

/** What `GET /stats` answers: the counts, and how many events and requests are kept. */
export function statsSummary(stats: CollectorStats): object {
  const { events, requests, ...counts } = stats;
  return { ...counts, tracked: events.size, requests: requests.length };
}
