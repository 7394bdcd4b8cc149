import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/logger';
import { redactor } from '../../src/redact';

test('the redactor masks known secrets, token query parameters and bearer tokens', () => {
  const redact = redactor(['hook-secret-1', 'cs', 'client-secret-2']);
  assert.equal(
    redact('GET https://x/webhook/event/d/1?token=abc&x=1 ws://h/?dataset_id=d&webhook_token=zzz'),
    'GET https://x/webhook/event/d/1?token=***&x=1 ws://h/?dataset_id=d&webhook_token=***',
  );
  assert.equal(redact('Authorization: Bearer eyJhbGciOi.J9x-y_z'), 'Authorization: Bearer ***');
  assert.equal(redact('failed with hook-secret-1 and client-secret-2'), 'failed with *** and ***');
  // Secrets shorter than four characters are not masked word by word (they would mangle text).
  assert.equal(redact('css'), 'css');
});

test('one line per event: JSON when deployed, readable locally, filtered by level, always redacted', () => {
  const lines: string[] = [];
  const json = createLogger('info', {
    secrets: ['s3cret-value'],
    write: (line) => lines.push(line),
  });
  json.debug('hidden');
  json.warn('post failed', { error: 'HTTP 500 for s3cret-value' });
  assert.equal(json.debugEnabled, false);
  assert.equal(lines.length, 1);
  const entry = JSON.parse(lines[0]);
  assert.equal(entry.level, 'warn');
  assert.equal(entry.message, 'post failed');
  assert.equal(entry.error, 'HTTP 500 for ***');

  const human = createLogger('debug', { human: true, write: (line) => lines.push(line) });
  human.debug('event received', { seqno: 4, latencyMs: 12 });
  assert.match(lines[1], /^\S+Z DEBUG event received seqno=4 latencyMs=12$/);
});
