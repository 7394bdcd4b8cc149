import assert from 'node:assert/strict';
import { test } from 'node:test';
import { delayToSlotMs, phaseMs } from '../../streams/phase';

test('a target keeps its slot: the same phase for the same id and interval', () => {
  assert.equal(phaseMs('orders.prod', 10_000), phaseMs('orders.prod', 10_000));
  const phase = phaseMs('orders.prod', 10_000);
  assert.ok(phase >= 0 && phase < 10_000);
});

test('100 targets at one interval spread over it instead of posting in one burst', () => {
  const slots = new Array(10).fill(0);
  for (let i = 0; i < 100; i++) slots[Math.floor(phaseMs(`dataset-${i}`, 10_000) / 1_000)] += 1;
  assert.ok(Math.max(...slots) <= 20, `${slots}`);
});

test('the next slot is at phase + k × interval on the wall clock', () => {
  const interval = 10_000;
  const phase = phaseMs('orders.prod', interval);
  const now = 1_764_460_000_123;
  const delay = delayToSlotMs('orders.prod', interval, now);
  assert.ok(delay >= 0 && delay < interval);
  assert.equal((now + delay - phase) % interval, 0);
  // At a slot, no wait; absurd inputs never give a negative or NaN wait.
  assert.equal(delayToSlotMs('orders.prod', interval, now + delay), 0);
  assert.equal(delayToSlotMs('x', 0, now), 0);
  assert.equal(delayToSlotMs('x', 10, Number.NaN), 0);
});
