import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asyncScheduler, Subject } from 'rxjs';
import type { Effect } from '../../streams/effects';
import { probe$ } from '../../streams/probe';
import type { TrackerState } from '../../streams/trackerState';
import { testScheduler } from '../helpers/marbles';
import { options, pipeline, type Stand } from '../helpers/virtualPipeline';

interface Drained {
  readonly completedAt: number | undefined;
  readonly totals: TrackerState['totals'];
  readonly inFlight: number;
  readonly postsAfterDrain: number;
  readonly effects: Effect[];
}

/** Runs the probe in virtual time, starts its drain at `drainAt`, and says how it ended. */
function drain(stand: Stand, drainAt: number, drainMs: number, endAt = 120_000): Drained {
  let result: Drained | undefined;
  testScheduler().run(() => {
    const drain$ = new Subject<void>();
    const effects: Effect[] = [];
    let latest: TrackerState | undefined;
    let completedAt: number | undefined;
    let postsAfterDrain = 0;
    const subscription = probe$({ ...options, drainMs }, { ...pipeline(stand), drain$ }).subscribe({
      next: ({ state, effects: stepEffects }) => {
        latest = state;
        for (const effect of stepEffects) {
          effects.push(effect);
          if (effect.kind === 'post-started' && asyncScheduler.now() > drainAt) postsAfterDrain++;
        }
      },
      complete: () => {
        completedAt = asyncScheduler.now();
      },
    });
    asyncScheduler.schedule(() => drain$.next(), drainAt);
    asyncScheduler.schedule(() => {
      const state = latest as TrackerState;
      result = {
        completedAt,
        totals: { ...state.totals },
        inFlight: state.eventsInFlight,
        postsAfterDrain,
        effects,
      };
      subscription.unsubscribe();
    }, endAt);
  });
  return result as Drained;
}

const kinds = (effects: Effect[]) =>
  effects.map((e) => e.kind).filter((k) => k.startsWith('drain'));

describe('a drain: posting stops, listening goes on until every event settles or the deadline', () => {
  test('it ends when the last event in flight arrives, with every event received', () => {
    // Posts at 0, 1 s, … 5 s; each answered in 40 ms and delivered 2 s after its answer.
    const result = drain({ postMs: 40, holdMs: 2_000 }, 5_500, 30_000);
    assert.equal(result.postsAfterDrain, 0);
    assert.equal(result.completedAt, 5_000 + 40 + 2_000);
    assert.equal(result.totals.posted, 6);
    assert.equal(result.totals.received, 6);
    assert.equal(result.totals.drained, 0);
    assert.equal(result.inFlight, 0);
    assert.deepEqual(kinds(result.effects), ['drain-started', 'drain-ended']);
  });

  test('at the deadline what is still in flight ends drained, and the books balance', () => {
    // A dead pipeline: nothing arrives. Drain at 5.5 s with 3 s to wait.
    const result = drain({ postMs: 40, holdMs: 0, dead: true }, 5_500, 3_000);
    assert.equal(result.completedAt, 8_500);
    const { posted, received, lost, drained } = result.totals;
    assert.equal(posted, 6);
    assert.equal(drained, 6);
    assert.equal(posted, received + lost + drained + result.inFlight);
    const ended = result.effects.find((e) => e.kind === 'drain-ended');
    assert.deepEqual(ended, { kind: 'drain-ended', drained: [1, 2, 3, 4, 5, 6], unanswered: [] });
  });

  test('a post still unanswered at the deadline is a post error, never forgotten', () => {
    // The collector hangs for 20 s on every post; the drain waits 3 s.
    const result = drain({ postMs: 20_000, holdMs: 0 }, 5_500, 3_000);
    assert.equal(result.completedAt, 8_500);
    assert.equal(result.totals.posted, 0);
    assert.equal(result.totals.postErrors, 6);
    const ended = result.effects.find((e) => e.kind === 'drain-ended');
    assert.deepEqual(ended, { kind: 'drain-ended', drained: [], unanswered: [1, 2, 3, 4, 5, 6] });
  });

  test('a posted answer during the drain still counts; the drain waits for it', () => {
    // Answers take 1.5 s, deliveries 0.5 s more: the post of 5 s is answered at 6.5 s.
    const result = drain({ postMs: 1_500, holdMs: 500 }, 5_500, 30_000);
    assert.equal(result.completedAt, 5_000 + 1_500 + 500);
    assert.equal(result.totals.posted, 6);
    assert.equal(result.totals.received, 6);
  });

  test('with nothing in flight it ends at once', () => {
    // Posts answered and delivered within 50 ms: at 5.5 s nothing is open.
    const result = drain({ postMs: 10, holdMs: 40 }, 5_500, 30_000);
    assert.equal(result.completedAt, 5_500);
    assert.equal(result.totals.received, 6);
  });

  test('a drain before posting began ends at once, posting nothing', () => {
    const result = drain({ postMs: 10, holdMs: 40 }, 0, 30_000);
    assert.equal(result.completedAt, 0);
    assert.equal(result.totals.posted, 0);
  });
});
