import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SchedulerLike } from 'rxjs';
import { map, take } from 'rxjs/operators';
import { MAX_COMMANDS_PER_WAKE, postSchedule$ } from '../../streams/schedule';
import { lateScheduler, testScheduler } from '../helpers/marbles';

test('the k-th command is due at start + k × interval, seqnos from 1', () => {
  testScheduler().run(({ expectObservable }) => {
    const schedule$ = postSchedule$(10).pipe(map((c) => `${c.seqno}@${c.dueAt}`));
    expectObservable(schedule$, '^ 35ms !').toBe('a 9ms b 9ms c 9ms d', {
      a: '1@0',
      b: '2@10',
      c: '3@20',
      d: '4@30',
    });
  });
});

test('a loop that wakes late every time does not make the schedule drift', () => {
  testScheduler().run(({ expectObservable }) => {
    const sluggish = lateScheduler(() => 3);
    const schedule$ = postSchedule$(10, sluggish).pipe(
      map((c) => c.seqno),
      take(4),
    );
    // 3, 13, 23, 33: late by the same 3 ms each time, not by 3, 6, 9, 12.
    expectObservable(schedule$).toBe('3ms a 9ms b 9ms c 9ms (d|)', { a: 1, b: 2, c: 3, d: 4 });
  });
});

test('slots the loop overslept are emitted at once, so the count stays exact', () => {
  testScheduler().run(({ expectObservable }) => {
    let paused = false;
    // The first timed wake-up comes 25 ms late (a long GC pause), the others on time.
    const pausing = lateScheduler((delay) => {
      if (delay === 0 || paused) return 0;
      paused = true;
      return 25;
    });
    const schedule$ = postSchedule$(10, pausing).pipe(
      map((c) => c.seqno),
      take(5),
    );
    expectObservable(schedule$).toBe('a 34ms (bcd) (e|)', { a: 1, b: 2, c: 3, d: 4, e: 5 });
  });
});

test('unsubscribing stops the schedule', () => {
  testScheduler().run(({ expectObservable }) => {
    const schedule$ = postSchedule$(5).pipe(map((c) => c.seqno));
    expectObservable(schedule$, '^ 7ms !').toBe('a 4ms b', { a: 1, b: 2 });
  });
});

test('an interval of 0, below 1 ms or not a number runs at 1 ms: the schedule cannot spin', () => {
  for (const interval of [0, 0.0004, -5, Number.NaN]) {
    testScheduler().run(({ expectObservable }) => {
      const schedule$ = postSchedule$(interval).pipe(
        map((c) => `${c.seqno}@${c.dueAt}`),
        take(3),
      );
      expectObservable(schedule$).toBe('a b (c|)', { a: '1@0', b: '2@1', c: '3@2' });
    });
  }
});

test('a long stall is caught up in bounded bursts, one wake-up at a time', () => {
  const bursts: number[] = [];
  testScheduler().run(() => {
    let stalled = false;
    // One wake-up comes 2.5 s late: 2,500 slots of 1 ms are due at once.
    const stalling = lateScheduler((delay) => {
      if (delay === 0 || stalled) return 0;
      stalled = true;
      return 2_500;
    });
    // Every wake-up of the schedule starts a new burst.
    const counting: SchedulerLike = {
      now: () => stalling.now(),
      schedule: ((work: () => void, delay?: number) =>
        stalling.schedule(() => {
          bursts.push(0);
          work();
        }, delay)) as SchedulerLike['schedule'],
    };
    postSchedule$(1, counting)
      .pipe(take(2_600))
      .subscribe(() => {
        bursts[bursts.length - 1] += 1;
      });
  });
  assert.equal(Math.max(...bursts), MAX_COMMANDS_PER_WAKE);
  assert.equal(
    bursts.reduce((a, b) => a + b, 0),
    2_600,
  );
});

test("a target's slot moves the whole schedule, never past one interval", () => {
  testScheduler().run(({ expectObservable }) => {
    const slotted$ = postSchedule$(10, undefined, 7).pipe(map((c) => `${c.seqno}@${c.dueAt}`));
    expectObservable(slotted$, '^ 30ms !').toBe('7ms a 9ms b 9ms c', {
      a: '1@7',
      b: '2@17',
      c: '3@27',
    });
    // A slot past the interval (or negative, or not a number) is clamped into it.
    const clamped$ = postSchedule$(10, undefined, 1e9).pipe(map((c) => c.dueAt));
    expectObservable(clamped$, '^ 15ms !').toBe('10ms a', { a: 10 });
    const negative$ = postSchedule$(10, undefined, -5).pipe(map((c) => c.dueAt));
    expectObservable(negative$, '^ 5ms !').toBe('a', { a: 0 });
  });
});
