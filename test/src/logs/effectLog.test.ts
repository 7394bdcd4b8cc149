import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logEffect } from '../../../src/logs/effectLog';
import { createLogger } from '../../../src/logs/logger';

const humanLines = () => {
  const lines: string[] = [];
  const logger = createLogger('debug', { human: true, write: (line) => lines.push(line) });
  return { lines, logger };
};

test('a listener that connects says rotated only when it was a rotation, never rotated=undefined', () => {
  const { lines, logger } = humanLines();
  const change = { kind: 'listener', listenerId: 1, connectionId: 3, status: 'connected' } as const;
  logEffect(logger, { kind: 'listener', change });
  logEffect(logger, { kind: 'listener', change: { ...change, rotated: true } });
  assert.match(lines[0], /INFO +listener connected listener=1$/);
  assert.match(lines[1], /INFO +listener connected listener=1 rotated=true$/);
  assert.ok(!lines.join('\n').includes('undefined'));
});

test('events past their objective are told as they settle, before they are lost', () => {
  const { lines, logger } = humanLines();
  logEffect(logger, { kind: 'overdue', seqnos: [7, 8, 9] });
  assert.match(lines[0], /WARN +events past their latency objective.* count=3 first=7 last=9$/);
});

test('a field without a value is left out of a human line, as of a JSON one', () => {
  const { lines, logger } = humanLines();
  logger.info('probe starting', { targets: 1, shard: undefined });
  assert.match(lines[0], /INFO +probe starting targets=1$/);
});
