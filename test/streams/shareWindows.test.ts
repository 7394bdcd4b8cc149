import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventAt } from '../../streams/eventStore';
import type { TrackerInput } from '../../streams/messages';
import { missingShare } from '../../streams/shareWindows';
import { step } from '../../streams/tracker';
import { createTrackerState, inFlight, type TrackerState } from '../../streams/trackerState';
import { failed, frame, ok, options, receipt, run, started, windows } from '../helpers/tracker';

describe('missing shares', () => {
  /** Posts every 1 ms from t=1..n; `deliver` decides which are received (at +2 ms). */
  function feed(n: number, deliver: (seqno: number) => boolean, until: number): TrackerState {
    const opts = { ...options, shareWindows: windows(60, 180, 600), missingGraceMs: 10 };
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
      shareWindows: windows(7, 20),
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
      step(state, started(t, t), t);
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
            e.sentAt <= t - opts.missingGraceMs - w.spec.lengthMs
          )
            continue;
          if (e.state === 'posting' || e.state === 'failed') continue;
          counted += 1;
          if (e.state === 'posted' || e.state === 'lost') missing += 1;
        }
        assert.deepEqual(
          [w.counted, w.missing],
          [counted, missing],
          `window ${w.spec.lengthMs} at ${t}`,
        );
      }
      // In flight against a scan of the events held (one still posted is never purged), and
      // the books with it.
      let inFlightNow = 0;
      for (let seqno = state.firstSeqno; seqno < state.nextSeqno; seqno++) {
        if (eventAt(state, seqno)?.state === 'posted') inFlightNow += 1;
      }
      assert.equal(inFlight(state), inFlightNow, `in flight at ${t}`);
      const { posted, received, lost } = state.totals;
      assert.equal(posted, received + lost + inFlightNow, `books at ${t}`);
    }
  });
});

describe('missing shares whatever the purge timeout', () => {
  test('a purge shorter than the windows changes no share at any step', () => {
    const base = {
      ...options,
      shareWindows: windows(7, 20, 60),
      missingGraceMs: 3,
      lostTimeoutMs: 10,
    };
    const forgetful = createTrackerState({ ...base, purgeTimeoutMs: 10 });
    const keeping = createTrackerState({ ...base, purgeTimeoutMs: 10_000 });
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let t = 1; t <= 500; t++) {
      const inputs: TrackerInput[] = [started(t, t)];
      if (random() < 0.1) inputs.push(failed(t));
      else if (random() < 0.95) inputs.push(ok(t));
      // Mostly prompt receipts; an outage from 200 to 260 drops everything.
      const back = t - Math.floor(random() * 4);
      if (back >= 1 && (t < 200 || t > 260) && random() < 0.8) inputs.push(receipt(frame(back), t));
      if (t % 5 === 0) inputs.push({ kind: 'clean' });
      for (const input of inputs) {
        step(forgetful, input, t);
        step(keeping, input, t);
      }
      const shares = (s: TrackerState) => s.windows.windows.map((w) => [w.counted, w.missing]);
      assert.deepEqual(shares(forgetful), shares(keeping), `at ${t}`);
    }
    // The forgetful tracker held far fewer events, and the windows what the longest one needs.
    assert.ok(forgetful.nextSeqno - forgetful.firstSeqno <= 11);
    assert.ok(forgetful.windows.sentAt.length - forgetful.windows.head <= 64);
    assert.ok(keeping.windows.windows[2].counted > 40);
  });
});
