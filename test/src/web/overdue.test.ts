import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overdue } from '../../../src/web/overdue';
import { eventAt } from '../../../streams/eventStore';
import type { TrackerInput } from '../../../streams/messages';
import { failed, frame, ok, receipt, run, started } from '../../helpers/tracker';

// The helpers' scale: objective 100 ms, lost at 300 ms.
const tick = (): TrackerInput => ({ kind: 'tick' });
const shown = (inputs: Array<[number, TrackerInput]>, seqno = 1) => {
  const event = eventAt(run(inputs), seqno);
  assert.ok(event);
  return overdue(event);
};

test('an event shows as overdue from its objective until it arrives or is lost', () => {
  const posted: Array<[number, TrackerInput]> = [
    [0, started(1)],
    [1, ok(1)],
  ];
  assert.equal(shown([...posted, [100, tick()]]), false, 'at the objective');
  assert.equal(shown([...posted, [101, tick()]]), true, 'past it');
  assert.equal(shown([...posted, [101, tick()], [150, receipt(frame(1), 150)]]), false, 'arrived');
  assert.equal(shown([...posted, [101, tick()], [300, { kind: 'clean' }]]), false, 'lost');
  assert.equal(
    shown([
      [0, started(1)],
      [1, failed(1)],
      [500, tick()],
    ]),
    false,
    'a failed post',
  );
  assert.equal(
    shown([
      [0, started(1)],
      [500, tick()],
    ]),
    false,
    'its post still unanswered',
  );
  assert.equal(
    shown([
      [0, started(1)],
      [500, tick()],
      [501, ok(1)],
    ]),
    true,
    'answered late',
  );
});
