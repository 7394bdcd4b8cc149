import {
  asyncScheduler,
  concat,
  defer,
  Observable,
  of,
  type SchedulerLike,
  type Subscription,
  throwError,
  timer,
} from 'rxjs';
import { catchError, retry, tap } from 'rxjs/operators';
import { type BackoffOptions, backoffDelay } from './backoff';
import type { Disconnect, ListenerChange, Receipt, SocketEvent } from './messages';

/**
 * Opens one subscription connection. The stream errors when the connection ends for any
 * reason (refused, dropped, closed by the server), with a `ConnectionEnded` that says why; it
 * completes only when unsubscribed.
 */
export type ConnectFn = (listenerId: number) => Observable<SocketEvent>;

/** The error a connection's stream ends with: why, decided where the socket closed. */
export class ConnectionEnded extends Error {
  constructor(readonly disconnect: Disconnect) {
    super(disconnect.detail);
  }
}

/** Why a connection ended, from whatever its stream errored with. */
export function disconnectOf(error: unknown): Disconnect {
  if (error instanceof ConnectionEnded) return error.disconnect;
  return { cause: 'other', detail: error instanceof Error ? error.message : 'connection failed' };
}

const COMPLETED: Disconnect = { cause: 'completed', detail: 'connection completed' };

export interface ListenerOptions {
  readonly backoff: BackoffOptions;
  /** Replace a connection once it has been open this long (the gateway cuts at 2 hours). */
  readonly maxConnectionMs?: number;
  readonly random?: () => number;
}

type ListenerEvent = Receipt | ListenerChange;

const change = (
  listenerId: number,
  connectionId: number,
  status: ListenerChange['status'],
  extra: Partial<ListenerChange> = {},
): ListenerChange => ({ kind: 'listener', listenerId, connectionId, status, ...extra });

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
  { backoff, maxConnectionMs = Number.POSITIVE_INFINITY, random = Math.random }: ListenerOptions,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<ListenerEvent> {
  let failures = 0;
  return defer(() => {
    const connection = rotating$(listenerId, connect, nextConnectionId, maxConnectionMs, scheduler);
    return connection.events$.pipe(
      tap((event) => {
        if (event.kind === 'listener' && event.status === 'connected') failures = 0;
      }),
      catchError((error: unknown) => {
        const retryInMs = backoffDelay(failures, backoff, random);
        failures += 1;
        const disconnect = disconnectOf(error);
        return concat(
          of(change(listenerId, connection.currentId(), 'disconnected', { disconnect, retryInMs })),
          throwError(() => new RetryAfter(retryInMs)),
        );
      }),
    );
  }).pipe(retry({ delay: (error: RetryAfter) => timer(error.delayMs, scheduler) }));
}

/**
 * One logical connection that replaces itself make-before-break: once it has been open for
 * `maxConnectionMs`, a successor is opened beside it, and only when the successor is open is
 * the old one closed. Both deliver meanwhile (the tracker ignores the second copy), so no event
 * is missed at a rotation. A successor that fails leaves the old connection in place and is
 * tried again after a tenth of `maxConnectionMs`. The stream errors when the current
 * connection ends.
 */
function rotating$(
  listenerId: number,
  connect: ConnectFn,
  nextConnectionId: () => number,
  maxConnectionMs: number,
  scheduler: SchedulerLike,
): { events$: Observable<ListenerEvent>; currentId: () => number } {
  let currentId = 0;
  const events$ = new Observable<ListenerEvent>((subscriber) => {
    interface Connection {
      readonly id: number;
      subscription?: Subscription;
      rotation?: Subscription;
    }
    let current: Connection | undefined;
    let successor: Connection | undefined;
    const close = (connection: Connection | undefined) => {
      connection?.subscription?.unsubscribe();
      connection?.rotation?.unsubscribe();
    };
    const scheduleRotation = (connection: Connection, afterMs: number) => {
      if (!Number.isFinite(maxConnectionMs)) return;
      connection.rotation = scheduler.schedule(() => {
        if (connection === current && successor === undefined) open();
      }, afterMs);
    };
    const open = () => {
      const connection: Connection = { id: nextConnectionId() };
      if (current === undefined) {
        current = connection;
        currentId = connection.id;
        subscriber.next(change(listenerId, connection.id, 'connecting'));
      } else {
        successor = connection;
      }
      connection.subscription = concat(
        connect(listenerId),
        throwError(() => new ConnectionEnded(COMPLETED)),
      ).subscribe({
        next(event) {
          if (event.kind === 'open') {
            let rotated: true | undefined;
            if (connection === successor) {
              const old = current;
              current = connection;
              currentId = connection.id;
              successor = undefined;
              close(old);
              rotated = true;
            }
            subscriber.next(change(listenerId, connection.id, 'connected', { rotated }));
            scheduleRotation(connection, maxConnectionMs);
            return;
          }
          subscriber.next({
            kind: 'receipt',
            listenerId,
            connectionId: connection.id,
            data: event.kind === 'message' ? event.data : '',
            binary: event.kind === 'binary' || undefined,
            receivedAt: scheduler.now(),
          });
        },
        error(error: unknown) {
          close(connection);
          if (connection === current) {
            subscriber.error(error);
          } else if (connection === successor && current !== undefined) {
            successor = undefined;
            scheduleRotation(current, maxConnectionMs / 10);
          }
        },
      });
    };
    open();
    return () => {
      close(successor);
      close(current);
    };
  });
  return { events$, currentId: () => currentId };
}

class RetryAfter extends Error {
  constructor(readonly delayMs: number) {
    super(`retry in ${delayMs} ms`);
  }
}
