import type { EventState, EventStore } from './eventStore';
import { eventAt } from './eventStore';

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
 */
export interface ShareWindow {
  readonly spec: ShareWindowSpec;
  /** Next seqno to leave this window. */
  lo: number;
  /** Events in the window whose post is known to have succeeded. */
  counted: number;
  /** Of those, events not received. */
  missing: number;
}

export interface ShareWindows {
  /** Next seqno to enter the windows (all older than the grace have). */
  hi: number;
  readonly windows: ShareWindow[];
}

/** One window's share, as the sinks receive it. */
export interface MissingShare {
  readonly label: string;
  readonly lengthMs: number;
  /** Percent (0–100); 0 for an empty window. */
  readonly percent: number;
}

export function createWindows(specs: readonly ShareWindowSpec[], firstSeqno: number): ShareWindows {
  return {
    hi: firstSeqno,
    windows: specs.map((spec) => ({ spec, lo: firstSeqno, counted: 0, missing: 0 })),
  };
}

/**
 * Only events whose post is known to have succeeded count (a failed post is a post error,
 * never missing); of those, the ones not received are missing. A late event has arrived.
 */
function weight(state: EventState): { counted: number; missing: number } {
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
const MISSING = { counted: 1, missing: 1 };
const ARRIVED = { counted: 1, missing: 0 };
const NOT_COUNTED = { counted: 0, missing: 0 };

function add(window: ShareWindow, state: EventState, sign: 1 | -1): void {
  const w = weight(state);
  window.counted += sign * w.counted;
  window.missing += sign * w.missing;
}

/** Moves the windows to edge = now − grace. */
export function moveWindows(shares: ShareWindows, edge: number, store: EventStore): void {
  while (shares.hi < store.nextSeqno) {
    const event = eventAt(store, shares.hi);
    if (event === undefined || event.sentAt > edge) break;
    for (const window of shares.windows) add(window, event.state, 1);
    shares.hi += 1;
  }
  for (const window of shares.windows) {
    while (window.lo < shares.hi) {
      const event = eventAt(store, window.lo);
      if (event === undefined || event.sentAt > edge - window.spec.lengthMs) break;
      add(window, event.state, -1);
      window.lo += 1;
    }
  }
}

/** Keeps the counts right when an event changes state. */
export function reweigh(
  shares: ShareWindows,
  seqno: number,
  before: EventState,
  after: EventState,
): void {
  for (const window of shares.windows) {
    if (seqno >= window.lo && seqno < shares.hi) {
      add(window, before, -1);
      add(window, after, 1);
    }
  }
}

/** Takes the oldest tracked event out of every window before it is forgotten. */
export function dropOldest(shares: ShareWindows, seqno: number, state: EventState): void {
  for (const window of shares.windows) {
    if (window.lo !== seqno) continue;
    if (seqno < shares.hi) add(window, state, -1);
    window.lo += 1;
  }
  if (shares.hi === seqno) shares.hi += 1;
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
