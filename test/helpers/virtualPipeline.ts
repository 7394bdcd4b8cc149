import { asyncScheduler, concat, NEVER, type Observable, of, Subject, timer } from 'rxjs';
import { map, tap } from 'rxjs/operators';
import type { PostProgress } from '../../streams/postMessages';
import type { ProbeOptions } from '../../streams/probe';
import type { SocketEvent } from '../../streams/socketMessages';

export const APP = '0a1b2c3d';
export const options: ProbeOptions = {
  tracker: {
    appId: APP,
    lostTimeoutMs: 300_000,
    purgeTimeoutMs: 900_000,
    cleanIntervalMs: 30_000,
    missingGraceMs: 10_000,
    latencyObjectiveMs: 30_000,
  },
  posting: { intervalMs: 1_000, maxInFlight: 100 },
  subscription: {
    listeners: 2,
    listenerStaggerMs: 500,
    reconnectMinMs: 500,
    reconnectMaxMs: 30_000,
    connectTimeoutMs: 10_000,
  },
  tickMs: 1_000,
};
export const oneListener = { ...options, subscription: { ...options.subscription, listeners: 1 } };

export interface Stand {
  /** Milliseconds the collector takes to answer. */
  postMs: number;
  /** Milliseconds from the post's answer to the frame on every connection. */
  holdMs: number;
  drop?: (seqno: number) => boolean;
  /** Open connections deliver nothing (a dead pipeline). */
  dead?: boolean;
}

/** A pipeline in virtual time: posts are answered, held, and fanned out to open connections. */
export function pipeline({ postMs, holdMs, drop = () => false, dead = false }: Stand) {
  const frames = new Subject<SocketEvent>();
  const post = (seqno: number) =>
    timer(postMs).pipe(
      tap(() => {
        if (dead || drop(seqno)) return;
        const data = JSON.stringify({ app_id: APP, seqno, time_sent: 'x' });
        asyncScheduler.schedule(() => frames.next({ kind: 'message', data }), holdMs);
      }),
      map((): PostProgress => ({ kind: 'answered', retries: 0 })),
    );
  const delivered$: Observable<SocketEvent> = dead ? NEVER : frames;
  const connect = () => concat(of<SocketEvent>({ kind: 'open' }), delivered$);
  return { post, connect };
}
