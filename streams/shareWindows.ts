import type { EventState } from './eventStore';

/** A window of the missing shares: its length, and the label its series and page show. */
export interface ShareWindowSpec {
  readonly label: string;
  readonly lengthMs: number;
}

/** The windows of the fixed share series `probe_events_missing_<label>_share`. */
export const SHARE_WINDOWS: readonly ShareWindowSpec[] = [
  { label: '1m', lengthMs: 60_000 },
  { label: '3m', lengthMs: 180_000 },
  { label: '10m', lengthMs: 600_000 },
];

/**
 * The missing-share windows. Window w holds the events sent in (edge − length, edge], where
 * edge = now − grace. Send times grow with seqno, so each window is a run of seqnos
 * [lo, hi): `hi` (shared) moves as events age past the grace, each `lo` as they age out of
 * the window. Running counts are kept per window and corrected when an event inside one
 * changes state, so no step ever scans the events.
 *
 * The windows keep what they need of each event themselves — its send time and weight, until
 * it leaves the longest window — so they stay right however soon the event store forgets it
 * (a purge timeout shorter than the windows).
 */
export interface ShareWindows {
  /** sentAt[head + i] and weights[head + i] belong to seqno first + i. */
  sentAt: number[];
  weights: Weight[];
  head: number;
  first: number;
  /** Next seqno to enter the windows (all older than the grace have). */
  hi: number;
  readonly windows: ShareWindow[];
  /** How many times any window's counts changed: a step compares it to see if one did. */
  changes: number;
}

export interface ShareWindow {
  readonly spec: ShareWindowSpec;
  /** Next seqno to leave this window. */
  lo: number;
  /** Events in the window whose post is known to have succeeded. */
  counted: number;
  /** Of those, events not received. */
  missing: number;
}

/** One window's share, as the sinks receive it. */
export interface MissingShare {
  readonly label: string;
  readonly lengthMs: number;
  /** Percent (0–100); 0 for an empty window. */
  readonly percent: number;
}

/**
 * Only events whose post is known to have succeeded count (a failed post is a post error,
 * never missing); of those, the ones not received are missing. A late event has arrived.
 */
type Weight = 0 | 1 | 2;
const NOT_COUNTED: Weight = 0;
const ARRIVED: Weight = 1;
const MISSING: Weight = 2;

function weightOf(state: EventState): Weight {
  switch (state) {
    case 'posted':
    case 'lost':
      return MISSING;
    case 'received':
    case 'late':
      return ARRIVED;
    default:
      return NOT_COUNTED;
  }
}

export function createWindows(specs: readonly ShareWindowSpec[], firstSeqno: number): ShareWindows {
  return {
    sentAt: [],
    weights: [],
    head: 0,
    first: firstSeqno,
    hi: firstSeqno,
    windows: specs.map((spec) => ({ spec, lo: firstSeqno, counted: 0, missing: 0 })),
    changes: 0,
  };
}

/** An event was sent (seqnos arrive in order, from `first` on): the windows remember it. */
export function recordSend(shares: ShareWindows, sentAt: number): void {
  shares.sentAt.push(sentAt);
  shares.weights.push(NOT_COUNTED);
}

function add(shares: ShareWindows, window: ShareWindow, weight: Weight, sign: 1 | -1): void {
  if (weight === NOT_COUNTED) return;
  shares.changes += 1;
  window.counted += sign;
  if (weight === MISSING) window.missing += sign;
}

const index = (shares: ShareWindows, seqno: number): number => shares.head + seqno - shares.first;
const recorded = (shares: ShareWindows): number => shares.sentAt.length - shares.head;

/** Moves the windows to edge = now − grace, and forgets what left the longest window. */
export function moveWindows(shares: ShareWindows, edge: number): void {
  const end = shares.first + recorded(shares);
  while (shares.hi < end && shares.sentAt[index(shares, shares.hi)] <= edge) {
    const weight = shares.weights[index(shares, shares.hi)];
    for (const window of shares.windows) add(shares, window, weight, 1);
    shares.hi += 1;
  }
  let oldest = shares.hi;
  for (const window of shares.windows) {
    const from = edge - window.spec.lengthMs;
    while (window.lo < shares.hi && shares.sentAt[index(shares, window.lo)] <= from) {
      add(shares, window, shares.weights[index(shares, window.lo)], -1);
      window.lo += 1;
    }
    oldest = Math.min(oldest, window.lo);
  }
  forgetBefore(shares, oldest);
}

function forgetBefore(shares: ShareWindows, seqno: number): void {
  shares.head += seqno - shares.first;
  shares.first = seqno;
  // Drop the forgotten prefix now and then: amortised O(1), never more than twice the size.
  if (shares.head > 1024 && shares.head * 2 > shares.sentAt.length) {
    shares.sentAt = shares.sentAt.slice(shares.head);
    shares.weights = shares.weights.slice(shares.head);
    shares.head = 0;
  }
}

/** Keeps the counts right when an event changes state. */
export function reweigh(
  shares: ShareWindows,
  seqno: number,
  before: EventState,
  after: EventState,
): void {
  if (seqno < shares.first || seqno >= shares.first + recorded(shares)) return;
  const next = weightOf(after);
  const previous = weightOf(before);
  shares.weights[index(shares, seqno)] = next;
  if (next === previous) return;
  for (const window of shares.windows) {
    if (seqno >= window.lo && seqno < shares.hi) {
      add(shares, window, previous, -1);
      add(shares, window, next, 1);
    }
  }
}

/** Percent (0–100) of the window's counted events that are missing; 0 for an empty window. */
export function missingShare(window: ShareWindow): number {
  return window.counted === 0 ? 0 : (100 * window.missing) / window.counted;
}

/** Every window's share, in the order of the specs. */
export function missingShares(shares: ShareWindows): MissingShare[] {
  return shares.windows.map((window) => ({
    label: window.spec.label,
    lengthMs: window.spec.lengthMs,
    percent: missingShare(window),
  }));
}
