import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secondsText } from '../../../../src/web/status/statusText';
import { quantile, statusView } from '../../../../src/web/status/statusView';
import type { TrackerInput } from '../../../../streams/messages';
import { step } from '../../../../streams/tracker';
import { createTrackerState } from '../../../../streams/trackerState';
import {
  APP,
  failed,
  frame,
  ok,
  productionWindows,
  receipt,
  run,
  started,
} from '../../../helpers/tracker';

const options = productionWindows;

test('nearest-rank quantiles', () => {
  assert.equal(quantile([], 0.5), null);
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(quantile(values, 0.5), 50);
  assert.equal(quantile(values, 0.99), 99);
  assert.equal(quantile([7], 0.99), 7);
});

test('the status view reads the books, shares, latency and the newest events', () => {
  const state = createTrackerState(options);
  for (let seqno = 1; seqno <= 100; seqno++) {
    step(
      state,
      { kind: 'post-started', seqno, sentAt: seqno * 10, lagMs: 0, running: 1 },
      seqno * 10,
    );
    step(
      state,
      { kind: 'post-succeeded', seqno, durationMs: 1, retries: 0, running: 0 },
      seqno * 10,
    );
    if (seqno % 10 !== 0) {
      const data = JSON.stringify({ app_id: APP, seqno });
      step(
        state,
        { kind: 'receipt', listenerId: 0, connectionId: 1, data, receivedAt: seqno * 10 + seqno },
        seqno * 10 + seqno,
      );
    }
  }
  step(state, { kind: 'listener', listenerId: 0, connectionId: 1, status: 'connected' }, 1_000);
  step(state, { kind: 'clean' }, 1_350);
  // Posting window as the probe computes it: three 10 ms intervals plus a 1 s post timeout.
  const posting = { configuredListeners: 2, postingWindowMs: 1_030, postIntervalMs: 10 };
  const view = statusView(state, 1_350, { ...posting, recentEvents: 5 });
  assert.equal(view.totals.posted, 100);
  assert.equal(view.totals.received, 90);
  assert.equal(view.totals.lost, 10);
  assert.equal(view.inFlight, 0);
  assert.deepEqual(
    view.shares.map((s) => s.percent),
    [10, 10, 10],
  );
  assert.deepEqual(
    view.events.map((e) => e.seqno),
    [100, 99, 98, 97, 96],
  );
  assert.deepEqual(
    view.events.map((e) => e.state),
    ['lost', 'received', 'received', 'received', 'received'],
  );
  assert.equal(view.latency.latestMs, 99);
  assert.equal(view.latency.samples, 90);
  assert.equal(view.latency.p50Ms, 49); // 45th of 1…99 without the tens
  assert.equal(view.latency.p99Ms, 99);
  assert.equal(view.chart.points.length, 100);
  assert.equal(view.listeners.connected, 1);
  assert.equal(view.listeners.configured, 2);
  assert.equal(view.posting.ok, true); // within three intervals and a second
  const stale = statusView(state, 3_000, posting);
  assert.equal(stale.posting.ok, false);
  assert.equal(stale.posting.lastOkSecondsAgo, 2);
});

/** Seconds as the probe runs: a post every 10 s, objective 30 s, lost at 300 s. */
const real = {
  ...productionWindows,
  latencyObjectiveMs: 30_000,
  lostTimeoutMs: 300_000,
  purgeTimeoutMs: 900_000,
};
const realPosting = { configuredListeners: 2, postingWindowMs: 35_000, postIntervalMs: 10_000 };

/**
 * Events 1…`posts` sent every 10 s from 10 s on; those up to `delivered`, but for `drops`,
 * received 200 ms later; both listeners connected.
 */
function outageInputs(posts: number, delivered: number, drops: number[] = []) {
  const inputs: Array<[number, TrackerInput]> = [
    [0, { kind: 'listener', listenerId: 0, connectionId: 1, status: 'connected' }],
    [0, { kind: 'listener', listenerId: 1, connectionId: 2, status: 'connected' }],
  ];
  for (let seqno = 1; seqno <= posts; seqno++) {
    inputs.push([seqno * 10_000, started(seqno)], [seqno * 10_000 + 50, ok(seqno)]);
    if (seqno <= delivered && !drops.includes(seqno)) {
      inputs.push([seqno * 10_000 + 200, receipt(frame(seqno), seqno * 10_000 + 200)]);
    }
  }
  return inputs;
}
const outage = (posts: number, delivered: number) => run(outageInputs(posts, delivered), real);

test('in an outage the view says so within the silence limit, and marks overdue events', () => {
  const state = outage(15, 10); // the last receipt at 100.2 s; 11…15 sent at 110…150 s
  const view = statusView(state, 157_000, realPosting);
  assert.equal(view.posting.ok, true);
  assert.equal(view.delivery.lastReceiptSecondsAgo, 56.8);
  assert.equal(view.delivery.expectedEverySeconds, 10);
  assert.equal(view.delivery.silenceLimitSeconds, 30);
  assert.equal(view.delivery.silent, true);
  assert.equal(view.delivery.overdue, 2); // 11 and 12 are older than 30 s
  assert.deepEqual(
    view.events.map((e) => [e.seqno, e.state, e.overdue]),
    [
      [15, 'posted', false],
      [14, 'posted', false],
      [13, 'posted', false],
      [12, 'posted', true],
      [11, 'posted', true],
      [10, 'received', false],
      ...[9, 8, 7, 6, 5, 4, 3, 2, 1].map((seqno) => [seqno, 'received', false]),
    ],
  );
  assert.equal(view.chart.points.filter((p) => p.overdue).length, 2);
  assert.equal(view.totals.lost, 0, 'none is lost yet');
  assert.deepEqual(view.problems, [
    { level: 'bad', text: 'No event received for 57 s — expected one every 10 s' },
    {
      level: 'bad',
      text: '2 events overdue: posted more than 30 s ago (the objective) and not received; lost at 300 s',
    },
  ]);
  // The latest latency is the last good value, not a current one.
  assert.equal(view.latency.latestMs, 200);
  assert.equal(view.latency.latestAgeSeconds, 56.8);
  assert.equal(view.latency.stale, true);
});

test("the last receipt is the core's fact: the same however few events are walked", () => {
  const state = outage(15, 10);
  step(state, { kind: 'tick' }, 175_000); // the core marks 13 and 14 overdue
  const few = statusView(state, 175_000, { ...realPosting, recentEvents: 3, maxChartPoints: 3 });
  const all = statusView(state, 175_000, realPosting);
  assert.notEqual(few.delivery.lastReceiptSecondsAgo, null);
  assert.equal(few.delivery.lastReceiptSecondsAgo, all.delivery.lastReceiptSecondsAgo);
  assert.equal(few.delivery.quietSeconds, all.delivery.quietSeconds);
  assert.equal(few.delivery.silent, true);
  assert.equal(few.latency.stale, true);
  assert.equal(few.problems[0].text, all.problems[0].text);
  assert.match(few.problems[0].text, /^No event received for \d+ s — expected one every 10 s$/);
});

test('a normal run, one dropped event, and a young probe: no silence', () => {
  const normal = statusView(outage(15, 15), 155_000, realPosting);
  assert.equal(normal.delivery.silent, false);
  assert.equal(normal.latency.stale, false);
  assert.deepEqual(normal.problems, []);
  // Quiet for 24.8 s after one drop: within the limit, nothing overdue yet.
  const early = statusView(outage(12, 10), 125_000, realPosting);
  assert.equal(early.delivery.silent, false);
  assert.equal(early.delivery.overdue, 0);
  assert.deepEqual(early.problems, []);
  // One overdue event, but receipts still come: a warning, not an outage.
  const dropped = run(outageInputs(15, 15, [12]), real);
  const one = statusView(dropped, 155_000, realPosting);
  assert.equal(one.delivery.silent, false);
  assert.deepEqual(
    one.problems.map((p) => p.level),
    ['warn'],
  );
  const young = statusView(outage(1, 0), 12_000, realPosting);
  assert.equal(young.delivery.lastReceiptSecondsAgo, null);
  assert.equal(young.delivery.expectedEverySeconds, 10);
  assert.equal(young.delivery.silent, false);
});

test('posting failing and no listener are said as such, not as a silence', () => {
  const state = outage(10, 10);
  for (let seqno = 11; seqno <= 20; seqno++) {
    step(state, started(seqno), seqno * 10_000);
    step(state, failed(seqno), seqno * 10_000 + 50);
  }
  step(
    state,
    { kind: 'listener', listenerId: 0, connectionId: 1, status: 'disconnected' },
    200_000,
  );
  step(
    state,
    { kind: 'listener', listenerId: 1, connectionId: 2, status: 'disconnected' },
    200_000,
  );
  const view = statusView(state, 205_000, realPosting);
  assert.equal(view.posting.ok, false);
  assert.equal(view.delivery.silent, false);
  assert.deepEqual(view.problems, [
    { level: 'bad', text: 'No listener connected: events sent now cannot arrive' },
    { level: 'bad', text: 'No post has succeeded for 105 s (last error: HTTP 500)' },
  ]);
});

test('seconds in words: whole from ten on, two significant digits below', () => {
  assert.deepEqual([0, 0.05, 0.2, 0.25, 2.54, 9.96, 10, 56.8, 104.95].map(secondsText), [
    '0 s',
    '0.05 s',
    '0.2 s',
    '0.25 s',
    '2.5 s',
    '10 s',
    '10 s',
    '57 s',
    '105 s',
  ]);
});
