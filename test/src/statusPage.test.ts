import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { DATASET, startStack, waitFor } from '../helpers/stack';
import { tool } from '../helpers/tools';

const browser = tool('chromium');
const HOSTILE_APP_ID = '<img src=x onerror="window.__pwned=1">';

describe('the status page in a real browser', () => {
  test('shows the state at a glance, a chart and the events; escapes what comes from the wire', {
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
    const chrome = await chromium.launch({
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

      const page = await chrome.newPage({ viewport: { width: 1200, height: 1000 } });
      const offsite: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (!url.startsWith(`http://127.0.0.1:${stack.probe.port}/`)) {
          offsite.push(url);
          return route.abort();
        }
        return route.continue();
      });
      await page.goto(`http://127.0.0.1:${stack.probe.port}/status`);
      await page.waitForFunction("document.querySelectorAll('#events tr').length >= 10");

      assert.equal(await page.textContent('#listeners'), '2 / 2 connected');
      assert.equal(await page.textContent('#posting'), 'OK');
      assert.match((await page.textContent('#shares')) ?? '', /^\d+\.\d% \/ \d+\.\d% \/ \d+\.\d%$/);
      assert.match((await page.textContent('#latency')) ?? '', /ms/);
      assert.match(
        (await page.textContent('#books')) ?? '',
        /posted \d+ = received \d+ \+ lost \d+ \+ in flight \d+/,
      );
      assert.ok((await page.locator('#chart polyline').count()) === 1, 'a latency line');
      assert.ok((await page.locator('#chart rect').count()) >= 1, 'lost events marked');
      const states = await page.locator('#events td:nth-child(2)').allTextContents();
      assert.ok(states.includes('received') && states.includes('lost'), states.join(','));

      // Wire text is shown as text, never run as markup.
      assert.ok(((await page.textContent('#books')) ?? '').includes(HOSTILE_APP_ID));
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.evaluate('window.__pwned'), undefined);
      assert.deepEqual(offsite, [], 'the page works offline');

      // It refreshes itself.
      const before = await page.textContent('#events tr:first-child td:first-child');
      await page.waitForFunction(
        `document.querySelector('#events tr:first-child td:first-child')?.textContent !== ${JSON.stringify(before)}`,
      );

      const dir = join(process.cwd(), 'test-output');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'status.png');
      await page.screenshot({ path: file, fullPage: true });
      t.diagnostic(`status page screenshot: ${file}`);

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
});
