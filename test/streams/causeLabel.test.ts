import assert from 'node:assert/strict';
import { test } from 'node:test';
import { causeLabel } from '../../streams/causeLabel';

test('a refusal status becomes a label only from a fixed set', () => {
  assert.equal(causeLabel({ cause: 'refused', status: 403, detail: '' }), 'refused_403');
  assert.equal(causeLabel({ cause: 'refused', status: 429, detail: '' }), 'refused_429');
  // Whatever else a server answers cannot grow the series.
  const labels = new Set(
    Array.from({ length: 900 }, (_, i) =>
      causeLabel({ cause: 'refused', status: 100 + i, detail: '' }),
    ),
  );
  assert.ok(labels.size <= 13, [...labels].join(' '));
  assert.ok(labels.has('refused_other'));
  assert.equal(causeLabel({ cause: 'no_pong', code: 1006, detail: '' }), 'no_pong');
});
