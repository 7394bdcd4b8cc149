import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTROL } from '../../../src/logs/controlChars';
import { eventTable } from '../../../src/logs/eventTable';
import { createLogger } from '../../../src/logs/logger';
import { redactor } from '../../../src/logs/redact';
import { step } from '../../../streams/tracker';
import { createTrackerState } from '../../../streams/trackerState';
import { options, started } from '../../helpers/tracker';

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

/** What a far side may send in a close reason: clear the screen, then forge a line. */
const HOSTILE =
  'bye\u001b[2J\u001b[H\r\n2026-01-01T00:00:00.000Z INFO  all good\u0085\u009b31m\u007f\u2028\u2029\u202e\t.';

test('every line, in both formats, is one line with no control characters, escaped visibly', () => {
  for (const human of [true, false]) {
    const lines: string[] = [];
    const logger = createLogger('debug', { human, write: (line) => lines.push(line) });
    logger.warn('listener disconnected\nfake', { reason: HOSTILE, nested: { reason: HOSTILE } });
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.ok(!CONTROL.test(line), `${human ? 'human' : 'JSON'}: ${JSON.stringify(line)}`);
    assert.equal(line.split(/\r\n|\r|\n|\u2028|\u2029/).length, 1);
    if (human) {
      assert.match(line, /listener disconnected\\nfake reason=bye\\x1b\[2J\\x1b\[H\\r\\n2026/);
      assert.ok(line.includes('\\x85\\x9b31m\\x7f\\u2028\\u2029\\u202e\\t.'), line);
    } else {
      // The escapes are JSON's own: the line still parses to exactly what was logged.
      const entry = JSON.parse(line);
      assert.equal(entry.message, 'listener disconnected\nfake');
      assert.equal(entry.reason, HOSTILE);
      assert.equal(entry.nested.reason, HOSTILE);
    }
  }
});

test('a secret with control characters in it is masked before the line is escaped', () => {
  const secret = 'tok\u001b\n\u2028en';
  for (const human of [true, false]) {
    const lines: string[] = [];
    const logger = createLogger('info', { human, secrets: [secret], write: (l) => lines.push(l) });
    logger.info('closed', {
      reason: `bad ${secret}`,
      url: `ws://h/?x=${encodeURIComponent(secret)}`,
    });
    assert.ok(!lines[0].includes('tok'), lines[0]);
    assert.equal((lines[0].match(/\*\*\*/g) ?? []).length, 2, lines[0]);
  }
});

test('the RUN_LOCAL event table: every row one line of visible characters', () => {
  // No text from the wire reaches the table today; a label stands in for one that might.
  const label = '1m\u001b[2J\rx';
  const state = createTrackerState({ ...options, shareWindows: [{ label, lengthMs: 60 }] });
  step(state, started(1), 0);
  const table = eventTable(state, 10);
  for (const row of table.split('\n')) assert.ok(!CONTROL.test(row), JSON.stringify(row));
  assert.ok(table.includes('     1  posting'), table);
  assert.ok(table.includes('1m\\x1b[2J\\rx'), table);
});
