import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shardIndex } from '../../../src/shards/shardIndex';

test('a StatefulSet pod finds its own shard in its name; the variable wins when set', () => {
  assert.deepEqual(shardIndex('', 'probe-2', 4), { index: 2 });
  assert.deepEqual(shardIndex('', 'dataplatform-probe-0', 1), { index: 0 });
  assert.deepEqual(shardIndex('1', 'probe-2', 4), { index: 1 });
  assert.deepEqual(shardIndex(' 3 ', undefined, 4), { index: 3 });
  assert.deepEqual(shardIndex('', 'laptop', 1), { index: 0 });
  assert.deepEqual(shardIndex('', undefined, 1), { index: 0 });
});

test('an index past the shards, or not a number, is a problem naming where it came from', () => {
  const past = shardIndex('', 'probe-4', 4);
  assert.ok(
    'problem' in past &&
      /host name "probe-4" gives shard 4, but PROBE_SHARDS is 4/.test(past.problem),
  );
  const junk = shardIndex('two', 'probe-1', 4);
  assert.ok('problem' in junk && /expected a whole number/.test(junk.problem));
  assert.ok('problem' in shardIndex('-1', undefined, 4));
});

test('a pod ordinal of any length past the shard count is refused, never shard 0', () => {
  for (const hostname of ['probe-4', 'probe-12345', 'probe-99999999999999999999999', 'p-0004']) {
    const result = shardIndex('', hostname, 4);
    assert.ok('problem' in result, hostname);
    assert.match(result.problem, /, but PROBE_SHARDS is 4 \(0…3\)$/);
  }
  assert.match(
    (shardIndex('', 'probe-12345', 4) as { problem: string }).problem,
    /host name "probe-12345" gives shard 12345,/,
  );
  assert.deepEqual(shardIndex('', 'probe-0003', 4), { index: 3 });
  assert.deepEqual(shardIndex('', 'probe-12345', 20_000), { index: 12345 });
});

test('with one shard the host name is not read: a Deployment pod ending in digits starts', () => {
  assert.deepEqual(shardIndex('', 'probe-7d9f8-24567', 1), { index: 0 });
  assert.deepEqual(shardIndex('', 'probe-3', 1), { index: 0 });
  // The variable is still checked.
  assert.ok('problem' in shardIndex('1', 'probe-0', 1));
});
