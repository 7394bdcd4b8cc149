import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAccept, preferredType } from '../../src/web/accept';
import { negotiate } from '../../src/web/exposition';

const OM = 'application/openmetrics-text';

describe('the Accept header', () => {
  test('parses ranges, parameters and q-values, with optional spaces and empty elements', () => {
    assert.deepEqual(parseAccept(` ${OM} ;version=1.0.0; Q=0.5 ,, text/*;q=1.0,\t*/*;q=0 `), [
      { type: 'application', subtype: 'openmetrics-text', q: 0.5 },
      { type: 'text', subtype: '*', q: 1 },
      { type: '*', subtype: '*', q: 0 },
    ]);
    assert.deepEqual(parseAccept('Text/Plain;charset="utf-8, or \\"so\\""'), [
      { type: 'text', subtype: 'plain', q: 1 },
    ]);
    assert.deepEqual(parseAccept(''), []);
  });

  test('refuses what the grammar does not allow', () => {
    for (const junk of [
      'text',
      'text/',
      '*/plain',
      'text/plain;q=2',
      'text/plain;q=-1',
      'text/plain;q=0.1234',
      'text/plain;q=1.5',
      'text/plain;q=',
      'text/plain;q="0.5"',
      'text/plain;',
      'text/plain q=0.5',
      'text/plain;a="unterminated',
      'text/plain garbage',
      'tëxt/plain',
      '\u0000',
    ]) {
      assert.equal(parseAccept(junk), undefined, junk);
    }
  });

  test('q=0 means not acceptable, and a more specific range overrides a wildcard', () => {
    assert.equal(negotiate(`${OM};q=0`), 'text');
    assert.equal(negotiate(`${OM};q=0, */*`), 'text');
    assert.equal(negotiate(`application/*, ${OM};q=0`), 'text');
    assert.equal(negotiate(`text/plain;q=0, ${OM};q=0.001`), 'openmetrics');
    assert.equal(negotiate(`application/*;q=0.9, text/plain;q=0.8`), 'openmetrics');
  });

  test('the higher q wins whatever the order; a tie goes to the more specific range, then text', () => {
    assert.equal(negotiate(`${OM};q=0.5, text/plain`), 'text');
    assert.equal(negotiate(`text/plain;q=0.5, ${OM}`), 'openmetrics');
    assert.equal(negotiate(`${OM}, text/*`), 'openmetrics');
    assert.equal(negotiate(`${OM}, text/plain`), 'text');
    assert.equal(negotiate('*/*'), 'text');
  });

  test('what real scrapers send', () => {
    // Prometheus 2.x and 3.x (3 prefers protobuf, which is not offered here).
    const prometheus2 = `${OM};version=1.0.0,${OM};version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1`;
    const prometheus3 =
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,' +
      `${OM};version=1.0.0;escaping=allow-utf-8;q=0.4,${OM};version=0.0.1;q=0.3,` +
      'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.2,text/plain;version=0.0.4;q=0.1,*/*;q=0.05';
    assert.equal(negotiate(prometheus2), 'openmetrics');
    assert.equal(negotiate(prometheus3), 'openmetrics');
    assert.equal(negotiate('text/plain;version=0.0.4;q=1,*/*;q=0.1'), 'text'); // Prometheus, text only
    assert.equal(negotiate('*/*'), 'text'); // curl
    assert.equal(negotiate(undefined), 'text');
  });

  test('a malformed header or one that accepts nothing offered falls back, never throws', () => {
    for (const header of [`${OM};q=high`, `${OM} junk`, 'application/json', '*/*;q=0', ',,,']) {
      assert.equal(negotiate(header), 'text', header);
    }
    assert.equal(preferredType('a/b', ['x/y'] as const, 'x/y'), 'x/y');
  });

  test('huge and hostile headers: read in one linear pass', { timeout: 10_000 }, () => {
    const many = `${'a/b;q=0.5, '.repeat(100_000)}${OM}`;
    assert.equal(negotiate(many), 'openmetrics');
    assert.equal(negotiate(`${OM}${';x="\\'.repeat(100_000)}`), 'text');
    assert.equal(negotiate(`${OM};${' '.repeat(100_000)}x`), 'text');
    assert.equal(negotiate(`${OM}${' ;a=b'.repeat(100_000)}`), 'openmetrics');
    assert.equal(negotiate('a/'.repeat(100_000)), 'text');
  });
});
