import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ownerOf, ownersOf, owns, rankingOf } from '../../streams/shardOwners';

const ids = Array.from({ length: 1_000 }, (_, i) => `dataset-${i}.prod`);
const peers = (n: number) => Array.from({ length: n }, (_, i) => `probe-${i}`);
const owner = (id: string, names: readonly string[]) => ownersOf(id, names, 1)[0];

test('known cases: the same owners in every process, at every start', () => {
  // Computed once and written down: a change of the hash or of the score moves every target.
  const three = ['probe-0', 'probe-1', 'probe-2'];
  assert.deepEqual(rankingOf('orders.prod', three), ['probe-2', 'probe-1', 'probe-0']);
  assert.deepEqual(rankingOf('sales', three), ['probe-0', 'probe-2', 'probe-1']);
  assert.deepEqual(rankingOf('a', three), ['probe-1', 'probe-2', 'probe-0']);
  assert.deepEqual(rankingOf('dataset-7', ['a', 'b', 'c', 'd', 'e']), ['c', 'b', 'a', 'd', 'e']);
  assert.deepEqual(ownersOf('sales', three, 2), ['probe-0', 'probe-2']);
});

test('the order the peers are listed in, and repeats, change nothing', () => {
  for (const id of ids.slice(0, 100)) {
    const ranked = rankingOf(id, peers(5));
    assert.deepEqual(rankingOf(id, [...peers(5)].reverse()), ranked);
    assert.deepEqual(rankingOf(id, [...peers(5), ...peers(5)]), ranked);
  }
});

test('ties of the score go to the name first in order, whatever the listing', () => {
  // One name twice is the only sure tie; distinct names tie 1 in 2³² — the rule is the sort's.
  assert.deepEqual(rankingOf('t', ['b', 'b']), ['b']);
  const ranked = rankingOf('t', ['x', 'y']);
  assert.deepEqual(rankingOf('t', ['y', 'x']), ranked);
});

test('the targets spread evenly over 3, 5 and 10 peers', () => {
  for (const n of [3, 5, 10]) {
    const counts = new Map<string, number>();
    for (const id of ids)
      counts.set(owner(id, peers(n)), (counts.get(owner(id, peers(n))) ?? 0) + 1);
    assert.equal(counts.size, n);
    const fair = ids.length / n;
    for (const [name, count] of counts) {
      assert.ok(count > fair * 0.75 && count < fair * 1.25, `${name}: ${count} of ${ids.length}`);
    }
  }
});

test('a peer that goes moves only its own targets, each to its next-ranked peer', () => {
  const before = peers(5);
  const after = before.filter((p) => p !== 'probe-3');
  for (const id of ids) {
    const was = owner(id, before);
    const now = owner(id, after);
    if (was !== 'probe-3') assert.equal(now, was, id);
    else assert.equal(now, rankingOf(id, before)[1], id);
  }
});

test('a peer that comes takes about 1/(N + 1) of the targets, and only for itself', () => {
  const before = peers(4);
  const after = [...before, 'probe-new'];
  const moved = ids.filter((id) => owner(id, before) !== owner(id, after));
  assert.ok(
    moved.every((id) => owner(id, after) === 'probe-new'),
    'a moved target goes to the new peer',
  );
  const share = moved.length / ids.length;
  assert.ok(share > 0.15 && share < 0.25, `${share} moved`);
});

test('k replicas: k distinct peers, the first k of the ranking; more than the peers is all', () => {
  for (const id of ids.slice(0, 200)) {
    const ranked = rankingOf(id, peers(5));
    for (const k of [1, 2, 3, 5]) {
      const owners = ownersOf(id, peers(5), k);
      assert.equal(new Set(owners).size, k);
      assert.deepEqual(owners, ranked.slice(0, k));
    }
    assert.deepEqual(ownersOf(id, peers(5), 9), ranked);
  }
  assert.deepEqual(ownersOf('x', [], 2), []);
});

test('fewer than one replica is one: a target is never owned by nobody while a peer lives', () => {
  assert.deepEqual(ownersOf('sales', peers(3), 0), ownersOf('sales', peers(3), 1));
});

describe('by index among a fixed count of shards (PROBE_SHARDS)', () => {
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
});
