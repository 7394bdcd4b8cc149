import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postingOk, postingWindowMs, readinessProblems } from '../../streams/readiness';
import { step } from '../../streams/tracker';
import { createTrackerState } from '../../streams/trackerState';
import { productionWindows } from '../helpers/tracker';

const options = productionWindows;

test('readiness needs a connected listener and a recent successful post, except right after start', () => {
  const state = createTrackerState(options);
  assert.deepEqual(readinessProblems(state, 500, 1_000, 0), ['no listener connected']);
  assert.deepEqual(readinessProblems(state, 1_500, 1_000, 0), [
    'no listener connected',
    'no successful post in the last 1 s',
  ]);
  step(state, { kind: 'listener', listenerId: 0, connectionId: 1, status: 'connected' }, 1_500);
  step(state, { kind: 'post-started', seqno: 1, sentAt: 1_500, lagMs: 0, running: 1 }, 1_500);
  step(state, { kind: 'post-succeeded', seqno: 1, durationMs: 1, retries: 0, running: 0 }, 1_600);
  assert.deepEqual(readinessProblems(state, 2_000, 1_000, 0), []);
  assert.equal(postingOk(state, 2_600, 1_000, 0), true);
  assert.equal(postingOk(state, 2_601, 1_000, 0), false);
});

test('posting counts as OK for three intervals and one post timeout', () => {
  assert.equal(postingWindowMs(10, 1_000), 1_030);
  assert.equal(postingWindowMs(10_000, 5_000), 35_000);
});
