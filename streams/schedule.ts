import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { PostCommand } from './messages';

/**
 * Post commands on a fixed schedule: the k-th command (seqno k + 1) is due at
 * start + k × interval. Each wait is computed from the start, never from the previous
 * command, so slow posts or a busy event loop cannot make the schedule drift. A slot the
 * loop overslept is still emitted (late, at once), so the rate stays exact.
 */
export function postSchedule$(
  intervalMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<PostCommand> {
  return new Observable<PostCommand>((subscriber) => {
    const start = scheduler.now();
    let k = 0;
    // Only the pending wake-up is held: adding each one to the subscriber would keep every
    // past action alive until unsubscription (a leak of one object per post).
    let pending: Subscription | undefined;
    const wake = (): void => {
      const now = scheduler.now();
      while (start + k * intervalMs <= now && !subscriber.closed) {
        subscriber.next({ seqno: k + 1, dueAt: start + k * intervalMs });
        k += 1;
      }
      if (subscriber.closed) return;
      pending = scheduler.schedule(wake, Math.max(0, start + k * intervalMs - scheduler.now()));
    };
    pending = scheduler.schedule(wake);
    return () => pending?.unsubscribe();
  });
}
