import { test } from 'node:test';
import { map } from 'rxjs/operators';
import type { ConnectFn } from '../../streams/connection';
import { listener$ } from '../../streams/listener';
import type { ListenerChange, Receipt, SocketEvent } from '../../streams/socketMessages';
import { testScheduler } from '../helpers/marbles';

const backoff = { initialMs: 10, maxMs: 40 };
const show = (x: Receipt | ListenerChange): string =>
  x.kind === 'receipt'
    ? `${x.data}@${x.receivedAt}#${x.connectionId}`
    : `${x.status}#${x.connectionId}${x.retryInMs === undefined ? '' : `+${x.retryInMs}`}`;

test('reconnects forever with capped exponential backoff, reset once a connection delivers', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const attempts = [
      cold<SocketEvent>('#'), // refused
      cold<SocketEvent>('#'), // refused
      cold<SocketEvent>('#'), // refused
      cold<SocketEvent>('#'), // refused: capped at 40
      cold<SocketEvent>('o 5ms m 5ms #', {
        o: { kind: 'open' },
        m: { kind: 'message', data: 'x' },
      }),
      cold<SocketEvent>('#'), // refused again: back to the first delay
      cold<SocketEvent>('-'),
    ];
    let n = 0;
    const connect: ConnectFn = () => attempts[n++];
    let ids = 0;
    // random() = 1 takes the top of each jitter range: 10, 20, 40, 40 (capped), then 10.
    const events$ = listener$(0, connect, () => ++ids, { backoff, random: () => 1 }).pipe(
      map(show),
    );
    expectObservable(events$, '^ 200ms !').toBe(
      '(ab) 6ms (cd) 16ms (ef) 36ms (gh) 36ms (ij) 2ms k 5ms n 9ms (op) 16ms q',
      {
        a: 'connecting#1',
        b: 'disconnected#1+10',
        c: 'connecting#2',
        d: 'disconnected#2+20',
        e: 'connecting#3',
        f: 'disconnected#3+40',
        g: 'connecting#4',
        h: 'disconnected#4+40',
        i: 'connecting#5',
        j: 'connected#5',
        k: 'x@116#5',
        n: 'disconnected#5+10',
        o: 'connecting#6',
        p: 'disconnected#6+20',
        q: 'connecting#7',
      },
    );
  });
});

test('a connection that completes is treated as closed and reopened, and backed off', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const connect: ConnectFn = () => cold<SocketEvent>('o 3ms |', { o: { kind: 'open' } });
    let ids = 0;
    const events$ = listener$(3, connect, () => ++ids, { backoff, random: () => 0 }).pipe(
      map(show),
    );
    // Accepted, then dropped at once: no proof the endpoint works, so the backoff keeps growing.
    expectObservable(events$, '^ 50ms !').toBe('(ab) c 4ms (de) f 9ms (gh) i 19ms (jk)', {
      a: 'connecting#1',
      b: 'connected#1',
      c: 'disconnected#1+5',
      d: 'connecting#2',
      e: 'connected#2',
      f: 'disconnected#2+10',
      g: 'connecting#3',
      h: 'connected#3',
      i: 'disconnected#3+20',
      j: 'connecting#4',
      k: 'connected#4',
    });
  });
});

test('rotation opens the successor first and closes the old connection only once it is open', () => {
  testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const open: SocketEvent = { kind: 'open' };
    const frame = (data: string): SocketEvent => ({ kind: 'message', data });
    const first = cold<SocketEvent>('o 10ms m', { o: open, m: frame('a') }); // delivers during the overlap
    const second = cold<SocketEvent>('--o m', { o: open, m: frame('b') });
    const failing = cold<SocketEvent>('#'); // a successor that fails: the current one stays
    const fourth = cold<SocketEvent>('o', { o: open });
    const attempts = [first, second, failing, fourth];
    let n = 0;
    let ids = 0;
    const events$ = listener$(
      0,
      () => attempts[n++],
      () => ++ids,
      {
        backoff,
        maxConnectionMs: 10,
        random: () => 1,
      },
    ).pipe(
      map((x) =>
        x.kind === 'receipt'
          ? `${x.data}#${x.connectionId}`
          : `${x.status}#${x.connectionId}${x.rotated ? ' rotated' : ''}`,
      ),
    );
    // On the listener's clock, one column a millisecond: each connection's subscription, and
    // what the listener says.
    const firstOpen = ' ^-----------!';
    const secondOpen = '----------^------------!';
    const fourthOpen = '-----------------------^------!';
    const said = '      (ab)-------cde---------f';
    expectObservable(events$, '^ 29ms !').toBe(said, {
      a: 'connecting#1',
      b: 'connected#1',
      c: 'a#1', // the old connection still delivers while its successor connects
      d: 'connected#2 rotated',
      e: 'b#2',
      f: 'connected#4 rotated', // #3 failed at 22; tried again a tenth of the period later
    });
    expectSubscriptions(first.subscriptions).toBe(firstOpen);
    expectSubscriptions(second.subscriptions).toBe(secondOpen);
    expectSubscriptions(fourth.subscriptions).toBe(fourthOpen);
  });
});

test('a connection that stayed up for the longest backoff restarts the backoff', () => {
  testScheduler().run(({ cold, expectObservable }) => {
    const attempts = [
      cold<SocketEvent>('#'), // refused: waits 10
      cold<SocketEvent>('o 50ms #', { o: { kind: 'open' } }), // up 51 ms ≥ 40: proven
      cold<SocketEvent>('-'),
    ];
    let n = 0;
    let ids = 0;
    const events$ = listener$(
      0,
      () => attempts[n++],
      () => ++ids,
      {
        backoff,
        random: () => 1,
      },
    ).pipe(map(show));
    expectObservable(events$, '^ 80ms !').toBe('(ab) 6ms (cd) 47ms e 9ms f', {
      a: 'connecting#1',
      b: 'disconnected#1+10',
      c: 'connecting#2',
      d: 'connected#2',
      e: 'disconnected#2+10', // not +20: the connection proved itself
      f: 'connecting#3',
    });
  });
});

test('a listener waiting to reconnect tries at once when another reports the endpoint back', () => {
  testScheduler().run(({ cold, hot, expectObservable }) => {
    const back$ = hot<void>('  ---------- x');
    const attempts = [cold<SocketEvent>('#'), cold<SocketEvent>('#'), cold<SocketEvent>('-')];
    let n = 0;
    let ids = 0;
    const events$ = listener$(
      0,
      () => attempts[n++],
      () => ++ids,
      {
        backoff: { initialMs: 1_000, maxMs: 1_000 },
        random: () => 1,
        endpointBack$: back$,
      },
    ).pipe(map(show));
    // Waits of 1 s each; the first ends early, at 10 ms, when the endpoint is back.
    expectObservable(events$, '^ 2000ms !').toBe('(ab) 6ms (cd) 996ms e', {
      a: 'connecting#1',
      b: 'disconnected#1+1000',
      c: 'connecting#2',
      d: 'disconnected#2+1000',
      e: 'connecting#3',
    });
  });
});

test('the endpoint being back wakes a listener once per run of failures, not at every connect', () => {
  testScheduler().run(({ cold, hot, expectObservable }) => {
    // Others connect at 10, 20, 30, … (a gateway that keeps one and kicks the rest).
    const back$ = hot<void>('  ---------- x 9ms x 9ms x 9ms x 9ms x 9ms x');
    const refused = () => cold<SocketEvent>('#');
    let ids = 0;
    const events$ = listener$(0, refused, () => ++ids, {
      backoff: { initialMs: 100, maxMs: 400 },
      random: () => 1,
      endpointBack$: back$,
    }).pipe(map(show));
    // Woken at 10 (waits 100 otherwise); then its waits of 200 and 400 run out in full.
    const said = '(ab) 6ms (cd) 196ms (ef)';
    expectObservable(events$, '^ 300ms !').toBe(said, {
      a: 'connecting#1',
      b: 'disconnected#1+100',
      c: 'connecting#2',
      d: 'disconnected#2+200',
      e: 'connecting#3',
      f: 'disconnected#3+400',
    });
  });
});
