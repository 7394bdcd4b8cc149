import {
  asyncScheduler,
  interval,
  map,
  merge,
  type Observable,
  type SchedulerLike,
  share,
  timer,
} from 'rxjs';
import { switchMap } from 'rxjs/operators';
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
  const listenerOptions = { backoff: options.reconnectBackoff, random };

  const outcome$ = postSchedule$(options.postIntervalMs, scheduler).pipe(
    postEvents(post, options.maxPostsInFlight, scheduler),
  );
  const listener$s = Array.from({ length: options.listeners }, (_, id) =>
    timer(id * options.listenerStaggerMs, scheduler).pipe(
      switchMap(() => listener$(id, connect, nextConnectionId, listenerOptions, scheduler)),
    ),
  );
  const tick$ = interval(options.tickMs, scheduler).pipe(map((): Tick => ({ kind: 'tick' })));
  const clean$ = interval(options.cleanIntervalMs, scheduler).pipe(
    map((): Clean => ({ kind: 'clean' })),
  );

  return merge(outcome$, ...listener$s, tick$, clean$).pipe(track(options, scheduler), share());
}
