import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { escapeControls } from '../../../../src/logs/controlChars';
import { statusAssets } from '../../../../src/web/status/statusAssets';
import { statusOverview } from '../../../../src/web/status/statusOverview';
import * as server from '../../../../src/web/status/statusText';
import { statusView } from '../../../../src/web/status/statusView';
import { step } from '../../../../streams/tracker';
import { frame, ok, receipt, run, started } from '../../../helpers/tracker';

type Shared = typeof server;

/** The texts' functions as the browser gets them: the served source, run in its own realm. */
function served(source = server.STATUS_TEXT_SOURCE): Shared {
  const context: { statusText?: Shared } = {};
  runInNewContext(`${source};\nthis.statusText = statusText;`, context);
  return context.statusText as Shared;
}
// Out of the other realm (its arrays and objects have their own prototypes) as plain data.
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

const SECONDS = [0, 0.04, 0.05, 1, 2.54, 9.96, 10, 59.9, 60, 3599, 86400, 104.95];
const ODD = [NaN, Infinity, -Infinity, -0.04, -1, -59.9, -123, null];

test('one seconds format: the browser runs the very function the server does', () => {
  const browser = served();
  for (const value of [...SECONDS, ...ODD]) {
    assert.equal(browser.secondsText(value), server.secondsText(value), String(value));
    assert.equal(browser.msText(value), server.msText(value), String(value));
  }
  assert.deepEqual(SECONDS.map(server.secondsText), [
    '0 s',
    '0.04 s',
    '0.05 s',
    '1 s',
    '2.5 s',
    '10 s',
    '10 s',
    '60 s',
    '60 s',
    '3599 s',
    '86400 s',
    '105 s',
  ]);
  // Not a number is no number of seconds; a negative one (clock skew) is rounded as its size.
  assert.deepEqual(ODD.map(server.secondsText), [
    '–',
    '–',
    '–',
    '-0.04 s',
    '-1 s',
    '-60 s',
    '-123 s',
    '–',
  ]);
  assert.deepEqual([0, 40.4, 999, 1000, 2345, NaN, null].map(server.msText), [
    '0 ms',
    '40 ms',
    '999 ms',
    '1.00 s',
    '2.35 s',
    '–',
    '–',
  ]);
  const at = Date.UTC(2026, 0, 2, 3, 4, 5);
  assert.equal(server.clockText(at, true), '03:04:05 UTC');
  assert.equal(browser.clockText(at, true), server.clockText(at, true));
  assert.equal(browser.clockText(at, false), server.clockText(at, false));
});

test("the pages' texts: the same in the browser as on the server, for a target and the overview", () => {
  const browser = served();
  const state = run([
    [0, started(1)],
    [1, ok(1)],
    [40, receipt(frame(1), 40)],
    [1_000, started(2)],
    [1_001, ok(2)],
  ]);
  step(state, { kind: 'listener', listenerId: 0, connectionId: 1, status: 'connected' }, 1_100);
  const options = { configuredListeners: 2, postingWindowMs: 5_000, postIntervalMs: 1_000 };
  const view = plain(statusView(state, 1_200, options));
  const target = server.targetPageText(view, 'now');
  assert.equal(
    target.parts.books.text,
    'posted 2 = received 1 + lost 0 + in flight 1; duplicates 0, late 0',
  );
  assert.deepEqual(plain(browser.targetPageText(view, 'now')), plain(target));
  assert.deepEqual(
    plain(browser.targetPageText({}, 'now')),
    plain(server.targetPageText({}, 'now')),
  );
  const rows = plain(
    statusOverview(
      [
        { id: 'a-10', labels: { team: 'x' }, appId: 'aa', state, options },
        { id: 'a-2', labels: {}, appId: 'bb', state: undefined, options },
      ],
      1_200,
    ),
  );
  const overview = server.overviewText(rows, 'now');
  assert.equal(overview.lists.targets.length, 2);
  assert.deepEqual(plain(browser.overviewText(rows, 'now')), plain(overview));
});

test('wire text: every control, format and separator character escaped as the logs escape it', () => {
  const browser = served();
  // Every code point but the surrogates, in one string.
  const all: string[] = [];
  for (let code = 0; code <= 0x10ffff; code++) {
    if (code < 0xd800 || code > 0xdfff) all.push(String.fromCodePoint(code));
  }
  const every = all.join('');
  assert.equal(server.wireText(every), escapeControls(every));
  assert.equal(browser.wireText(every), escapeControls(every));
  const reason = 'going away \u202Egnp.exe\u2066\u200F\u2028\u0085\x1b[2J\r\n\uDB40\uDC41';
  assert.equal(
    server.wireText(reason),
    'going away \\u202egnp.exe\\u2066\\u200f\\u2028\\x85\\x1b[2J\\r\\n\\udb40\\udc41',
  );
  assert.equal(server.wireText('plain text, ünïcödé, עברית'), 'plain text, ünïcödé, עברית');
});

test("each page's script starts with the texts' source, so it formats with the server's code", () => {
  const { pageScript, overviewScript } = statusAssets();
  for (const script of [pageScript, overviewScript]) {
    assert.ok(script.body.toString().startsWith(server.STATUS_TEXT_SOURCE));
  }
  // A function that names a module binding (compiled as `exports.` or `module_1.`) fails in the
  // browser: the served source names none.
  assert.doesNotMatch(server.STATUS_TEXT_SOURCE, /\bexports\b|\brequire\(|_\d+\.\w/);
});
