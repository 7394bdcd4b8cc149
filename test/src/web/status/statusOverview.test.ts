import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type OverviewTarget,
  SUMMARY_EVENTS,
  statusOverview,
} from '../../../../src/web/status/statusOverview';
import { step } from '../../../../streams/tracker';
import { createTrackerState, type TrackerState } from '../../../../streams/trackerState';
import { APP, productionWindows } from '../../../helpers/tracker';

/**
 * A target that posted `count` events every 10 ms, each received `latency(seqno)` ms later
 * unless `lost(seqno)`, with `connected` of its two listeners up.
 */
function target(
  id: string,
  {
    count = 100,
    connected = 2,
    latency = (seqno: number) => seqno,
    lost = (_: number): boolean => false,
    labels = {},
  } = {},
): OverviewTarget & { state: TrackerState } {
  const state = createTrackerState(productionWindows);
  for (let seqno = 1; seqno <= count; seqno++) {
    const at = seqno * 10;
    step(state, { kind: 'post-started', seqno, sentAt: at, lagMs: 0, running: 1 }, at);
    step(state, { kind: 'post-succeeded', seqno, durationMs: 1, retries: 0, running: 0 }, at);
    if (!lost(seqno)) {
      const data = JSON.stringify({ app_id: APP, seqno });
      const receivedAt = at + latency(seqno);
      step(
        state,
        { kind: 'receipt', listenerId: 0, connectionId: 1, data, receivedAt },
        receivedAt,
      );
    }
  }
  for (let listenerId = 0; listenerId < connected; listenerId++) {
    step(state, { kind: 'listener', listenerId, connectionId: 1, status: 'connected' }, 1);
  }
  const now = count * 10 + 50;
  step(state, { kind: 'clean' }, now);
  return {
    id,
    labels,
    appId: APP,
    state,
    options: { configuredListeners: 2, postingWindowMs: 1_030, postIntervalMs: 10 },
  };
}

const NOW = 100 * 10 + 50;

test('one row per target, the worst first, then by id; each with its level and numbers', () => {
  const starting: OverviewTarget = {
    id: 'starting',
    labels: {},
    appId: 'ffff0000',
    state: undefined,
    options: { configuredListeners: 3, postingWindowMs: 1_030, postIntervalMs: 10 },
  };
  const overview = statusOverview(
    [
      target('b-healthy', { labels: { team: 'data' } }),
      target('a-healthy', { latency: () => 7 }),
      starting,
      target('one-listener', { connected: 1 }),
      target('no-listener', { connected: 0, lost: (seqno) => seqno % 10 === 0 }),
      target('Z-no-listener', { connected: 0 }),
    ],
    NOW,
  );
  const rows = overview.targets;
  assert.deepEqual(
    rows.map((row) => [row.id, row.level]),
    [
      ['no-listener', 'bad'], // natural order: by letter whatever the case
      ['Z-no-listener', 'bad'],
      ['one-listener', 'warn'],
      ['starting', 'starting'],
      ['a-healthy', 'ok'],
      ['b-healthy', 'ok'],
    ],
  );
  const [broken, , amber, start, a, b] = rows;
  assert.equal(broken.problem, 'No listener connected: events sent now cannot arrive');
  assert.ok(broken.problems >= 1);
  assert.deepEqual(broken.listeners, { connected: 0, configured: 2 });
  assert.deepEqual(
    broken.shares.map((share) => share.percent),
    [10, 10, 10],
  );
  assert.equal(amber.problem, '1 of 2 listeners connected');
  assert.deepEqual(start, {
    id: 'starting',
    labels: {},
    appId: 'ffff0000',
    level: 'starting',
    problem: null,
    problems: 0,
    shares: [],
    latency: { p50Ms: null, p99Ms: null, samples: 0 },
    listeners: { connected: 0, configured: 3 },
  });
  assert.deepEqual(a.latency, { p50Ms: 7, p99Ms: 7, samples: 100 });
  assert.deepEqual(b.latency, { p50Ms: 50, p99Ms: 99, samples: 100 });
  assert.equal(b.problem, null);
  assert.deepEqual(b.labels, { team: 'data' });
  assert.deepEqual(
    b.shares.map((share) => share.percent),
    [0, 0, 0],
  );
  assert.deepEqual(statusOverview([], NOW), { targets: [] });
});

test('a row walks a bounded window of the newest events, however many the target keeps', () => {
  const count = 5_000;
  const big = target('big', { count, latency: (seqno) => (seqno > count - 10 ? 1_000 : 1) });
  let reads = 0;
  big.state.events = new Proxy(big.state.events, {
    get(events, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads += 1;
      return Reflect.get(events, key, receiver);
    },
  });
  const [row] = statusOverview([big], count * 10 + 50).targets;
  assert.ok(reads > 0 && reads <= SUMMARY_EVENTS, `${reads} events read`);
  // The quantiles are of the window: the ten slow ones are 10% of it, not 0.2% of all.
  assert.equal(row.latency.samples, SUMMARY_EVENTS);
  assert.equal(row.latency.p99Ms, 1_000);
  assert.equal(row.latency.p50Ms, 1);
  assert.equal(row.level, 'ok');
});

test('ids in natural order, as a person counts: numbers by value, then code unit order on a tie', () => {
  const starting = (id: string): OverviewTarget => ({
    id,
    labels: {},
    appId: 'ffff0000',
    state: undefined,
    options: { configuredListeners: 1, postingWindowMs: 1_030, postIntervalMs: 10 },
  });
  const ids = ['probe-10', 'probe-2', 'probe-12', 'probe-1', 'probe-1a', 'Probe-1', 'a.9', 'a.10'];
  const rows = statusOverview(ids.map(starting), 0).targets;
  assert.deepEqual(
    rows.map((row) => row.id),
    ['a.9', 'a.10', 'probe-1', 'Probe-1', 'probe-1a', 'probe-2', 'probe-10', 'probe-12'],
  );
});
