import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  asyncScheduler,
  defer,
  finalize,
  interval,
  map,
  merge,
  NEVER,
  type Observable,
  timer,
} from 'rxjs';
import { switchMap, take, takeUntil } from 'rxjs/operators';
import { perTarget } from '../../streams/perTarget';
import { testScheduler } from '../helpers/marbles';

/** How long a pipeline takes to drain once told to. */
const DRAIN_MS = 5;

describe('one pipeline per target', () => {
  test('added targets start; a changed one starts anew while the old drains; a removed one drains; the rest are untouched', () => {
    const log: string[] = [];
    testScheduler().run(({ hot, expectObservable }) => {
      // Each pipeline says its id, settings and how many values it gave, every 10 ms, and ends
      // DRAIN_MS after it is told to drain (posting nothing more meanwhile).
      const start = (id: string, settings: number, drain$: Observable<unknown>) =>
        defer(() => {
          log.push(`${asyncScheduler.now()} start ${id}${settings}`);
          const drained$ = drain$.pipe(
            take(1),
            switchMap(() => {
              log.push(`${asyncScheduler.now()} drain ${id}${settings}`);
              return timer(DRAIN_MS);
            }),
          );
          return merge(interval(10).pipe(takeUntil(drain$)), NEVER).pipe(
            map((n) => `${id}${settings}.${n}`),
            takeUntil(drained$),
            finalize(() => log.push(`${asyncScheduler.now()} stop ${id}${settings}`)),
          );
        });
      const sets = {
        a: new Map([['x', 1]]),
        b: new Map([
          ['x', 1],
          ['y', 1],
        ]),
        c: new Map([
          ['x', 1],
          ['y', 2],
        ]),
        d: new Map([['y', 2]]),
      };
      // x starts at 0; y at 15, changes at 27, x goes at 43; the sets end at 60.
      const sets$ = hot('  a 14ms b 11ms c 15ms d 16ms |', sets);
      const values = '    10ms a 9ms b 4ms c 4ms d 6ms e 2ms f 6ms g 9ms h 7ms |';
      const out$ = sets$.pipe(
        perTarget(start, (p, q) => p === q),
        map(({ id, value }) => `${id}:${value}`),
      );
      expectObservable(out$).toBe(values, {
        a: 'x:x1.0',
        b: 'x:x1.1',
        c: 'y:y1.0',
        d: 'x:x1.2',
        e: 'y:y2.0',
        f: 'x:x1.3',
        g: 'y:y2.1', // untouched by the set at 43 that removed x
        h: 'y:y2.2',
      });
    });
    assert.deepEqual(log, [
      '0 start x1',
      '15 start y1',
      '27 start y2', // make before break: the successor starts as the old one is told to drain
      '27 drain y1',
      '32 stop y1',
      '43 drain x1',
      '48 stop x1',
      '60 drain y2', // the sets ended: every pipeline drains, then the output completes
      '65 stop y2',
    ]);
  });
});
