import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { map } from 'rxjs/operators';
import type { Receipt, TrackerInput } from '../../streams/messages';
import {
  createTrackerState,
  eventAt,
  inFlight,
  step,
  type TrackerOptions,
  type TrackerState,
  track,
} from '../../streams/tracker';
import { missingShare } from '../../streams/windows';
import { testScheduler } from '../helpers/marbles';

const APP = 'abcd1234';
const options: TrackerOptions = {
  appId: APP,
  lostTimeoutMs: 300,
  purgeTimeoutMs: 900,
  missingGraceMs: 10,
  windowsMs: [60, 180, 600],
};

const started = (seqno: number): TrackerInput => ({ kind: 'post-started', seqno, sentAt: 0 });
const ok = (seqno: number): TrackerInput => ({
  kind: 'post-succeeded',
  seqno,
  durationMs: 1,
  retries: 0,
});
const failed = (seqno: number): TrackerInput => ({
  kind: 'post-failed',
  seqno,
  durationMs: 1,
  retries: 3,
  error: 'HTTP 500',
});
const frame = (seqno: number, appId = APP) =>
  JSON.stringify({ app_id: appId, seqno, time_sent: '2026-11-27T00:00:00.000Z' });
const receipt = (data: string, receivedAt: number, connectionId = 1, listenerId = 0): Receipt => ({
  kind: 'receipt',
  listenerId,
  connectionId,
  data,
  receivedAt,
});

/** Feeds inputs at given clock times into a fresh tracker. */
function run(inputs: Array<[number, TrackerInput]>, opts: TrackerOptions = options): TrackerState {
  const state = createTrackerState(opts);
  for (const [now, input] of inputs) step(state, input, now);
  return state;
}

describe('receipt rules', () => {
  test('first receipt of an own event is received, latency from the post start', () => {
    const state = run([
      [100, started(1)],
      [105, ok(1)],
      [142, receipt(frame(1), 142)],
    ]);
    assert.equal(state.totals.posted, 1);
    assert.equal(state.totals.received, 1);
    assert.equal(state.latestLatencyMs, 42);
    assert.equal(eventAt(state, 1)?.state, 'received');
    assert.equal(inFlight(state), 0);
  });

  test('the same event again on the same connection is a duplicate', () => {
    const state = run([
      [0, started(1)],
      [1, ok(1)],
      [5, receipt(frame(1), 5, 7)],
      [6, receipt(frame(1), 6, 7)],
    ]);
    assert.equal(state.totals.received, 1);
    assert.equal(state.totals.duplicates, 1);
  });

  test('a doubled event seen by two listeners is one duplicate; a tripled one, two', () => {
    const state = run([
      [0, started(1)],
      [0, started(2)],
      [1, ok(1)],
      [1, ok(2)],
      [5, receipt(frame(1), 5, 7, 0)],
      [5, receipt(frame(1), 5, 8, 1)],
      [6, receipt(frame(1), 6, 8, 1)],
      [6, receipt(frame(1), 6, 7, 0)],
      [7, receipt(frame(2), 7, 7, 0)],
      [7, receipt(frame(2), 7, 7, 0)],
      [7, receipt(frame(2), 7, 7, 0)],
    ]);
    assert.equal(state.totals.received, 2);
    assert.equal(state.totals.duplicates, 3);
  });

  test('the same event on another connection is ignored quietly', () => {
    const state = run([
      [0, started(1)],
      [1, ok(1)],
      [5, receipt(frame(1), 5, 7, 0)],
      [6, receipt(frame(1), 6, 8, 1)],
    ]);
    assert.equal(state.totals.received, 1);
    assert.equal(state.totals.duplicates, 0);
    assert.equal(state.latestLatencyMs, 5);
  });

  test("another probe's app id is counted as wrong app id", () => {
    const state = run([
      [0, started(1)],
      [1, receipt(frame(1, 'ffff0000'), 1)],
    ]);
    assert.equal(state.totals.wrongAppId, 1);
    assert.equal(state.totals.received, 0);
  });

  test('a foreign event seen by two listeners counts once; memory of them is bounded', () => {
    const state = createTrackerState(options);
    step(state, receipt(frame(1, 'ffff0000'), 1, 7, 0), 1);
    step(state, receipt(frame(1, 'ffff0000'), 1, 8, 1), 1);
    assert.equal(state.totals.wrongAppId, 1);
    for (let seqno = 2; seqno < 5000; seqno++) step(state, receipt(frame(seqno, 'ffff0000'), 2), 2);
    assert.equal(state.totals.wrongAppId, 4999);
    assert.ok(state.foreign.size <= 1024);
  });

  test('own app id with an unknown seqno is counted, not thrown', () => {
    const state = run([
      [0, started(1)],
      [1, receipt(frame(2), 1)],
      [2, receipt(frame(99999), 2)],
    ]);
    assert.equal(state.totals.unknownSeqno, 2);
  });

  test('frames that are not events are counted as malformed, by reason', () => {
    const state = createTrackerState(options);
    const bad = [
      'not json',
      '[1,2]',
      'null',
      '"text"',
      '{"seqno":1}',
      '{"app_id":7,"seqno":1}',
      `{"app_id":"${APP}","seqno":"1"}`,
      `{"app_id":"${APP}","seqno":-1}`,
      `{"app_id":"${APP}","seqno":1.5}`,
      `{"app_id":"${APP}","seqno":1e300}`,
      `{"__proto__":{"app_id":"${APP}","seqno":1}}`,
      `${'['.repeat(100000)}${']'.repeat(100000)}`,
    ];
    const reasons = bad.map((data) => {
      const effects = step(state, receipt(data, 0), 0);
      assert.equal(effects.length, 1);
      const effect = effects[0];
      assert.equal(effect.type, 'malformed');
      return effect.type === 'malformed' ? effect.reason : '';
    });
    assert.deepEqual(reasons, [
      'not-json',
      'not-an-object',
      'not-an-object',
      'not-an-object',
      'bad-app-id',
      'bad-app-id',
      'bad-seqno',
      'bad-seqno',
      'bad-seqno',
      'bad-seqno',
      'bad-app-id',
      'too-large',
    ]);
    assert.equal(state.totals.malformed, bad.length);
    assert.equal(Object.getPrototypeOf({}).app_id, undefined);
  });

  test('a receipt before the post answer counts the event posted and received once', () => {
    const state = createTrackerState(options);
    const effects = [
      ...step(state, started(1), 0),
      ...step(state, receipt(frame(1), 3), 3),
      ...step(state, ok(1), 4),
    ].map((e) => e.type);
    assert.deepEqual(effects, ['posted', 'received', 'post-done']);
    assert.equal(state.totals.posted, 1);
    assert.equal(state.totals.received, 1);
    assert.equal(state.postsInProgress, 0);
    assert.equal(inFlight(state), 0);
  });

  test('receipts in a lower seqno than one already received are out of order', () => {
    const state = run([
      [0, started(1)],
      [1, started(2)],
      [2, ok(1)],
      [2, ok(2)],
      [3, receipt(frame(2), 3)],
      [4, receipt(frame(1), 4)],
    ]);
    assert.equal(state.totals.outOfOrder, 1);
    assert.equal(eventAt(state, 1)?.receiptOrder, 2);
    assert.equal(eventAt(state, 2)?.receiptOrder, 1);
  });
});

describe('post outcomes', () => {
  test('a failed post is a post error, never lost or missing', () => {
    const state = run([
      [0, started(1)],
      [1, failed(1)],
      [400, { kind: 'clean' }],
    ]);
    assert.equal(state.totals.postErrors, 1);
    assert.equal(state.totals.lost, 0);
    assert.equal(state.totals.posted, 0);
    assert.deepEqual(
      state.windows.windows.map((w) => w.counted),
      [0, 0, 0],
    );
  });

  test('a post answered after the lost deadline had passed is lost at once', () => {
    const state = run([
      [0, started(1)],
      [301, { kind: 'clean' }],
      [302, ok(1)],
    ]);
    assert.equal(state.totals.posted, 1);
    assert.equal(state.totals.lost, 1);
    assert.equal(inFlight(state), 0);
  });

  test('a post that fails after its event arrived is not a post error', () => {
    const state = run([
      [0, started(1)],
      [2, receipt(frame(1), 2)],
      [3, failed(1)],
    ]);
    assert.equal(state.totals.postErrors, 0);
    assert.equal(state.totals.posted, 1);
    assert.equal(state.totals.received, 1);
  });

  test('an event that arrives after its post was reported failed still balances the books', () => {
    const state = run([
      [0, started(1)],
      [2, failed(1)],
      [5, receipt(frame(1), 5)],
    ]);
    assert.equal(state.totals.postErrors, 1);
    assert.equal(state.totals.posted, 1);
    assert.equal(state.totals.received, 1);
    assert.equal(inFlight(state), 0);
  });

  test('out-of-sequence post-started is refused as an internal error', () => {
    const state = run([[0, started(2)]]);
    assert.equal(state.totals.internalErrors, 1);
    assert.equal(state.nextSeqno, 1);
  });
});

describe('lost and purge, in virtual time', () => {
  test('an unreceived event turns lost at the first clean after the lost timeout', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      // Post and answer at 0; cleans at 100, 200, 300, 400; lost timeout 300 ms.
      const input$ = hot<TrackerInput>('(ab) 96ms c 99ms c 99ms c 99ms c', {
        a: started(1),
        b: ok(1),
        c: { kind: 'clean' },
      });
      const lost$ = input$.pipe(
        track(options),
        map((s) => s.state.totals.lost),
      );
      expectObservable(lost$).toBe('(aa) 96ms a 99ms a 99ms b 99ms b', { a: 0, b: 1 });
    });
  });

  test('a post answered after its event was purged is lost once; a received one is not counted again', () => {
    const state = run([
      [0, started(1)],
      [0, started(2)],
      [1, receipt(frame(2), 1)],
      [950, { kind: 'clean' }],
      [960, ok(1)],
      [961, ok(2)],
      [962, ok(1)],
    ]);
    assert.equal(state.totals.purged, 2);
    assert.equal(state.totals.posted, 2);
    assert.equal(state.totals.received, 1);
    assert.equal(state.totals.lost, 1);
    assert.equal(state.postsInProgress, 0);
    assert.equal(inFlight(state), 0);
    assert.equal(state.purgedWhilePosting.size, 0);
  });

  test('a late receipt is counted late, not received, and the books still balance', () => {
    const state = run([
      [0, started(1)],
      [1, ok(1)],
      [300, { kind: 'clean' }],
      [350, receipt(frame(1), 350)],
    ]);
    assert.equal(state.totals.lost, 1);
    assert.equal(state.totals.late, 1);
    assert.equal(state.totals.received, 0);
    assert.equal(eventAt(state, 1)?.state, 'late');
    assert.equal(inFlight(state), 0);
  });

  test('events are forgotten after the purge timeout; memory follows', () => {
    const inputs: Array<[number, TrackerInput]> = [];
    for (let seqno = 1; seqno <= 3000; seqno++) {
      inputs.push([seqno, started(seqno)], [seqno, ok(seqno)]);
      if (seqno % 100 === 0) inputs.push([seqno, { kind: 'clean' }]);
    }
    const state = run(inputs);
    // At 3000, events sent at or before 2100 are purged.
    assert.equal(state.firstSeqno, 2101);
    assert.equal(state.nextSeqno - state.firstSeqno, 900);
    assert.ok(state.events.length - state.head === 900);
    assert.ok(state.events.length <= 2 * 900 + 1024);
    assert.equal(eventAt(state, 2100), undefined);
    assert.equal(state.totals.lost, 2700);
    assert.equal(state.totals.purged, 2100);
    // Receipts for purged seqnos are unknown, and do not grow the state.
    step(state, receipt(frame(5), 3001), 3001);
    assert.equal(state.totals.unknownSeqno, 1);
  });
});

describe('missing shares', () => {
  /** Posts every 1 ms from t=1..n; `deliver` decides which are received (at +2 ms). */
  function feed(n: number, deliver: (seqno: number) => boolean, until: number): TrackerState {
    const opts = { ...options, windowsMs: [60, 180, 600], missingGraceMs: 10 };
    const inputs: Array<[number, TrackerInput]> = [];
    for (let t = 1; t <= until; t++) {
      if (t <= n) inputs.push([t, started(t)], [t, ok(t)]);
      if (t > 2 && t - 2 <= n && deliver(t - 2)) inputs.push([t, receipt(frame(t - 2), t)]);
      inputs.push([t, { kind: 'tick' }]);
    }
    return run(inputs, opts);
  }

  test('an empty window reads 0', () => {
    const state = run([[0, { kind: 'tick' }]]);
    assert.deepEqual(state.windows.windows.map(missingShare), [0, 0, 0]);
  });

  test('shares read the drop rate over each window', () => {
    // Every 4th event dropped: 25 % missing in every full window.
    const state = feed(1000, (seqno) => seqno % 4 !== 0, 1000);
    const [w1, w3, w10] = state.windows.windows;
    assert.equal(w1.counted, 60);
    assert.equal(w3.counted, 180);
    assert.equal(w10.counted, 600);
    assert.deepEqual(state.windows.windows.map(missingShare), [25, 25, 25]);
  });

  test('events younger than the grace are not counted yet', () => {
    // Nothing delivered: the youngest 10 ms are outside every window.
    const state = feed(100, () => false, 100);
    const [w1] = state.windows.windows;
    // Window (100-10-60, 100-10] = (30, 90]: 60 events, all missing.
    assert.equal(w1.counted, 60);
    assert.equal(w1.lo, 31);
    assert.equal(state.windows.hi, 91);
    assert.equal(missingShare(w1), 100);
  });

  test('window counts equal a brute-force count at every step', () => {
    const opts = {
      ...options,
      windowsMs: [7, 20],
      missingGraceMs: 3,
      lostTimeoutMs: 15,
      purgeTimeoutMs: 25,
    };
    const state = createTrackerState(opts);
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let t = 1; t <= 400; t++) {
      step(state, started(t), t);
      if (random() < 0.9) step(state, ok(t), t);
      else step(state, failed(t), t);
      const back = t - Math.floor(random() * 20);
      if (back >= 1 && random() < 0.7) step(state, receipt(frame(back), t), t);
      if (t % 5 === 0) step(state, { kind: 'clean' }, t);
      for (const w of state.windows.windows) {
        let counted = 0;
        let missing = 0;
        for (let s = state.firstSeqno; s < state.nextSeqno; s++) {
          const e = eventAt(state, s);
          if (
            !e ||
            e.sentAt > t - opts.missingGraceMs ||
            e.sentAt <= t - opts.missingGraceMs - w.lengthMs
          )
            continue;
          if (e.state === 'posting' || e.state === 'failed') continue;
          counted += 1;
          if (e.state === 'posted' || e.state === 'lost') missing += 1;
        }
        assert.deepEqual(
          [w.counted, w.missing],
          [counted, missing],
          `window ${w.lengthMs} at ${t}`,
        );
      }
      const { posted, received, lost } = state.totals;
      assert.equal(posted, received + lost + inFlight(state));
    }
  });
});

describe('robustness', () => {
  test('a step that throws is counted and the tracker carries on', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const poison = {
        kind: 'receipt',
        get data(): string {
          throw new Error('boom');
        },
      } as unknown as TrackerInput;
      const input$ = hot<TrackerInput>('a b c', { a: started(1), b: poison, c: ok(1) });
      const out$ = input$.pipe(
        track(options),
        map((s) => `${s.state.totals.internalErrors}/${s.state.totals.posted}`),
      );
      expectObservable(out$).toBe('a b c', { a: '0/0', b: '1/0', c: '1/1' });
    });
  });
});
