import {
  asyncScheduler,
  concat,
  interval,
  map,
  merge,
  NEVER,
  type Observable,
  of,
  race,
  type SchedulerLike,
  Subject,
  share,
  shareReplay,
  tap,
  timer,
} from 'rxjs';
import { filter, switchMap, take, takeUntil, takeWhile } from 'rxjs/operators';
import type { ConnectFn } from './connection';
import { listener$ } from './listener';
import type { Clean, DrainDeadline, DrainStarted, Tick } from './messages';
import { type PostFn, postEvents } from './posting';
import { postSchedule$ } from './schedule';
import { type TrackerStep, track } from './tracker';
import type { TrackerOptions } from './trackerState';

const TICK: Tick = { kind: 'tick' };
const DRAIN_STARTED: DrainStarted = { kind: 'drain-started' };
const DRAIN_DEADLINE: DrainDeadline = { kind: 'drain-deadline' };

export interface ProbeOptions {
  readonly tracker: TrackerOptions & {
    /** How often lost marking and purging run. */
    readonly cleanIntervalMs: number;
  };
  readonly posting: {
    readonly intervalMs: number;
    readonly maxInFlight: number;
  };
  readonly subscription: {
    readonly listeners: number;
    /** Listener i opens its first connection i × this after the start. */
    readonly listenerStaggerMs: number;
    readonly reconnectMinMs: number;
    readonly reconnectMaxMs: number;
    /**
     * Posting starts when the first listener is connected, or after this long: an event posted
     * while nobody listens can never arrive, and would read as lost.
     */
    readonly connectTimeoutMs: number;
    /** Listeners replace a connection, make-before-break, once it is this old. */
    readonly maxConnectionMs?: number;
  };
  /** How often the missing-share windows move when nothing else happens. */
  readonly tickMs: number;
  /** How long a drain listens for the events in flight before it ends them drained. */
  readonly drainMs?: number;
}

export interface ProbeDependencies {
  readonly post: PostFn;
  readonly connect: ConnectFn;
  readonly random?: () => number;
  /**
   * How long from now until this target's slot (see `phase.ts`), read when posting begins; the
   * schedule then runs from there. Without it, posting begins at once.
   */
  readonly slotDelayMs?: () => number;
  /**
   * A clock tick shared with other pipelines (one timer for a process of many targets, not
   * one each); without it, the probe ticks every `tickMs` on its own.
   */
  readonly tick$?: Observable<unknown>;
  /**
   * Its first value starts the drain (see `drain.ts`): posting stops, listening goes on, and
   * the stream completes once every event in flight settled or `drainMs` passed. Without it the
   * probe runs until unsubscribed.
   */
  readonly drain$?: Observable<unknown>;
}

/**
 * The whole probe as one stream: schedule → poster, listeners and clock ticks, merged into the
 * tracker. All I/O comes in through `dependencies`; all time through `scheduler`. Shared, so
 * every sink sees the same steps from one run. Completes when a drain ends.
 */
export function probe$(
  { tracker, posting, subscription, tickMs, drainMs = 0 }: ProbeOptions,
  { post, connect, random, slotDelayMs, tick$: sharedTick$, drain$ }: ProbeDependencies,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<TrackerStep> {
  let connectionIds = 0;
  const nextConnectionId = () => ++connectionIds;
  // A listener that connects tells the others waiting to reconnect that the endpoint is back.
  const endpointBack$ = new Subject<void>();
  const listenerOptions = {
    backoff: { initialMs: subscription.reconnectMinMs, maxMs: subscription.reconnectMaxMs },
    maxConnectionMs: subscription.maxConnectionMs,
    random,
    endpointBack$,
  };

  const listenerEvent$ = merge(
    ...Array.from({ length: subscription.listeners }, (_, id) =>
      timer(id * subscription.listenerStaggerMs, scheduler).pipe(
        switchMap(() => listener$(id, connect, nextConnectionId, listenerOptions, scheduler)),
      ),
    ),
  ).pipe(
    tap((event) => {
      if (event.kind === 'listener' && event.status === 'connected') endpointBack$.next();
    }),
    share(),
  );
  const firstConnected$ = listenerEvent$.pipe(
    filter((event) => event.kind === 'listener' && event.status === 'connected'),
  );
  const drainStart$ = (drain$ ?? NEVER).pipe(
    take(1),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
  // The schedule stops at the drain; posts already running still end in their outcome.
  const outcome$ = race(firstConnected$, timer(subscription.connectTimeoutMs, scheduler)).pipe(
    take(1),
    switchMap(() => postSchedule$(posting.intervalMs, scheduler, slotDelayMs?.() ?? 0)),
    takeUntil(drainStart$),
    postEvents(post, posting.maxInFlight, scheduler),
  );
  const drainInput$ = drainStart$.pipe(
    switchMap(() =>
      concat(of(DRAIN_STARTED), timer(drainMs, scheduler).pipe(map(() => DRAIN_DEADLINE))),
    ),
  );
  const tick$ = (sharedTick$ ?? interval(tickMs, scheduler)).pipe(map((): Tick => TICK));
  const clean$ = interval(tracker.cleanIntervalMs, scheduler).pipe(
    map((): Clean => ({ kind: 'clean' })),
  );

  // The tracker subscribes to the listeners first, so it sees every listener change.
  return merge(listenerEvent$, outcome$, tick$, clean$, drainInput$).pipe(
    track(tracker, scheduler),
    takeWhile((step) => !step.state.drainEnded, true),
    share(),
  );
}
