import { asyncScheduler, type SchedulerLike } from 'rxjs';

/**
 * The async scheduler with a monotonic `now()`: latency and the schedule are measured on
 * `performance.now()`, which wall-clock steps (NTP, a manual change) do not move.
 */
export const monotonicScheduler: SchedulerLike = {
  now: () => performance.now(),
  schedule: asyncScheduler.schedule.bind(asyncScheduler) as SchedulerLike['schedule'],
};
