import { test } from 'node:test';
import type { Observable } from 'rxjs';
import { map } from 'rxjs/operators';
import { PostFailure, postEvents, TOO_MANY_POSTS } from '../../streams/posting';
import type { PostCommand, PostOutcome, PostProgress } from '../../streams/postMessages';
import { testScheduler } from '../helpers/marbles';

const show = (o: PostOutcome): string => {
  switch (o.kind) {
    case 'post-started':
      return `start ${o.seqno}@${o.sentAt}${o.lagMs ? ` late ${o.lagMs}` : ''}`;
    case 'post-sent':
      return `wire ${o.seqno}@${o.at}`;
    case 'post-succeeded':
      return `ok ${o.seqno} in ${o.durationMs} after ${o.retries}`;
    case 'post-failed':
      return `fail ${o.seqno} in ${o.durationMs} after ${o.retries}: ${o.error}`;
  }
};

test('each command becomes started, then exactly one outcome; a slow post does not delay the next', () => {
  testScheduler().run(({ cold, hot, expectObservable }) => {
    // Time runs left to right; the diagrams are aligned so each frame sits in one column.
    const commands = '  a 9ms b 9ms               c                    ';
    const outcomes = '  a 9ms b 2ms c 6ms         d 1ms e 2ms f        ';
    const command$ = hot<PostCommand>(commands, {
      a: { seqno: 1, dueAt: 0 },
      b: { seqno: 2, dueAt: 10 },
      c: { seqno: 3, dueAt: 20 },
    });
    const answers: Record<number, Observable<PostProgress>> = {
      1: cold('25ms (r|)', { r: { kind: 'answered', retries: 2 } }), // slow: outlives two later posts
      2: cold('3ms (r|)', { r: { kind: 'answered', retries: 0 } }),
      3: cold('2ms #', undefined, new PostFailure('HTTP 500', 3)),
    };
    const outcome$ = command$.pipe(
      postEvents((seqno) => answers[seqno], 10),
      map(show),
    );
    expectObservable(outcome$).toBe(outcomes, {
      a: 'start 1@0',
      b: 'start 2@10',
      c: 'ok 2 in 3 after 0',
      d: 'start 3@20',
      e: 'fail 3 in 2 after 3: HTTP 500',
      f: 'ok 1 in 25 after 2',
    });
  });
});

test('past the in-flight bound a command fails at once instead of queueing', () => {
  testScheduler().run(({ cold, hot, expectObservable }) => {
    const commands = '  a b c              ';
    const outcomes = '  a b (cd) 4ms e f   ';
    const command$ = hot<PostCommand>(commands, {
      a: { seqno: 1, dueAt: 0 },
      b: { seqno: 2, dueAt: 1 },
      c: { seqno: 3, dueAt: 2 },
    });
    const outcome$ = command$.pipe(
      postEvents(() => cold('10ms (r|)', { r: { kind: 'answered', retries: 0 } }), 2),
      map(show),
    );
    expectObservable(outcome$).toBe(outcomes, {
      a: 'start 1@0',
      b: 'start 2@1',
      c: 'start 3@2',
      d: `fail 3 in 0 after 0: ${TOO_MANY_POSTS}`,
      e: 'ok 1 in 10 after 0',
      f: 'ok 2 in 10 after 0',
    });
  });
});

test('a post function that throws or ends empty becomes a failed post', () => {
  testScheduler().run(({ cold, hot, expectObservable }) => {
    const commands = '  a    4ms b     ';
    const outcomes = '  (ab) 1ms (cd)  ';
    const command$ = hot<PostCommand>(commands, {
      a: { seqno: 1, dueAt: 0 },
      b: { seqno: 2, dueAt: 5 },
    });
    const post = (seqno: number): Observable<PostProgress> => {
      if (seqno === 1) throw new Error('adapter bug');
      return cold('|');
    };
    const outcome$ = command$.pipe(postEvents(post, 5), map(show));
    expectObservable(outcome$).toBe(outcomes, {
      a: 'start 1@0',
      b: 'fail 1 in 0 after 0: adapter bug',
      c: 'start 2@5',
      d: 'fail 2 in 0 after 0: post ended without an answer',
    });
  });
});

test('each start says how late it left against its due time', () => {
  testScheduler().run(({ cold, hot, expectObservable }) => {
    // The second command comes 4 ms after it was due (a busy event loop).
    const commands = '  a 9ms     b           ';
    const outcomes = '  a 9ms     b           ';
    const command$ = hot<PostCommand>(commands, {
      a: { seqno: 1, dueAt: 0 },
      b: { seqno: 2, dueAt: 6 },
    });
    const outcome$ = command$.pipe(
      postEvents(() => cold('-'), 5),
      map(show),
    );
    expectObservable(outcome$).toBe(outcomes, { a: 'start 1@0', b: 'start 2@10 late 4' });
  });
});

test('a post says when it went on the wire, then its answer', () => {
  testScheduler().run(({ cold, hot, expectObservable }) => {
    const commands = '  a                   ';
    const outcomes = '  a 1ms b 2ms c       ';
    const command$ = hot<PostCommand>(commands, { a: { seqno: 1, dueAt: 0 } });
    const post = () =>
      cold<PostProgress>('2ms w 2ms (r|)', {
        w: { kind: 'on-the-wire', at: 2 },
        r: { kind: 'answered', retries: 0 },
      });
    const outcome$ = command$.pipe(postEvents(post, 5), map(show));
    expectObservable(outcome$).toBe(outcomes, {
      a: 'start 1@0',
      b: 'wire 1@2',
      c: 'ok 1 in 5 after 0',
    });
  });
});

test('the poster counts the posts running, once, and every outcome carries the count', () => {
  testScheduler().run(({ cold, hot, expectObservable }) => {
    const commands = '  a b 8ms c        ';
    const running = '   1 2 2ms 1 5ms 2 ';
    const command$ = hot<PostCommand>(commands, {
      a: { seqno: 1, dueAt: 0 },
      b: { seqno: 2, dueAt: 1 },
      c: { seqno: 3, dueAt: 10 },
    });
    const answers: Record<number, Observable<PostProgress>> = {
      1: cold('4ms (r|)', { r: { kind: 'answered', retries: 0 } }),
      2: cold('20ms #', undefined, new Error('no retries said')),
      3: cold('20ms (r|)', { r: { kind: 'answered', retries: 0 } }),
    };
    const count$ = command$.pipe(
      postEvents((seqno) => answers[seqno], 10),
      map((o) => ('running' in o ? String(o.running) : '?')),
    );
    expectObservable(count$, '^ 15ms !').toBe(running);
  });
});
