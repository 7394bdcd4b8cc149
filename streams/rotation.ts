import { concat, Observable, type SchedulerLike, type Subscription, throwError } from 'rxjs';
import {
  COMPLETED,
  type ConnectFn,
  ConnectionClosed,
  ConnectionEnded,
  disconnectOf,
} from './connection';
import type { ListenerChange, Receipt } from './socketMessages';

type ListenerEvent = Receipt | ListenerChange;

/** A listener change; `extra` says why or what came with it. */
export const listenerChange = (
  listenerId: number,
  connectionId: number,
  status: ListenerChange['status'],
  extra: Partial<ListenerChange> = {},
): ListenerChange => ({ kind: 'listener', listenerId, connectionId, status, ...extra });

/**
 * One logical connection that replaces itself make-before-break: once it has been open for
 * `maxConnectionMs`, a successor is opened beside it, and only when the successor is open is
 * the old one closed. Both deliver meanwhile (the tracker ignores the second copy), so no event
 * is missed at a rotation. A successor that fails leaves the old connection in place and is
 * tried again after a tenth of `maxConnectionMs`. The stream errors with `ConnectionClosed`
 * (which connection, and why) when the current connection ends.
 *
 * Written as one stateful subscriber rather than composed operators: a successor composed
 * inside its predecessor's `switchMap` would nest one level deeper at every rotation, for as
 * long as the process runs.
 */
export function rotating$(
  listenerId: number,
  connect: ConnectFn,
  nextConnectionId: () => number,
  maxConnectionMs: number,
  scheduler: SchedulerLike,
): Observable<ListenerEvent> {
  return new Observable<ListenerEvent>((subscriber) => {
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
        subscriber.next(listenerChange(listenerId, connection.id, 'connecting'));
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
              successor = undefined;
              close(old);
              rotated = true;
            }
            subscriber.next(listenerChange(listenerId, connection.id, 'connected', { rotated }));
            scheduleRotation(connection, maxConnectionMs);
            return;
          }
          subscriber.next({
            kind: 'receipt',
            listenerId,
            connectionId: connection.id,
            data: event.data,
            receivedAt: scheduler.now(),
          });
        },
        error(error: unknown) {
          close(connection);
          if (connection === current) {
            subscriber.error(new ConnectionClosed(connection.id, disconnectOf(error)));
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
}
