import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTROL, escapeControls } from '../../../src/logs/controlChars';

test('the class: controls, invisible format characters (bidi ones too), line separators', () => {
  const refused = ['\u0000', '\u001b', '\u007f', '\u009b', '\u00ad', '\u061c', '\u200b', '\u200d'];
  refused.push('\u200e', '\u200f', '\u202a', '\u202e', '\u2028', '\u2029', '\u2066', '\u2069');
  refused.push('\ufeff', '\u{E0041}');
  for (const c of refused) assert.ok(CONTROL.test(`a${c}b`), escape(c));
  for (const fine of ['team-α', '東京', 'ü', '✓', 'a b', 'ﷺ', 'שלום', 'مرحبا']) {
    assert.ok(!CONTROL.test(fine), fine);
  }
});

test('escaped visibly, one UTF-16 unit at a time beyond U+FFFF', () => {
  assert.equal(escapeControls('a\u202eb'), 'a\\u202eb');
  assert.equal(escapeControls('a\u061cb\u00adc'), 'a\\u061cb\\xadc');
  assert.equal(escapeControls('a\u{E0041}b', true), 'a\\udb40\\udc41b');
  assert.equal(escapeControls('a\u001bb', true), 'a\\u001bb');
});
