import assert from 'node:assert/strict';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

/** A TestScheduler that compares with node:assert, for `TestScheduler.run` marble tests. */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
}

/**
 * Inside `TestScheduler.run`, the async scheduler is virtual. This one wakes every scheduled
 * action `extraMs(delay)` later than asked, as a busy event loop does.
 */
export function lateScheduler(extraMs: (delay: number) => number): SchedulerLike {
  return {
    now: () => asyncScheduler.now(),
    schedule: ((work: () => void, delay = 0, state?: unknown) =>
      asyncScheduler.schedule(work, delay + extraMs(delay), state)) as SchedulerLike['schedule'],
  };
}
