import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asyncScheduler } from 'rxjs';
import type { PostProgress } from '../../streams/postMessages';
import { probe$ } from '../../streams/probe';
import { missingShares } from '../../streams/shareWindows';
import type { SocketEvent } from '../../streams/socketMessages';
import { inFlight, type TrackerState } from '../../streams/trackerState';
import { testScheduler } from '../helpers/marbles';
import { oneListener, options, pipeline, type Stand } from '../helpers/virtualPipeline';

const percents = (s: TrackerState) => missingShares(s.windows).map((share) => share.percent);

/** Runs the probe in virtual time and reads `read(state)` at each of `times`. */
function observe<T>(stand: Stand, times: number[], read: (state: TrackerState) => T): T[] {
  const seen: T[] = [];
  testScheduler().run(() => {
    let latest: TrackerState | undefined;
    const subscription = probe$(options, pipeline(stand)).subscribe((s) => {
      latest = s.state;
    });
    for (const at of times) {
      asyncScheduler.schedule(() => seen.push(read(latest as TrackerState)), at);
    }
    asyncScheduler.schedule(() => subscription.unsubscribe(), Math.max(...times) + 1);
  });
  return seen;
}

describe('the whole probe in virtual time', () => {
  test('a healthy pipeline: counts, latency and shares read what the pipeline did', () => {
    const stand = { postMs: 40, holdMs: 2_000, drop: (seqno: number) => seqno % 5 === 0 };
    const [state] = observe(stand, [700_000 + 500], (s) => ({
      totals: { ...s.totals },
      inFlight: inFlight(s),
      latency: s.latestLatencyMs,
      shares: percents(s),
    }));
    // 701 posts (at 0 s … 700 s); 140 of those with seqno % 5 = 0 are dropped.
    assert.equal(state.totals.posted, 701);
    // Received: those not dropped that arrived by 700.5 s (sent by 698.46 s: seqnos 1…699).
    assert.equal(state.totals.received, 699 - Math.floor(699 / 5));
    // The last clean (690 s) marked events sent by 390 s: every fifth of seqnos 1…391.
    assert.equal(state.totals.lost, 78);
    // In flight, counted on its own: seqno 701 on its way, and the dropped ones sent after
    // 390 s (395, 400, …, 700) not yet lost.
    assert.equal(state.inFlight, 1 + ((700 - 395) / 5 + 1));
    assert.equal(state.totals.duplicates, 0);
    assert.equal(state.latency, 2_040);
    assert.deepEqual(state.shares, [20, 20, 20]);
  });

  test('a dead pipeline: shares climb to 100 within the grace, events turn lost on time', () => {
    const stand = { postMs: 40, holdMs: 0, dead: true };
    const times = [9_000, 10_500, 299_000, 300_500, 330_500, 700_500];
    const seen = observe(stand, times, (s) => ({
      share1m: percents(s)[0],
      share10m: percents(s)[2],
      lost: s.totals.lost,
      received: s.totals.received,
    }));
    assert.deepEqual(
      seen.map((x) => x.share1m),
      [0, 100, 100, 100, 100, 100],
    );
    assert.equal(seen[1].share10m, 100);
    // Lost timeout 300 s, cleans every 30 s: the event sent at 0 turns lost at the 300 s clean,
    // those sent by 30 s at the 330 s clean.
    assert.deepEqual(
      seen.map((x) => x.lost),
      [0, 0, 0, 1, 31, 391],
    );
    assert.ok(seen.every((x) => x.received === 0));
  });

  test('a drop that stops: shares fall back as the bad minute leaves each window', () => {
    // Events 101..130 (sent 100 s … 129 s) are dropped.
    const stand = { postMs: 40, holdMs: 100, drop: (seqno: number) => seqno > 100 && seqno <= 130 };
    const times = [150_000, 200_500, 330_000, 740_500];
    const seen = observe(stand, times, (s) => percents(s).map(Math.round));
    // At 150 s the 1m window holds sends in (80 s, 140 s]: 60 events, 30 dropped; the 3m and
    // 10m windows hold all 141 events sent by 140 s, 30 dropped (21.3 %).
    assert.deepEqual(seen[0], [50, 21, 21]);
    assert.equal(seen[1][0], 0); // (130 s, 190 s]: clean again
    assert.equal(seen[2][1], 0); // 3m window (140 s, 320 s]
    assert.equal(seen[3][2], 0); // 10m window (130 s, 730 s]
  });

  test('both listeners receive each event; the second copy is not a duplicate', () => {
    const stand = { postMs: 10, holdMs: 50 };
    const [totals] = observe(stand, [60_500], (s) => ({ ...s.totals }));
    assert.equal(totals.duplicates, 0);
    assert.equal(totals.received, 61);
  });

  test('posting waits for the first listener to connect, or for the cap', () => {
    const seen: Array<[number, number]> = [];
    testScheduler().run(({ cold }) => {
      const post = () => cold<PostProgress>('1ms (r|)', { r: { kind: 'answered', retries: 0 } });
      // The subscription answers only after 3 s; with nobody listening, a post could only be lost.
      const slow = () => cold<SocketEvent>('3s o', { o: { kind: 'open' } });
      const subscription = probe$(oneListener, { post, connect: slow }).subscribe(({ state }) => {
        if (state.nextSeqno > 1 && seen.length === 0)
          seen.push([asyncScheduler.now(), state.nextSeqno - 1]);
      });
      asyncScheduler.schedule(() => subscription.unsubscribe(), 5_000);
    });
    assert.deepEqual(seen, [[3_000, 1]]);

    const capped: number[] = [];
    testScheduler().run(({ cold }) => {
      const post = () => cold<PostProgress>('1ms (r|)', { r: { kind: 'answered', retries: 0 } });
      const never = () => cold<SocketEvent>('-');
      const subscription = probe$(oneListener, { post, connect: never }).subscribe(({ state }) => {
        if (state.nextSeqno > 1 && capped.length === 0) capped.push(asyncScheduler.now());
      });
      asyncScheduler.schedule(() => subscription.unsubscribe(), 12_000);
    });
    assert.deepEqual(capped, [options.subscription.connectTimeoutMs]);
  });
});
