import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventAt } from '../../streams/eventStore';
import type { TrackerInput } from '../../streams/messages';
import { step } from '../../streams/tracker';
import { frame, ok, receipt, run, started } from '../helpers/tracker';

describe('purge', () => {
  test('events are forgotten after the purge timeout; memory follows', () => {
    const inputs: Array<[number, TrackerInput]> = [];
    for (let seqno = 1; seqno <= 3000; seqno++) {
      inputs.push([seqno, started(seqno)], [seqno, ok(seqno)]);
      if (seqno % 100 === 0) inputs.push([seqno, { kind: 'clean' }]);
    }
    const state = run(inputs);
    // At 3000, events sent at or before 2100 are purged.
    assert.equal(state.firstSeqno, 2101);
    assert.equal(state.nextSeqno - state.firstSeqno, 900);
    assert.ok(state.events.length - state.head === 900);
    assert.ok(state.events.length <= 2 * 900 + 1024);
    assert.equal(eventAt(state, 2100), undefined);
    assert.equal(state.totals.lost, 2700);
    assert.equal(state.totals.purged, 2100);
    // Receipts for purged seqnos are unknown, and do not grow the state.
    step(state, receipt(frame(5), 3001), 3001);
    assert.equal(state.totals.unknownSeqno, 1);
  });
});
