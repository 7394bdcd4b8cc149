import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Effect } from '../../streams/effects';
import { type ListenerView, updateListener } from '../../streams/listenerView';
import { listenerChange } from '../../streams/rotation';

test('a listener keeps why it went down while it retries, and forgets it once connected', () => {
  const listeners = new Map<number, ListenerView>();
  const effects: Effect[] = [];
  const refused = { cause: 'refused', status: 403, detail: 'HTTP 403' } as const;
  updateListener(listeners, listenerChange(0, 1, 'connecting'), 0, effects);
  assert.equal(listeners.get(0)?.disconnect, undefined);
  updateListener(
    listeners,
    listenerChange(0, 1, 'disconnected', { disconnect: refused }),
    1,
    effects,
  );
  updateListener(listeners, listenerChange(0, 2, 'connecting'), 2, effects);
  assert.equal(listeners.get(0)?.status, 'connecting');
  assert.deepEqual(listeners.get(0)?.disconnect, refused);
  assert.equal(listeners.get(0)?.disconnectsByCause.get('refused_403'), 1);
  updateListener(listeners, listenerChange(0, 2, 'connected'), 3, effects);
  assert.equal(listeners.get(0)?.disconnect, undefined);
  assert.equal(listeners.get(0)?.disconnects, 1);
  assert.equal(effects.length, 4);
});
