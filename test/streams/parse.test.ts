import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_FRAME_CHARS, parseFrame } from '../../streams/parse';
import { WIRE_TEXT_CHARS } from '../../streams/socketMessages';

test('a binary frame is judged here, once: malformed, its size as the sample', () => {
  assert.deepEqual(parseFrame({ binaryBytes: 42 }), {
    kind: 'malformed',
    reason: 'binary',
    sample: '(42 bytes)',
  });
});

test('a malformed text frame carries its start, cut to the wire-text limit', () => {
  const long = `x${'y'.repeat(MAX_FRAME_CHARS)}`;
  const tooLarge = parseFrame(long);
  assert.equal(tooLarge.kind === 'malformed' && tooLarge.reason, 'too-large');
  assert.equal(tooLarge.kind === 'malformed' && tooLarge.sample.length, WIRE_TEXT_CHARS);
  const notJson = parseFrame('{"app_id":');
  assert.deepEqual(notJson, { kind: 'malformed', reason: 'not-json', sample: '{"app_id":' });
});

test('an event is read from its two fields only', () => {
  assert.deepEqual(parseFrame('{"app_id":"abcd1234","seqno":7,"extra":[1]}'), {
    kind: 'event',
    appId: 'abcd1234',
    seqno: 7,
  });
});
