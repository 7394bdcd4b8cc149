import { keepBooks, type Totals } from './books';

export type { Totals } from './books';

import type { Effect } from './effects';
import {
  createEventStore,
  type EventState,
  type EventStore,
  type TrackedEvent,
} from './eventStore';
import type { ListenerView } from './listenerView';
import { MALFORMED_REASONS, type MalformedReason } from './parsedFrame';
import {
  createWindows,
  reweigh,
  SHARE_WINDOWS,
  type ShareWindowSpec,
  type ShareWindows,
} from './shareWindows';

export interface TrackerOptions {
  /** This process's random app id: receipts carrying another are someone else's. */
  readonly appId: string;
  readonly lostTimeoutMs: number;
  readonly purgeTimeoutMs: number;
  readonly missingGraceMs: number;
  /** An event received within this long of its post is good for the SLI. */
  readonly latencyObjectiveMs: number;
  /** The missing-share windows; the fixed 1m/3m/10m ones unless a test wants others. */
  readonly shareWindows?: readonly ShareWindowSpec[];
}

/**
 * The tracker's state: the event store plus the books and the views the rules keep. It is
 * mutated in place, never copied: copying would make each step cost as much as the events
 * tracked.
 */
export interface TrackerState extends EventStore {
  readonly options: TrackerOptions;
  /** Events with seqno below this have been checked for the lost timeout. */
  lostCursor: number;
  /** Events with seqno below this have been checked for the latency objective. */
  objectiveCursor: number;
  /** Events in state `posted`: neither received nor lost (see `books.ts`). */
  eventsInFlight: number;
  windows: ShareWindows;
  totals: Totals;
  /** Posts running now, as the poster counted them with its latest outcome. */
  postsRunning: number;
  latestLatencyMs?: number;
  receiptCount: number;
  /** Clock time of the latest first receipt of an own event (late ones too). */
  lastReceiptAt?: number;
  highestReceivedSeqno: number;
  listeners: Map<number, ListenerView>;
  /** The app id of the latest foreign event (untrusted text from the wire, truncated). */
  lastForeignAppId?: string;
  /** Seqnos purged while their post was still running (at most the posts in progress). */
  purgedWhilePosting: Set<number>;
  /** Recently seen foreign events (app id and seqno) and the connections that saw them. */
  foreign: Map<string, number[]>;
  /** Clock time of the last successful post, or undefined. */
  lastPostOkAt?: number;
  /** Clock time the drain began (posting stopped, listening on), or undefined while running. */
  drainingSince?: number;
  /** The drain is over: every event settled, or its deadline passed (see `drain.ts`). */
  drainEnded?: boolean;
}

export function createTrackerState(options: TrackerOptions): TrackerState {
  return {
    ...createEventStore(),
    options,
    lostCursor: 1,
    objectiveCursor: 1,
    eventsInFlight: 0,
    windows: createWindows(options.shareWindows ?? SHARE_WINDOWS, 1),
    totals: {
      posted: 0,
      received: 0,
      lost: 0,
      late: 0,
      postErrors: 0,
      drained: 0,
      siblings: 0,
      duplicates: 0,
      wrongAppId: 0,
      unknownSeqno: 0,
      malformed: Object.fromEntries(MALFORMED_REASONS.map((reason) => [reason, 0])) as Record<
        MalformedReason,
        number
      >,
      outOfOrder: 0,
      purged: 0,
      internalErrors: 0,
      retries: 0,
      withinObjective: 0,
      settled: 0,
    },
    postsRunning: 0,
    receiptCount: 0,
    highestReceivedSeqno: 0,
    listeners: new Map(),
    foreign: new Map(),
    purgedWhilePosting: new Set(),
  };
}

/** Events posted and neither received nor lost yet: posted = received + lost + in flight. */
export function inFlight(state: TrackerState): number {
  return state.eventsInFlight;
}

/** Every change of an event's state goes through here, so the windows and books stay right. */
export function setEventState(state: TrackerState, event: TrackedEvent, next: EventState): void {
  const before = event.state;
  event.state = next;
  stateChanged(state, event.seqno, before, next);
}

/** An event's state changed (maybe one already forgotten): the windows and the books follow. */
export function stateChanged(
  state: TrackerState,
  seqno: number,
  before: EventState,
  next: EventState,
): void {
  reweigh(state.windows, seqno, before, next);
  keepBooks(state, before, next);
}

/** A rule met an input that cannot happen without a bug: counted, told, and survived. */
export function internalError(state: TrackerState, error: string, effects: Effect[]): void {
  state.totals.internalErrors += 1;
  effects.push({ kind: 'internal-error', error });
}
