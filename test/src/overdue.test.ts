import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overdue } from '../../src/overdue';
import type { EventState } from '../../streams/eventStore';

test('an event is overdue once its successful post is older than the objective and unanswered', () => {
  const event = (state: EventState) => ({ seqno: 1, sentAt: 1_000, state });
  assert.equal(overdue(event('posted'), 1_000 + 30_000, 30_000), false, 'at the objective');
  assert.equal(overdue(event('posted'), 1_000 + 30_001, 30_000), true, 'past it');
  assert.equal(
    overdue(event('posted'), 1_000 + 10 ** 9, 30_000),
    true,
    'long past, not yet cleaned',
  );
  // Settled events, and posts not (or never successfully) answered, are not the pipeline's delay.
  for (const state of ['posting', 'received', 'lost', 'late', 'failed'] as const) {
    assert.equal(overdue(event(state), 1_000 + 10 ** 9, 30_000), false, state);
  }
  assert.equal(overdue(event('posted'), 1_000 + 11, 10), true, 'the smallest objective');
});
