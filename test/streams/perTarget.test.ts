import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asyncScheduler, defer, finalize, interval, map } from 'rxjs';
import { perTarget } from '../../streams/perTarget';
import { testScheduler } from '../helpers/marbles';

describe('one pipeline per target', () => {
  test('added targets start, changed ones restart (stop first), removed ones stop, the rest are untouched', () => {
    const log: string[] = [];
    testScheduler().run(({ hot, expectObservable }) => {
      // Each pipeline says its id, settings and how many values it gave, every 10 ms.
      const start = (id: string, settings: number) =>
        defer(() => {
          log.push(`${asyncScheduler.now()} start ${id}${settings}`);
          return interval(10).pipe(
            map((n) => `${id}${settings}.${n}`),
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
      // x starts at 0; y at 15, changes at 27 (restarts), x goes at 43; y2 keeps counting.
      const sets$ = hot('  a 14ms b 11ms c 15ms d', sets);
      const values = '    10ms a 9ms b 4ms c 4ms d 6ms e 2ms f 6ms g';
      const out$ = sets$.pipe(
        perTarget(start, (p, q) => p === q),
        map(({ id, value }) => `${id}:${value}`),
      );
      expectObservable(out$, '^ 54ms !').toBe(values, {
        a: 'x:x1.0',
        b: 'x:x1.1',
        c: 'y:y1.0',
        d: 'x:x1.2',
        e: 'y:y2.0',
        f: 'x:x1.3',
        g: 'y:y2.1', // untouched by the set at 43 that removed x
      });
      asyncScheduler.schedule(() => log.push('55 end'), 55);
    });
    assert.deepEqual(log, [
      '0 start x1',
      '15 start y1',
      '27 stop y1', // a changed target stops before its successor starts
      '27 start y2',
      '43 stop x1',
      '55 stop y2',
      '55 end',
    ]);
  });
});
