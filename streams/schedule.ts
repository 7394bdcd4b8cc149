import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { PostCommand } from './postMessages';

/** The shortest interval the schedule runs at, whatever it is given (0 or NaN would spin). */
export const MIN_INTERVAL_MS = 1;
/** Commands emitted in one wake-up at most; the rest follow after the event loop has run. */
export const MAX_COMMANDS_PER_WAKE = 1_000;

/**
 * Post commands on a fixed schedule: the k-th command (seqno k + 1) is due at
 * start + k × interval (start: now, or a target's slot). Each wait is computed from the start, never from the previous
 * command, so slow posts or a busy event loop cannot make the schedule drift. A slot the
 * loop overslept is still emitted (late), so the rate stays exact — at most
 * `MAX_COMMANDS_PER_WAKE` at once, so catching up never holds the event loop (and a signal).
 */
export function postSchedule$(
  intervalMs: number,
  scheduler: SchedulerLike = asyncScheduler,
  firstAfterMs = 0,
): Observable<PostCommand> {
  // biome-ignore lint/complexity/useMathMinMax: Math.max(NaN, 1) is NaN; this is 1.
  const period = intervalMs >= MIN_INTERVAL_MS ? intervalMs : MIN_INTERVAL_MS;
  return new Observable<PostCommand>((subscriber) => {
    // The first post after `firstAfterMs` (a target's slot), clamped to one interval.
    const start = scheduler.now() + Math.min(Math.max(firstAfterMs, 0) || 0, period);
    let k = 0;
    // Only the pending wake-up is held: adding each one to the subscriber would keep every
    // past action alive until unsubscription (a leak of one object per post).
    let pending: Subscription | undefined;
    const wake = (): void => {
      const now = scheduler.now();
      let emitted = 0;
      while (start + k * period <= now && !subscriber.closed && emitted < MAX_COMMANDS_PER_WAKE) {
        subscriber.next({ seqno: k + 1, dueAt: start + k * period });
        k += 1;
        emitted += 1;
      }
      if (subscriber.closed) return;
      pending = scheduler.schedule(wake, Math.max(0, start + k * period - scheduler.now()));
    };
    pending = scheduler.schedule(wake, start - scheduler.now());
    return () => pending?.unsubscribe();
  });
}
