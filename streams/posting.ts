import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  EMPTY,
  map,
  mergeMap,
  type Observable,
  of,
  type SchedulerLike,
  takeWhile,
  throwError,
} from 'rxjs';
import type { PostCommand, PostOutcome, PostProgress } from './postMessages';

/**
 * Posts event `seqno` (retries and timeouts inside): says once when the request is on the
 * wire, then emits the answer, or errors — with a `PostFailure` that says how many retries
 * the post took (any other error counts none).
 */
export type PostFn = (seqno: number) => Observable<PostProgress>;

/** Why a post failed, and the retries it took before it did. */
export class PostFailure extends Error {
  constructor(
    message: string,
    readonly retries: number,
  ) {
    super(message);
  }
}

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
      // The one count of posts running: each outcome carries it to the tracker.
      let running = 0;
      return command$.pipe(
        mergeMap(({ seqno, dueAt }): Observable<PostOutcome> => {
          const sentAt = scheduler.now();
          const full = running >= maxInFlight;
          if (!full) running += 1;
          const started: PostOutcome = {
            kind: 'post-started',
            seqno,
            sentAt,
            lagMs: sentAt - dueAt,
            running,
          };
          const elapsed = () => scheduler.now() - sentAt;
          if (full) {
            const failed: PostOutcome = {
              kind: 'post-failed',
              seqno,
              durationMs: 0,
              retries: 0,
              error: TOO_MANY_POSTS,
              running,
            };
            return of(started, failed);
          }
          const outcome$ = defer(() => post(seqno)).pipe(
            takeWhile((progress) => progress.kind !== 'answered', true),
            map(
              (progress): PostOutcome =>
                progress.kind === 'on-the-wire'
                  ? { kind: 'post-sent', seqno, at: progress.at }
                  : {
                      kind: 'post-succeeded',
                      seqno,
                      durationMs: elapsed(),
                      retries: progress.retries,
                      running: --running,
                    },
            ),
            // An answer must end the post; a stream that ends without one is a failed post.
            endsWith((outcome) => outcome.kind === 'post-succeeded'),
            catchError((error: unknown) =>
              of<PostOutcome>({
                kind: 'post-failed',
                seqno,
                durationMs: elapsed(),
                retries: retriesOf(error),
                error: describe(error),
                running: --running,
              }),
            ),
          );
          return concat(of(started), outcome$);
        }),
      );
    });
}

/** Errors if the source completes without an item that `isLast`. */
function endsWith<T>(isLast: (item: T) => boolean) {
  return (source: Observable<T>): Observable<T> =>
    defer(() => {
      let seen = false;
      return concat(
        source.pipe(
          map((item) => {
            if (isLast(item)) seen = true;
            return item;
          }),
        ),
        defer(() => (seen ? EMPTY : throwError(() => new Error('post ended without an answer')))),
      );
    });
}

function retriesOf(error: unknown): number {
  return error instanceof PostFailure ? error.retries : 0;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
