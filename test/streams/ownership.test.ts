import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownerOf, owns } from '../../streams/ownership';

const ids = Array.from({ length: 1_000 }, (_, i) => `dataset-${i}.prod`);

test('owners are fixed across releases: known ids own the same shards as before', () => {
  // Written down once from this function: two versions of the probe side by side in a rollout
  // must agree, so a change of the hash or the score is a change of every owner, and fails here.
  const known: Record<string, number[]> = {
    'bins-prod': [0, 1, 1, 1],
    'bins-dev': [0, 0, 0, 0],
    orders: [0, 1, 2, 4],
    a: [0, 0, 2, 2],
    'target-1': [0, 1, 2, 2],
    'target-2': [0, 1, 1, 1],
  };
  for (const [id, owners] of Object.entries(known)) {
    assert.deepEqual(
      [1, 2, 3, 5].map((shards) => ownerOf(id, shards)),
      owners,
      id,
    );
  }
});

test('every target has exactly one owner among the shards', () => {
  for (const id of ids.slice(0, 100)) {
    const owners = [0, 1, 2, 3].filter((shard) => owns(id, shard, 4));
    assert.equal(owners.length, 1, id);
    assert.ok(owners[0] >= 0 && owners[0] < 4);
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
