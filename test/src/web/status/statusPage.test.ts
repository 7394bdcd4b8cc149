import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DATASET, type Stack, startStack, waitFor } from '../../../helpers/stack';
import { tool } from '../../../helpers/tools';

const browser = tool('chromium');
const HOSTILE_APP_ID = '<img src=x onerror="window.__pwned=1">';

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: browser.path,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The status page, with requests off the probe refused and errors (CSP ones too) collected. */
async function open(chrome: Browser, stack: Stack) {
  const page = await chrome.newPage({ viewport: { width: 1200, height: 1000 } });
  const offsite: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (!url.startsWith(`http://127.0.0.1:${stack.probe.port}/`)) {
      offsite.push(url);
      return route.abort();
    }
    return route.continue();
  });
  await page.goto(`http://127.0.0.1:${stack.probe.port}/status`);
  return { page, offsite, errors };
}

const screenshot = async (page: Page, name: string) => {
  const dir = join(process.cwd(), 'test-output');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name), fullPage: true });
  return join(dir, name);
};

describe('the status page in a real browser', () => {
  test('shows the state at a glance, a readable chart and the events; escapes what comes from the wire', {
    skip: browser.skip,
    timeout: 60_000,
  }, async (t) => {
    const stack = await startStack(
      {
        POST_EVENT_INTERVAL_SECONDS: '0.1',
        MARK_EVENT_LOST_TIMEOUT_SECONDS: '0.5',
        CLEAN_EVENTS_INTERVAL_SECONDS: '0.1',
        MISSING_GRACE_SECONDS: '0.2',
      },
      {
        NO_EMIT_PERCENT: 15,
        ADD_LATENCY_PERCENT: 40,
        LATENCY_RANGE_MIN: 0.02,
        LATENCY_RANGE_MAX: 0.25,
      },
    );
    const chrome = await launch();
    try {
      await waitFor(() => (stack.probe.state()?.totals.lost ?? 0) >= 1, 10_000, 'a lost event');
      stack.hub.sendRaw(
        DATASET,
        JSON.stringify({ app_id: HOSTILE_APP_ID, seqno: 1, time_sent: 'x' }),
      );
      await waitFor(
        () => stack.probe.state()?.lastForeignAppId === HOSTILE_APP_ID,
        5_000,
        'the foreign event',
      );

      const { page, offsite, errors } = await open(chrome, stack);
      // Locators, not string predicates: the page's CSP forbids eval, Playwright's included.
      await page.locator('#events tr').nth(9).waitFor();

      assert.equal(await page.textContent('#listeners'), '2 / 2 connected');
      assert.equal(await page.getAttribute('#listeners', 'class'), 'big ok');
      assert.equal(await page.textContent('#posting'), 'OK');
      assert.match((await page.textContent('#delivery')) ?? '', /^\d+(\.\d)? s ago$/);
      assert.match((await page.textContent('#shares')) ?? '', /^\d+\.\d% \/ \d+\.\d% \/ \d+\.\d%$/);
      assert.match((await page.textContent('#latency')) ?? '', /ms/);
      assert.match(
        (await page.textContent('#books')) ?? '',
        /posted \d+ = received \d+ \+ lost \d+ \+ in flight \d+/,
      );

      // The chart: uPlot's canvas, a time axis with clock times, a latency axis with units on
      // a log scale (decades apart), the objective in the legend, the counts in the caption.
      assert.equal(await page.locator('#chart canvas').count(), 1);
      const xTicks = ((await page.getAttribute('#chart', 'data-x-ticks')) ?? '').split('|');
      assert.ok(
        xTicks.length >= 2 && xTicks.every((x) => /^\d\d:\d\d:\d\d$/.test(x)),
        xTicks.join(),
      );
      assert.equal(new Set(xTicks).size, xTicks.length, `distinct times: ${xTicks.join()}`);
      const yTicks = ((await page.getAttribute('#chart', 'data-y-ticks')) ?? '').split('|');
      assert.ok(
        yTicks.length >= 2 && yTicks.every((y) => /^\d+(\.\d+)? m?s$/.test(y)),
        yTicks.join(),
      );
      assert.ok(yTicks.includes('10 ms') && yTicks.includes('100 ms'), yTicks.join());
      const legend = await page.locator('#chart .u-legend').textContent();
      assert.match(legend ?? '', /objective 500 ms/);
      assert.match(legend ?? '', /lost at 500 ms/);
      assert.match(
        (await page.textContent('#chart-caption')) ?? '',
        /\d+ received, \d+ late, [1-9]\d* lost, 0 failed posts, \d+ in flight/,
      );
      const states = await page.locator('#events td:nth-child(2)').allTextContents();
      assert.ok(states.includes('received') && states.includes('lost'), states.join(','));

      // Wire text is shown as text, never run as markup.
      assert.ok(((await page.textContent('#books')) ?? '').includes(HOSTILE_APP_ID));
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.evaluate('window.__pwned'), undefined);
      assert.deepEqual(offsite, [], 'the page works offline');

      // It refreshes itself.
      const before = await page.textContent('#events tr:first-child td:first-child');
      await waitFor(
        async () => (await page.textContent('#events tr:first-child td:first-child')) !== before,
        10_000,
        'a refresh',
      );
      assert.deepEqual(errors, [], 'no script error and no Content-Security-Policy violation');
      t.diagnostic(`status page screenshot: ${await screenshot(page, 'status.png')}`);

      const json = (await (
        await fetch(`http://127.0.0.1:${stack.probe.port}/status.json`)
      ).json()) as {
        appId: string;
        listeners: { connected: number };
      };
      assert.equal(json.appId, stack.probe.appId);
      assert.equal(json.listeners.connected, 2);
    } finally {
      await chrome.close();
      await stack.stop();
    }
  });

  test('in an outage it says so in red within seconds, and marks overdue events before they are lost', {
    skip: browser.skip,
    timeout: 60_000,
  }, async (t) => {
    const stack = await startStack({
      POST_EVENT_INTERVAL_SECONDS: '0.2',
      LATENCY_OBJECTIVE_SECONDS: '1',
      MARK_EVENT_LOST_TIMEOUT_SECONDS: '10',
      CLEAN_EVENTS_INTERVAL_SECONDS: '0.2',
    });
    const chrome = await launch();
    try {
      const { page, errors } = await open(chrome, stack);
      await page.locator('#problems li.ok').waitFor();
      assert.equal(await page.textContent('#problems'), 'No problem seen');
      assert.equal(await page.locator('.state-overdue').count(), 0);

      // The pipeline stops delivering: the collector takes every post and passes none on.
      const tune = `http://127.0.0.1:${stack.collector.port}/config/?NO_EMIT_PERCENT=100`;
      assert.equal((await fetch(tune)).status, 200);
      const since = Date.now();
      const silence = page.locator('#problems li.bad', { hasText: 'No event received for' });
      await silence.waitFor({ timeout: 10_000 });
      t.diagnostic(`the page said so ${Date.now() - since} ms after the collector stopped`);
      assert.match(
        (await silence.textContent()) ?? '',
        /^No event received for \d+(\.\d)? s — expected one every 0\.2 s$/,
      );
      assert.equal(await page.getAttribute('#delivery', 'class'), 'big bad');
      assert.ok((await page.locator('#events td.state-overdue').count()) >= 1, 'overdue rows');
      assert.equal(await page.locator('#events td.state-lost').count(), 0, 'none lost yet');
      assert.equal(stack.probe.state()?.totals.lost, 0, 'the lost timeout has not passed');
      assert.match(
        (await page.textContent('#problems')) ?? '',
        /\d+ events? overdue: posted more than 1 s ago \(the objective\) and not received; lost at 10 s/,
      );
      assert.equal(await page.getAttribute('#latency', 'class'), 'big stale');
      assert.match((await page.textContent('#latency-detail')) ?? '', /^Not current: /);
      assert.match((await page.textContent('#chart-caption')) ?? '', /\([1-9]\d* overdue\)/);
      assert.deepEqual(errors, []);
      t.diagnostic(`outage screenshot: ${await screenshot(page, 'status-outage.png')}`);
    } finally {
      await chrome.close();
      await stack.stop();
    }
  });
});
