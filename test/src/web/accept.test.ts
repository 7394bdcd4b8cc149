import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { negotiate } from '../../../src/web/exposition';

const OM = 'application/openmetrics-text';

describe('the Accept header', () => {
  test('reads ranges, parameters and q-values, with optional spaces and empty elements', () => {
    assert.equal(negotiate(` ${OM} ;version=1.0.0; Q=0.5 ,, text/*;q=1.0,\t*/*;q=0 `), 'text');
    assert.equal(negotiate(` ${OM} ;version=1.0.0; Q=1 ,, text/*;q=0.5,\t*/*;q=0 `), 'openmetrics');
    assert.equal(negotiate(`Application/OpenMetrics-Text;version=1.0.0`), 'openmetrics');
    assert.equal(negotiate(''), 'text');
  });

  test('what cannot be read falls back to text', () => {
    // negotiator reads leniently: an empty q is 1, a bare `;` or a parameter it cannot read is
    // skipped; what it cannot read at all falls back.
    assert.equal(negotiate(`${OM};q=`), 'openmetrics');
    assert.equal(negotiate(`${OM};`), 'openmetrics');
    for (const junk of [`${OM};q="x"`, `${OM} q=0.5`, `${OM} garbage`, `${OM}/x`, '\u0000']) {
      assert.equal(negotiate(junk), 'text', junk);
    }
  });

  test('a range asks for the version it names: OpenMetrics 1.0.0 and text 0.0.4 are offered', () => {
    assert.equal(negotiate(`${OM};version=0.0.1`), 'text');
    assert.equal(negotiate(`${OM};version=0.0.1, text/plain;q=0.1`), 'text');
    assert.equal(negotiate(`${OM};version=1.0.0, text/plain;q=0.1`), 'openmetrics');
    for (const escaping of ['allow-utf-8', 'underscores', 'dots', 'values']) {
      assert.equal(negotiate(`${OM};version=1.0.0;escaping=${escaping}`), 'openmetrics', escaping);
    }
  });

  test('q=0 means not acceptable, and a more specific range overrides a wildcard', () => {
    assert.equal(negotiate(`${OM};q=0`), 'text');
    assert.equal(negotiate(`${OM};q=0, */*`), 'text');
    assert.equal(negotiate(`application/*, ${OM};q=0`), 'text');
    assert.equal(negotiate(`text/plain;q=0, ${OM};q=0.001`), 'openmetrics');
    assert.equal(negotiate(`application/*;q=0.9, text/plain;q=0.8`), 'openmetrics');
  });

  test("the higher q wins whatever the order; a tie goes to the more specific range, then the client's order; one range matching both gives text", () => {
    assert.equal(negotiate(`${OM};q=0.5, text/plain`), 'text');
    assert.equal(negotiate(`text/plain;q=0.5, ${OM}`), 'openmetrics');
    assert.equal(negotiate(`${OM}, text/*`), 'openmetrics');
    assert.equal(negotiate(`${OM}, text/plain`), 'openmetrics');
    assert.equal(negotiate(`text/plain, ${OM}`), 'text');
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
  });

  test('huge and hostile headers: read in one linear pass', { timeout: 10_000 }, () => {
    const many = `${'a/b;q=0.5, '.repeat(100_000)}${OM}`;
    assert.equal(negotiate(many), 'openmetrics');
    assert.equal(negotiate(`${OM}${';x="\\'.repeat(100_000)}`), 'text');
    assert.equal(negotiate(`${OM};${' '.repeat(100_000)}x`), 'openmetrics');
    assert.equal(negotiate(`${OM}${' ;q=1'.repeat(100_000)}`), 'openmetrics');
    assert.equal(negotiate(`${OM}${' ;a=b'.repeat(100_000)}`), 'text');
    assert.equal(negotiate('a/'.repeat(100_000)), 'text');
  });
});
