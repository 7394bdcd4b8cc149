import type { EventState } from './tracker';

/**
 * The missing-share windows. Window w holds the events sent in (edge − length, edge], where
 * edge = now − grace. Send times grow with seqno, so each window is a run of seqnos
 * [lo, hi): `hi` (shared) moves as events age past the grace, each `lo` as they age out of
 * the window. Running counts are kept per window and corrected when an event inside one
 * changes state, so no step ever scans the events.
 */
export interface ShareWindow {
  readonly lengthMs: number;
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

interface Windowed {
  readonly sentAt: number;
  readonly state: EventState;
}

type Lookup = (seqno: number) => Windowed | undefined;

export function createWindows(lengthsMs: readonly number[], firstSeqno: number): ShareWindows {
  return {
    hi: firstSeqno,
    windows: lengthsMs.map((lengthMs) => ({ lengthMs, lo: firstSeqno, counted: 0, missing: 0 })),
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
export function moveWindows(
  shares: ShareWindows,
  edge: number,
  nextSeqno: number,
  eventAt: Lookup,
): void {
  while (shares.hi < nextSeqno) {
    const event = eventAt(shares.hi);
    if (event === undefined || event.sentAt > edge) break;
    for (const window of shares.windows) add(window, event.state, 1);
    shares.hi += 1;
  }
  for (const window of shares.windows) {
    while (window.lo < shares.hi) {
      const event = eventAt(window.lo);
      if (event === undefined || event.sentAt > edge - window.lengthMs) break;
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
