import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../src/config/loadConfig';
import { diffTargets } from '../../../src/targets/diffTargets';
import type { Target } from '../../../src/targets/target';

const target = (
  id: string,
  variables: Record<string, string> = {},
  labels: Record<string, string> = {},
  file = 'a.yaml',
): Target => ({
  id,
  labels,
  file,
  config: loadConfig({
    PROBE_DATASET_ID: `ds-${id}`,
    PROBE_WEBHOOK_TOKEN: 'token-1',
    WEBSOCKET_URL: 'wss://hub.example/ws',
    ...variables,
  }),
});

const ids = (targets: Target[]) => targets.map((t) => t.id);

describe('the difference between the running targets and the loaded ones', () => {
  test('by id: added, removed, changed and unchanged', () => {
    const running = [target('keep'), target('edit'), target('drop')];
    const loaded = [
      target('new'),
      target('edit', { POST_EVENT_INTERVAL_SECONDS: '5' }),
      target('keep'),
    ];
    const diff = diffTargets(running, loaded);
    assert.deepEqual(ids(diff.added), ['new']);
    assert.deepEqual(ids(diff.removed), ['drop']);
    assert.deepEqual(ids(diff.changed), ['edit']);
    assert.equal(diff.changed[0], loaded[1], 'a changed target restarts as loaded');
    assert.deepEqual(ids(diff.unchanged), ['keep']);
    assert.equal(diff.unchanged[0], running[0], 'an unchanged one is the running one');
  });

  test('a secret compares by its value: a rotated token restarts the target', () => {
    const diff = diffTargets([target('a')], [target('a', { PROBE_WEBHOOK_TOKEN: 'token-2' })]);
    assert.deepEqual(ids(diff.changed), ['a']);
    assert.deepEqual(ids(diff.unchanged), []);
  });

  test('labels count, in any order; the file a target is written in does not', () => {
    const running = [target('a', {}, { team: 'x', tier: '1' }), target('b', {}, { team: 'x' })];
    const loaded = [
      target('a', {}, { tier: '1', team: 'x' }, 'moved.yaml'),
      target('b', {}, { team: 'y' }),
    ];
    const diff = diffTargets(running, loaded);
    assert.deepEqual(ids(diff.unchanged), ['a']);
    assert.deepEqual(ids(diff.changed), ['b']);
  });

  test('from nothing everything is added; to nothing everything is removed', () => {
    const all = [target('a'), target('b')];
    assert.deepEqual(ids(diffTargets([], all).added), ['a', 'b']);
    assert.deepEqual(ids(diffTargets(all, []).removed), ['a', 'b']);
    const same = diffTargets(all, [target('b'), target('a')]);
    assert.deepEqual(
      [same.added, same.removed, same.changed].map((list) => list.length),
      [0, 0, 0],
    );
    assert.deepEqual(ids(same.unchanged), ['b', 'a']);
  });
});
