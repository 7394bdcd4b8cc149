import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../../../src/config/loadConfig';
import type { RunningTarget } from '../../../../src/targets/runTarget';
import { probeRoutes } from '../../../../src/web/routes';
import { type HttpServer, startHttpServer } from '../../../../src/web/server';
import type { TargetRow } from '../../../../src/web/status/statusOverview';
import type { StatusView } from '../../../../src/web/status/statusViewTypes';
import { step } from '../../../../streams/tracker';
import { createTrackerState, type TrackerState } from '../../../../streams/trackerState';
import { tool } from '../../../helpers/tools';
import { frame, productionWindows, receipt } from '../../../helpers/tracker';

const browser = tool('chromium');
const T0 = Date.UTC(2026, 0, 2, 12, 34, 50);
// A close reason and a foreign app id from the wire, each with a direction override in it.
const HOSTILE_REASON = 'going away \u202Egnp.exe';
const HOSTILE_APP = 'ffff\u202E0001';
let now = T0;
let server: HttpServer;
let chrome: Browser;
const running = new Map<string, RunningTarget>();
const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

/** A target with two events received (40 and 60 ms), one in flight, one listener of two up. */
function target(id: string, appId: string): RunningTarget {
  const config = loadConfig({
    PROBE_WEBHOOK_TOKEN: 'token',
    PROBE_DATASET_ID: `${id}-set`,
    WEBSOCKET_URL: 'ws://127.0.0.1:9',
    EVENT_COLLECTOR_URL: 'http://127.0.0.1:9',
  });
  const state = createTrackerState({
    ...productionWindows,
    appId,
    lostTimeoutMs: 30_000,
    latencyObjectiveMs: 5_000,
  });
  step(state, { kind: 'listener', listenerId: 0, connectionId: 1, status: 'connected' }, T0);
  step(state, { kind: 'listener', listenerId: 1, connectionId: 2, status: 'connected' }, T0);
  const detail = `closed 1001: ${HOSTILE_REASON}`;
  const disconnect = { cause: 'closed_normal' as const, code: 1001, detail };
  step(
    state,
    { kind: 'listener', listenerId: 1, connectionId: 2, status: 'disconnected', disconnect },
    T0,
  );
  for (const [seqno, latency] of [
    [1, 40],
    [2, 60],
    [3, null],
  ] as const) {
    post(state, seqno, T0 + seqno * 1_000);
    if (latency !== null) {
      const at = T0 + seqno * 1_000 + latency;
      step(state, receipt(frame(seqno, appId), at, 1, 0), at);
    }
  }
  step(state, receipt(frame(9, HOSTILE_APP), T0 + 3_500, 1, 0), T0 + 3_500);
  return { id, labels: { team: 'data' }, config, appId, startedAt: T0, state };
}

function post(state: TrackerState, seqno: number, at: number) {
  step(state, { kind: 'post-started', seqno, sentAt: at, lagMs: 0, running: 1 }, at);
  step(state, { kind: 'post-succeeded', seqno, durationMs: 1, retries: 0, running: 0 }, at + 1);
}

const show = (...targets: RunningTarget[]) => {
  running.clear();
  for (const t of targets) running.set(t.id, t);
};
const json = async (path: string) => (await fetch(url(path))).json();
const view = async () => (await json('/status.json')) as StatusView;
const overview = async () => (await json('/status.json')) as { targets: TargetRow[] };
const text = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';

before(async () => {
  server = await startHttpServer(
    0,
    '127.0.0.1',
    probeRoutes({
      registry: undefined as never,
      status: { now: () => now, redact: (t) => t, targets: () => running },
      readinessProblems: () => [],
    }),
  );
  if (!browser.skip) {
    chrome = await chromium.launch({
      executablePath: browser.path,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  }
});
after(async () => {
  await chrome?.close();
  await server.close();
});

describe('the status pages carry their data in the first response', { skip: browser.skip }, () => {
  test('without JavaScript, /status shows what /status.json reports, wire text escaped', async () => {
    now = T0 + 4_000;
    show(target('solo', 'aaaa0001'));
    const page = await (await chrome.newContext({ javaScriptEnabled: false })).newPage();
    await page.goto(url('/status'));
    const s = await view();
    assert.equal(await text(page, '#updated'), '12:34:54 UTC');
    assert.equal(await text(page, '#app'), s.appId);
    assert.equal(await text(page, '#posting'), 'OK');
    assert.equal(await text(page, '#listeners'), '1 / 2 connected');
    assert.equal(await page.getAttribute('#listeners', 'class'), 'big warn');
    assert.equal(s.totals.posted, 3);
    const books = await text(page, '#books');
    assert.ok(books.startsWith(`posted 3 = received ${s.totals.received} + lost 0 + in flight 1`));
    assert.equal(s.latency.latestMs, 60);
    assert.equal(await text(page, '#latency'), '60 ms · 40 ms · 60 ms');
    assert.equal(s.delivery.lastReceiptSecondsAgo, 1.9);
    assert.equal(await text(page, '#delivery'), '1.9 s ago');
    assert.equal(await page.locator('#events tr').count(), s.events.length);
    assert.deepEqual(await page.locator('#problems li').allTextContents(), [
      '1 of 2 listeners connected',
    ]);
    // A direction override from the wire is shown as its escape, never acted on.
    const detail = await text(page, '#listener-detail');
    assert.ok(detail.includes('going away \\u202egnp.exe'), detail);
    assert.ok(books.endsWith('last foreign app ffff\\u202e0001'), books);
    assert.ok(!(detail + books).includes('\u202E'));
    const bidi = await page.locator('#app').evaluate((el) => {
      const css = globalThis as unknown as {
        getComputedStyle(e: unknown): { unicodeBidi: string };
      };
      return css.getComputedStyle(el).unicodeBidi;
    });
    assert.equal(bidi, 'isolate', 'an app id is isolated from the text around it');
  });

  test('without JavaScript, the overview and a target page show their rows and numbers', async () => {
    now = T0 + 4_000;
    show(target('beta', 'bbbb0002'), target('alpha', 'bbbb0001'));
    const page = await (await chrome.newContext({ javaScriptEnabled: false })).newPage();
    await page.goto(url('/status'));
    const s = await overview();
    assert.equal(await text(page, '#counts'), '2 targets, 0 failing');
    assert.deepEqual(s.targets[0].latency, { p50Ms: 40, p99Ms: 60, samples: 2 });
    assert.equal(await text(page, '#updated'), '12:34:54 UTC');
    const rows = page.locator('#targets tr');
    assert.deepEqual(
      await rows.evaluateAll((all) =>
        all.map((r) => (r as unknown as { dataset: { id: string } }).dataset.id),
      ),
      s.targets.map((t) => t.id),
    );
    assert.deepEqual(await rows.nth(0).locator('td').allTextContents(), [
      'alphateam=data',
      'warn',
      s.targets[0].shares.map((x) => `${x.percent.toFixed(1)}%`).join(' / '),
      '40 ms · 60 ms',
      '1 / 2',
      '1 of 2 listeners connected',
    ]);
    await page.locator('#targets a', { hasText: 'beta' }).click();
    await page.waitForURL(url('/status/target?id=beta'));
    assert.equal(await text(page, '#app'), 'bbbb0002');
    assert.equal(await text(page, '#latency'), '60 ms · 40 ms · 60 ms');
  });

  test('with JavaScript, the page then follows the data', async () => {
    now = T0 + 4_000;
    const solo = target('solo', 'aaaa0001');
    show(solo);
    const page = await chrome.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url('/status'));
    assert.match(await text(page, '#books'), /^posted 3 = /, 'at first paint');
    const state = solo.state as TrackerState;
    post(state, 4, T0 + 5_000);
    step(state, receipt(frame(4, 'aaaa0001'), T0 + 5_080, 1, 0), T0 + 5_080);
    now = T0 + 6_000;
    await page.locator('#books', { hasText: /^posted 4 = received 3 / }).waitFor();
    await page.locator('#latency', { hasText: '80 ms · ' }).waitFor();
    // Updated by the script: the browser's own clock, without the server's "UTC".
    assert.match(await text(page, '#updated'), /^\d\d:\d\d:\d\d$/);
    assert.ok((await text(page, '#listener-detail')).includes('\\u202egnp.exe'));
    assert.equal(await page.locator('#chart canvas').count(), 1);
    assert.deepEqual(errors, [], 'no script error and no Content-Security-Policy violation');
  });
});
