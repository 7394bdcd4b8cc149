import {
  asyncScheduler,
  concat,
  defer,
  NEVER,
  type Observable,
  of,
  race,
  type SchedulerLike,
  throwError,
  timer,
} from 'rxjs';
import { catchError, filter, retry, take, tap } from 'rxjs/operators';
import { type BackoffOptions, backoffDelay } from './backoff';
import { type ConnectFn, ConnectionClosed, disconnectOf } from './connection';
import { listenerChange, rotating$ } from './rotation';
import type { ListenerChange, Receipt } from './socketMessages';

export interface ListenerOptions {
  readonly backoff: BackoffOptions;
  /** Replace a connection once it has been open this long (the gateway cuts at 2 hours). */
  readonly maxConnectionMs?: number;
  readonly random?: () => number;
  /**
   * Emits when the endpoint is known to be back (another listener connected): a wait for the
   * next attempt ends at once, so every listener returns with the first — once per run of
   * failures, so a gateway that accepts one connection and kicks the rest cannot have every
   * listener's connect wake all the others (their backoff would never grow).
   */
  readonly endpointBack$?: Observable<unknown>;
}

type ListenerEvent = Receipt | ListenerChange;

/**
 * One listener actor: a connection that is opened again forever after every end, waiting a
 * capped, jittered exponential backoff. The backoff restarts only once a connection has proven
 * itself — delivered a frame, or stayed up for the longest backoff — so a gateway that accepts
 * and then drops is backed off like one that refuses. Receipts are stamped with
 * `scheduler.now()` the moment the frame is handed over. The retry is inside the listener, so
 * a reconnect never resubscribes (and so resets) the tracker downstream.
 */
export function listener$(
  listenerId: number,
  connect: ConnectFn,
  nextConnectionId: () => number,
  {
    backoff,
    maxConnectionMs = Number.POSITIVE_INFINITY,
    random = Math.random,
    endpointBack$ = NEVER,
  }: ListenerOptions,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<ListenerEvent> {
  // The run of failures since a connection last proved itself: the backoff's attempt number,
  // and whether this run has been woken early once already.
  let failures = 0;
  let woken = false;
  const proven = () => {
    failures = 0;
    woken = false;
  };
  const wake$ = endpointBack$.pipe(
    filter(() => !woken),
    tap(() => {
      woken = true;
    }),
  );
  return defer(() => {
    let connectedAt: number | undefined;
    return rotating$(listenerId, connect, nextConnectionId, maxConnectionMs, scheduler).pipe(
      tap((event) => {
        if (event.kind === 'receipt') proven();
        else if (event.status === 'connected') connectedAt ??= scheduler.now();
      }),
      catchError((error: unknown) => {
        const stayedUp =
          connectedAt !== undefined && scheduler.now() - connectedAt >= backoff.maxMs;
        if (stayedUp) proven();
        const retryInMs = backoffDelay(failures, backoff, random);
        failures += 1;
        const { connectionId, disconnect } =
          error instanceof ConnectionClosed ? error : new ConnectionClosed(0, disconnectOf(error));
        return concat(
          of(listenerChange(listenerId, connectionId, 'disconnected', { disconnect, retryInMs })),
          throwError(() => new RetryAfter(retryInMs)),
        );
      }),
    );
  }).pipe(
    retry({
      delay: (error: RetryAfter) => race(timer(error.delayMs, scheduler), wake$).pipe(take(1)),
    }),
  );
}

class RetryAfter extends Error {
  constructor(readonly delayMs: number) {
    super(`retry in ${delayMs} ms`);
  }
}
