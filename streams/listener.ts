import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  map,
  type Observable,
  of,
  type SchedulerLike,
  throwError,
  timer,
} from 'rxjs';
import { retry } from 'rxjs/operators';
import { type BackoffOptions, backoffDelay } from './backoff';
import type { ListenerChange, Receipt } from './messages';

/** What a subscription connection reports: opened, then text frames. */
export type SocketEvent =
  | { readonly type: 'open' }
  | { readonly type: 'message'; readonly data: string };

/**
 * Opens one subscription connection. The stream errors when the connection ends for any
 * reason (refused, dropped, closed by the server), with a message saying why; it completes
 * only when unsubscribed.
 */
export type ConnectFn = (listenerId: number) => Observable<SocketEvent>;

export interface ListenerOptions {
  readonly backoff: BackoffOptions;
  readonly random?: () => number;
}

/**
 * One listener actor: a connection that is opened again forever after every end, waiting a
 * capped, jittered exponential backoff that restarts once a connection has opened. Receipts
 * are stamped with `scheduler.now()` the moment the frame is handed over. The retry is inside
 * the listener, so a reconnect never resubscribes (and so resets) the tracker downstream.
 */
export function listener$(
  listenerId: number,
  connect: ConnectFn,
  nextConnectionId: () => number,
  { backoff, random = Math.random }: ListenerOptions,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<Receipt | ListenerChange> {
  let failures = 0;
  return defer(() => {
    const connectionId = nextConnectionId();
    const change = (status: ListenerChange['status'], extra: Partial<ListenerChange> = {}) =>
      ({ kind: 'listener', listenerId, connectionId, status, ...extra }) as ListenerChange;
    const events$ = concat(
      connect(listenerId),
      throwError(() => new Error('connection completed')),
    ).pipe(
      map((event): Receipt | ListenerChange => {
        if (event.type === 'open') {
          failures = 0;
          return change('connected');
        }
        return {
          kind: 'receipt',
          listenerId,
          connectionId,
          data: event.data,
          receivedAt: scheduler.now(),
        };
      }),
      catchError((error: unknown) => {
        const retryInMs = backoffDelay(failures, backoff, random);
        failures += 1;
        const reason =
          error instanceof Error ? error.message || 'connection closed' : String(error);
        return concat(
          of(change('disconnected', { reason, retryInMs })),
          throwError(() => new RetryAfter(retryInMs)),
        );
      }),
    );
    return concat(of(change('connecting')), events$);
  }).pipe(retry({ delay: (error: RetryAfter) => timer(error.delayMs, scheduler) }));
}

class RetryAfter extends Error {
  constructor(readonly delayMs: number) {
    super(`retry in ${delayMs} ms`);
  }
}
