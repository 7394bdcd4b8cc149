import {
  asyncScheduler,
  defer,
  type Observable,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { map } from 'rxjs/operators';
import type {
  ListenerChange,
  ListenerStatus,
  PostFailed,
  PostSucceeded,
  Receipt,
  TrackerInput,
} from './messages';
import { type MalformedReason, type ParsedFrame, parseFrame } from './parse';
import { createWindows, dropOldest, moveWindows, reweigh, type ShareWindows } from './windows';

export interface TrackerOptions {
  /** This process's random app id: receipts carrying another are someone else's. */
  readonly appId: string;
  readonly lostTimeoutMs: number;
  readonly purgeTimeoutMs: number;
  readonly missingGraceMs: number;
  /** Window lengths for the missing shares, e.g. [60_000, 180_000, 600_000]. */
  readonly windowsMs: readonly number[];
}

/**
 * Where an event stands. `posting`: the post has left, no answer and no receipt yet.
 * `late`: received after it was marked lost (stays lost in the books).
 */
export type EventState = 'posting' | 'posted' | 'received' | 'lost' | 'late' | 'failed';

export interface TrackedEvent {
  readonly seqno: number;
  readonly sentAt: number;
  state: EventState;
  latencyMs?: number;
  /** Position among this probe's first receipts (1, 2, …): shows reordering. */
  receiptOrder?: number;
  /**
   * Pairs (connection id, copies delivered on it), set at the first receipt; a second copy on
   * one connection is a duplicate. One small exact-size array: most events never need more.
   */
  deliveries?: number[];
  /** Duplicates counted for this event: the most extra copies on any one connection. */
  duplicates?: number;
  postError?: string;
}

export interface Totals {
  posted: number;
  received: number;
  lost: number;
  late: number;
  postErrors: number;
  duplicates: number;
  wrongAppId: number;
  unknownSeqno: number;
  malformed: number;
  outOfOrder: number;
  purged: number;
  internalErrors: number;
}

export interface ListenerView {
  status: ListenerStatus;
  connectionId: number;
  reason?: string;
  connects: number;
  disconnects: number;
  /** Clock time of the last status change. */
  since: number;
}

/**
 * The tracker's state. It is mutated in place, never copied: copying would make each step cost
 * as much as the events tracked. Events are kept in seqno order (seqnos are consecutive and
 * their send times sorted), so lookup by seqno is an index and every timeout is a cursor that
 * only moves forward.
 */
export interface TrackerState {
  readonly options: TrackerOptions;
  /** events[head + i] holds seqno firstSeqno + i. */
  events: TrackedEvent[];
  head: number;
  firstSeqno: number;
  /** Seqno the next post-started must carry. */
  nextSeqno: number;
  /** Events with seqno below this have been checked for the lost timeout. */
  lostCursor: number;
  windows: ShareWindows;
  totals: Totals;
  postsInProgress: number;
  latestLatencyMs?: number;
  receiptCount: number;
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
}

/** What one step did that a sink may want to tell (count, log, observe). */
export type Effect =
  | {
      /** A post was answered (every post once, whether it counts or not). */
      readonly type: 'post-done';
      readonly seqno: number;
      readonly ok: boolean;
      readonly durationMs: number;
      readonly retries: number;
    }
  | { readonly type: 'posted'; readonly seqno: number }
  | {
      readonly type: 'post-error';
      readonly seqno: number;
      readonly retries: number;
      readonly error: string;
    }
  | {
      readonly type: 'received';
      readonly seqno: number;
      readonly latencyMs: number;
      readonly listenerId: number;
      readonly outOfOrder: boolean;
    }
  | {
      readonly type: 'late';
      readonly seqno: number;
      readonly latencyMs: number;
      readonly listenerId: number;
    }
  | { readonly type: 'duplicate'; readonly seqno: number; readonly listenerId: number }
  | { readonly type: 'wrong-app-id'; readonly appId: string; readonly listenerId: number }
  | { readonly type: 'unknown-seqno'; readonly seqno: number; readonly listenerId: number }
  | {
      readonly type: 'malformed';
      readonly reason: MalformedReason;
      readonly sample: string;
      readonly listenerId: number;
    }
  | { readonly type: 'lost'; readonly seqnos: readonly number[] }
  | { readonly type: 'purged'; readonly count: number }
  | { readonly type: 'listener'; readonly change: ListenerChange }
  | { readonly type: 'internal-error'; readonly error: string };

export interface TrackerStep {
  readonly state: TrackerState;
  readonly effects: readonly Effect[];
}

const NO_EFFECTS: readonly Effect[] = [];
const SAMPLE_CHARS = 120;

export function createTrackerState(options: TrackerOptions): TrackerState {
  return {
    options,
    events: [],
    head: 0,
    firstSeqno: 1,
    nextSeqno: 1,
    lostCursor: 1,
    windows: createWindows(options.windowsMs, 1),
    totals: {
      posted: 0,
      received: 0,
      lost: 0,
      late: 0,
      postErrors: 0,
      duplicates: 0,
      wrongAppId: 0,
      unknownSeqno: 0,
      malformed: 0,
      outOfOrder: 0,
      purged: 0,
      internalErrors: 0,
    },
    postsInProgress: 0,
    receiptCount: 0,
    highestReceivedSeqno: 0,
    listeners: new Map(),
    foreign: new Map(),
    purgedWhilePosting: new Set(),
  };
}

/** The event with this seqno, if it is still tracked. */
export function eventAt(state: TrackerState, seqno: number): TrackedEvent | undefined {
  if (seqno < state.firstSeqno || seqno >= state.nextSeqno) return undefined;
  return state.events[state.head + seqno - state.firstSeqno];
}

export function trackedCount(state: TrackerState): number {
  return state.nextSeqno - state.firstSeqno;
}

/** Events posted and neither received nor lost yet: posted = received + lost + in flight. */
export function inFlight(state: TrackerState): number {
  const { posted, received, lost } = state.totals;
  return posted - received - lost;
}

export function connectedListeners(state: TrackerState): number {
  let connected = 0;
  for (const listener of state.listeners.values()) if (listener.status === 'connected') connected++;
  return connected;
}

/**
 * Applies one input at clock time `now` and says what happened. Cost per call is O(1)
 * amortised: each event enters and leaves each window once and passes each cursor once.
 */
export function step(state: TrackerState, input: TrackerInput, now: number): readonly Effect[] {
  const effects: Effect[] = [];
  switch (input.kind) {
    case 'post-started':
      onPostStarted(state, input.seqno, now, effects);
      break;
    case 'post-succeeded':
    case 'post-failed':
      onPostAnswer(state, input, now, effects);
      break;
    case 'receipt':
      onReceipt(state, input, effects);
      break;
    case 'listener':
      onListener(state, input, now, effects);
      break;
    case 'clean':
      markLost(state, now, effects);
      purge(state, now, effects);
      break;
    case 'tick':
      break;
  }
  advanceWindows(state, now);
  return effects.length === 0 ? NO_EFFECTS : effects;
}

function onPostStarted(state: TrackerState, seqno: number, now: number, effects: Effect[]): void {
  // The schedule numbers posts 1, 2, 3, … and each post starts in order; anything else is a bug.
  if (seqno !== state.nextSeqno) {
    internalError(state, `post-started for seqno ${seqno}, expected ${state.nextSeqno}`, effects);
    return;
  }
  state.events.push({
    seqno,
    sentAt: now,
    state: 'posting',
  });
  state.nextSeqno += 1;
  state.postsInProgress += 1;
}

/**
 * A post was answered. A receipt may have come first (the collector took it, whatever the
 * answer says), and an answer may come after the lost deadline passed the event, or after it
 * was purged: then it is lost at once.
 */
function onPostAnswer(
  state: TrackerState,
  answer: PostSucceeded | PostFailed,
  now: number,
  effects: Effect[],
): void {
  const { seqno, durationMs, retries } = answer;
  const ok = answer.kind === 'post-succeeded';
  effects.push({ type: 'post-done', seqno, ok, durationMs, retries });
  if (ok) state.lastPostOkAt = now;
  const event = eventAt(state, seqno);
  // Settled already (a receipt came first), or not a post we wait for.
  if (event ? event.state !== 'posting' : !state.purgedWhilePosting.delete(seqno)) return;
  state.postsInProgress -= 1;
  if (answer.kind === 'post-failed') {
    state.totals.postErrors += 1;
    effects.push({ type: 'post-error', seqno, retries, error: answer.error });
    if (event) {
      event.postError = answer.error;
      setState(state, event, 'failed');
    }
    return;
  }
  state.totals.posted += 1;
  effects.push({ type: 'posted', seqno });
  if (seqno < state.lostCursor) {
    if (event) setState(state, event, 'lost');
    state.totals.lost += 1;
    effects.push({ type: 'lost', seqnos: [seqno] });
  } else if (event) {
    setState(state, event, 'posted');
  }
}

function onReceipt(state: TrackerState, receipt: Receipt, effects: Effect[]): void {
  const { listenerId } = receipt;
  const frame: ParsedFrame = receipt.binary
    ? { ok: false, reason: 'binary' }
    : parseFrame(receipt.data);
  if (!frame.ok) {
    state.totals.malformed += 1;
    effects.push({
      type: 'malformed',
      reason: frame.reason,
      sample: receipt.data.slice(0, SAMPLE_CHARS),
      listenerId,
    });
    return;
  }
  if (frame.appId !== state.options.appId) {
    // Every listener gets a foreign event too: count it once, like our own.
    if (!firstSighting(state.foreign, `${frame.appId} ${frame.seqno}`, receipt.connectionId))
      return;
    state.totals.wrongAppId += 1;
    state.lastForeignAppId = frame.appId.slice(0, SAMPLE_CHARS);
    effects.push({ type: 'wrong-app-id', appId: state.lastForeignAppId, listenerId });
    return;
  }
  const event = eventAt(state, frame.seqno);
  if (event === undefined) {
    state.totals.unknownSeqno += 1;
    effects.push({ type: 'unknown-seqno', seqno: frame.seqno, listenerId });
    return;
  }
  const deliveries = event.deliveries;
  if (deliveries !== undefined) {
    for (let i = 0; i < deliveries.length; i += 2) {
      if (deliveries[i] !== receipt.connectionId) continue;
      // A copy again on one connection is a duplicate. Counted as copies the pipeline sent
      // too many, not per listener: with two listeners a doubled event arrives twice on each
      // connection, and is one duplicate.
      deliveries[i + 1] += 1;
      if (deliveries[i + 1] - 1 > (event.duplicates ?? 0)) {
        event.duplicates = (event.duplicates ?? 0) + 1;
        state.totals.duplicates += 1;
        effects.push({ type: 'duplicate', seqno: event.seqno, listenerId });
      }
      return;
    }
    // Another listener got it first: expected, not a duplicate.
    deliveries.push(receipt.connectionId, 1);
    return;
  }
  event.deliveries = [receipt.connectionId, 1];

  const latencyMs = receipt.receivedAt - event.sentAt;
  event.latencyMs = latencyMs;
  state.receiptCount += 1;
  event.receiptOrder = state.receiptCount;
  if (event.state === 'lost') {
    state.totals.late += 1;
    setState(state, event, 'late');
    effects.push({ type: 'late', seqno: event.seqno, latencyMs, listenerId });
    return;
  }
  if (event.state === 'posting' || event.state === 'failed') {
    // A receipt proves the collector took the post, whatever the HTTP answer said or will say.
    if (event.state === 'posting') state.postsInProgress -= 1;
    state.totals.posted += 1;
    effects.push({ type: 'posted', seqno: event.seqno });
  }
  const outOfOrder = event.seqno < state.highestReceivedSeqno;
  if (outOfOrder) state.totals.outOfOrder += 1;
  else state.highestReceivedSeqno = event.seqno;
  state.totals.received += 1;
  state.latestLatencyMs = latencyMs;
  setState(state, event, 'received');
  effects.push({ type: 'received', seqno: event.seqno, latencyMs, listenerId, outOfOrder });
}

function onListener(
  state: TrackerState,
  change: ListenerChange,
  now: number,
  effects: Effect[],
): void {
  const previous = state.listeners.get(change.listenerId);
  const view: ListenerView = previous ?? {
    status: change.status,
    connectionId: change.connectionId,
    connects: 0,
    disconnects: 0,
    since: now,
  };
  if (change.status === 'connected') view.connects += 1;
  if (change.status === 'disconnected') view.disconnects += 1;
  view.status = change.status;
  view.connectionId = change.connectionId;
  view.reason = change.reason;
  view.since = now;
  state.listeners.set(change.listenerId, view);
  effects.push({ type: 'listener', change });
}

const FOREIGN_REMEMBERED = 1024;

/**
 * True unless this key was already seen on another connection (a copy for another listener).
 * A copy on the same connection counts again. Bounded: the oldest key is forgotten first.
 */
function firstSighting(seen: Map<string, number[]>, key: string, connectionId: number): boolean {
  const connections = seen.get(key);
  if (connections === undefined) {
    if (seen.size >= FOREIGN_REMEMBERED) seen.delete(seen.keys().next().value as string);
    seen.set(key, [connectionId]);
    return true;
  }
  if (connections.includes(connectionId)) return true;
  connections.push(connectionId);
  return false;
}

/** Every posted event whose lost deadline has passed and that was not received is lost. */
function markLost(state: TrackerState, now: number, effects: Effect[]): void {
  const deadline = now - state.options.lostTimeoutMs;
  const lost: number[] = [];
  while (state.lostCursor < state.nextSeqno) {
    const event = eventAt(state, state.lostCursor) as TrackedEvent; // cursor ≥ firstSeqno
    if (event.sentAt > deadline) break;
    if (event.state === 'posted') {
      setState(state, event, 'lost');
      lost.push(event.seqno);
    }
    state.lostCursor += 1;
  }
  if (lost.length > 0) {
    state.totals.lost += lost.length;
    effects.push({ type: 'lost', seqnos: lost });
  }
}

/** Forgets events older than the purge timeout, taking them out of every window first. */
function purge(state: TrackerState, now: number, effects: Effect[]): void {
  const deadline = now - state.options.purgeTimeoutMs;
  let count = 0;
  while (state.firstSeqno < state.nextSeqno) {
    const event = state.events[state.head];
    if (event.sentAt > deadline) break;
    dropOldest(state.windows, state.firstSeqno, event.state);
    if (event.state === 'posting') state.purgedWhilePosting.add(event.seqno);
    state.events[state.head] = undefined as unknown as TrackedEvent; // let it be collected
    state.head += 1;
    state.firstSeqno += 1;
    count += 1;
  }
  if (state.lostCursor < state.firstSeqno) state.lostCursor = state.firstSeqno;
  // Drop the purged prefix now and then: amortised O(1), and the array never holds more
  // than twice what is tracked.
  if (state.head > 1024 && state.head * 2 > state.events.length) {
    state.events = state.events.slice(state.head);
    state.head = 0;
  }
  if (count > 0) {
    state.totals.purged += count;
    effects.push({ type: 'purged', count });
  }
}

function advanceWindows(state: TrackerState, now: number): void {
  moveWindows(state.windows, now - state.options.missingGraceMs, state.nextSeqno, (seqno) =>
    eventAt(state, seqno),
  );
}

function setState(state: TrackerState, event: TrackedEvent, next: EventState): void {
  const before = event.state;
  event.state = next;
  reweigh(state.windows, event.seqno, before, next);
}

function internalError(state: TrackerState, error: string, effects: Effect[]): void {
  state.totals.internalErrors += 1;
  effects.push({ type: 'internal-error', error });
}

/**
 * The tracker actor: folds post outcomes, receipts, listener changes and ticks into one
 * state, reading time from `scheduler.now()`. A step that throws (a bug) is counted and
 * skipped, so one bad input cannot end the probe.
 */
export function track(
  options: TrackerOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<TrackerInput, TrackerStep> {
  return (input$: Observable<TrackerInput>) =>
    defer(() => {
      const state = createTrackerState(options);
      return input$.pipe(
        map((input): TrackerStep => {
          try {
            return { state, effects: step(state, input, scheduler.now()) };
          } catch (error) {
            const effects: Effect[] = [];
            internalError(state, String(error), effects);
            return { state, effects };
          }
        }),
      );
    });
}
