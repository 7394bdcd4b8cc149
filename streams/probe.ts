import {
  asyncScheduler,
  interval,
  map,
  merge,
  type Observable,
  race,
  type SchedulerLike,
  share,
  timer,
} from 'rxjs';
import { filter, switchMap, take } from 'rxjs/operators';
import type { BackoffOptions } from './backoff';
import { type ConnectFn, listener$ } from './listener';
import type { Clean, Tick } from './messages';
import { type PostFn, postEvents } from './posting';
import { postSchedule$ } from './schedule';
import { type TrackerOptions, type TrackerStep, track } from './tracker';

export interface ProbeOptions extends TrackerOptions {
  readonly postIntervalMs: number;
  readonly cleanIntervalMs: number;
  /** How often the missing-share windows move when nothing else happens. */
  readonly tickMs: number;
  readonly listeners: number;
  /** Listener i opens its first connection i × this after the start. */
  readonly listenerStaggerMs: number;
  readonly reconnectBackoff: BackoffOptions;
  readonly maxPostsInFlight: number;
  /**
   * Posting starts when the first listener is connected, or after this long: an event posted
   * while nobody listens can never arrive, and would read as lost.
   */
  readonly maxWaitForListenerMs: number;
  /** Listeners replace a connection, make-before-break, once it is this old. */
  readonly maxConnectionMs?: number;
}

export interface ProbeDependencies {
  readonly post: PostFn;
  readonly connect: ConnectFn;
  readonly random?: () => number;
}

/**
 * The whole probe as one stream: schedule → poster, listeners and clock ticks, merged into the
 * tracker. All I/O comes in through `dependencies`; all time through `scheduler`. Shared, so
 * every sink sees the same steps from one run.
 */
export function probe$(
  options: ProbeOptions,
  { post, connect, random }: ProbeDependencies,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<TrackerStep> {
  let connectionIds = 0;
  const nextConnectionId = () => ++connectionIds;
  const listenerOptions = {
    backoff: options.reconnectBackoff,
    maxConnectionMs: options.maxConnectionMs,
    random,
  };

  const listenerEvent$ = merge(
    ...Array.from({ length: options.listeners }, (_, id) =>
      timer(id * options.listenerStaggerMs, scheduler).pipe(
        switchMap(() => listener$(id, connect, nextConnectionId, listenerOptions, scheduler)),
      ),
    ),
  ).pipe(share());
  const firstConnected$ = listenerEvent$.pipe(
    filter((event) => event.kind === 'listener' && event.status === 'connected'),
  );
  const outcome$ = race(firstConnected$, timer(options.maxWaitForListenerMs, scheduler)).pipe(
    take(1),
    switchMap(() => postSchedule$(options.postIntervalMs, scheduler)),
    postEvents(post, options.maxPostsInFlight, scheduler),
  );
  const tick$ = interval(options.tickMs, scheduler).pipe(map((): Tick => ({ kind: 'tick' })));
  const clean$ = interval(options.cleanIntervalMs, scheduler).pipe(
    map((): Clean => ({ kind: 'clean' })),
  );

  // The tracker subscribes to the listeners first, so it sees every listener change.
  return merge(listenerEvent$, outcome$, tick$, clean$).pipe(track(options, scheduler), share());
}
