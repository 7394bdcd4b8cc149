import { test } from 'node:test';
import { map, take } from 'rxjs/operators';
import { postSchedule$ } from '../../streams/schedule';
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
