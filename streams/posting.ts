import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  finalize,
  map,
  mergeMap,
  type Observable,
  of,
  type SchedulerLike,
  take,
  throwIfEmpty,
} from 'rxjs';
import type { PostCommand, PostOutcome, PostReport } from './messages';

/**
 * Posts event `seqno` (retries and timeouts inside) and emits one report, or errors with
 * an Error that may carry `retries`.
 */
export type PostFn = (seqno: number) => Observable<PostReport>;

export const TOO_MANY_POSTS = 'too many posts in flight';

/**
 * The poster actor: turns each command into `post-started` and then exactly one of
 * `post-succeeded` / `post-failed`. Posts run concurrently, so a hanging collector never delays
 * the next post; past `maxInFlight` a command fails at once instead of queueing, which would
 * shift it off its schedule.
 */
export function postEvents(
  post: PostFn,
  maxInFlight: number,
  scheduler: SchedulerLike = asyncScheduler,
): (command$: Observable<PostCommand>) => Observable<PostOutcome> {
  return (command$) =>
    defer(() => {
      let inFlight = 0;
      return command$.pipe(
        mergeMap(({ seqno, dueAt }): Observable<PostOutcome> => {
          const sentAt = scheduler.now();
          const started: PostOutcome = {
            kind: 'post-started',
            seqno,
            sentAt,
            lagMs: sentAt - dueAt,
          };
          const elapsed = () => scheduler.now() - sentAt;
          if (inFlight >= maxInFlight) {
            const error = TOO_MANY_POSTS;
            const failed: PostOutcome = {
              kind: 'post-failed',
              seqno,
              durationMs: 0,
              retries: 0,
              error,
            };
            return of(started, failed);
          }
          inFlight += 1;
          const outcome$ = defer(() => post(seqno)).pipe(
            take(1),
            throwIfEmpty(() => new Error('post ended without an answer')),
            map(
              ({ retries }): PostOutcome => ({
                kind: 'post-succeeded',
                seqno,
                durationMs: elapsed(),
                retries,
              }),
            ),
            catchError((error: unknown) =>
              of<PostOutcome>({
                kind: 'post-failed',
                seqno,
                durationMs: elapsed(),
                retries: retriesOf(error),
                error: describe(error),
              }),
            ),
            finalize(() => {
              inFlight -= 1;
            }),
          );
          return concat(of(started), outcome$);
        }),
      );
    });
}

function retriesOf(error: unknown): number {
  const retries = (error as { retries?: unknown } | null)?.retries;
  return typeof retries === 'number' ? retries : 0;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
