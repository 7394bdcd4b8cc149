import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownerOf, owns } from '../../streams/ownership';

const ids = Array.from({ length: 1_000 }, (_, i) => `dataset-${i}.prod`);

test('every target has exactly one owner among the shards', () => {
  for (const id of ids.slice(0, 100)) {
    const owners = [0, 1, 2, 3].filter((shard) => owns(id, shard, 4));
    assert.deepEqual(owners, [ownerOf(id, 4)]);
  }
  assert.ok(ids.every((id) => ownerOf(id, 1) === 0));
});

test('the targets spread evenly over the shards', () => {
  const counts = [0, 0, 0, 0];
  for (const id of ids) counts[ownerOf(id, 4)] += 1;
  for (const count of counts) assert.ok(count > 200 && count < 300, `${counts}`);
});

test('adding a shard moves only the targets it wins: about 1/(N + 1) of them', () => {
  const moved = ids.filter((id) => ownerOf(id, 3) !== ownerOf(id, 4));
  assert.ok(
    moved.every((id) => ownerOf(id, 4) === 3),
    'a moved target goes to the new shard',
  );
  const share = moved.length / ids.length;
  assert.ok(share > 0.2 && share < 0.3, `${share} moved`);
  // hash mod N would move about three quarters.
});
