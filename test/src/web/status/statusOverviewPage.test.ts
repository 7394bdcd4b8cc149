import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { startCollector } from '../../../../local/collector';
import { startHub } from '../../../../local/hub';
import { loadConfig } from '../../../../src/config/loadConfig';
import { silentLogger } from '../../../../src/logs/logger';
import { startProbe } from '../../../../src/probe';
import {
  DATASET,
  LOOPBACK_METRICS,
  seeded,
  standInUrls,
  WEBHOOK_TOKEN,
  waitFor,
} from '../../../helpers/stack';
import { tool } from '../../../helpers/tools';

const browser = tool('chromium');
/** The browser's `getComputedStyle`, for a function run in the page (no DOM types here). */
type Styled = { getComputedStyle(element: unknown): { borderLeftColor: string } };

test('with two targets, one broken, the overview shows its row red, the other green, and leads to its page', {
  skip: browser.skip,
  timeout: 60_000,
}, async (t) => {
  const hub = await startHub({ port: 0, token: WEBHOOK_TOKEN });
  const collector = await startCollector({
    port: 0,
    publish: (datasetId, json) => hub.publish(datasetId, json),
    webhookToken: WEBHOOK_TOKEN,
    datasets: [DATASET],
    tuning: { ADD_LATENCY_PERCENT: 0, NO_EMIT_PERCENT: 0 },
    random: seeded(1),
  });
  const config = (env: Record<string, string>) =>
    loadConfig({
      PROBE_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      PROBE_DATASET_ID: DATASET,
      ...standInUrls(hub, collector),
      ...LOOPBACK_METRICS,
      LISTENER_STAGGER_SECONDS: '0.05',
      POST_EVENT_INTERVAL_SECONDS: '0.2',
      RELOAD_ENDPOINT_ENABLED: 'true',
      ...env,
    });
  const healthy = config({});
  // Nothing listens on the discard port: its listeners never connect, its posts all fail.
  const dead = 'http://127.0.0.1:9';
  const broken = config({ WEBSOCKET_URL: 'ws://127.0.0.1:9', EVENT_COLLECTOR_URL: dead });
  const healthyTarget = { id: 'healthy', labels: { team: 'data' }, config: healthy };
  const probe = await startProbe(healthy, silentLogger, {
    initial: [healthyTarget, { id: 'broken', labels: {}, config: broken }],
    // A reload leaves the healthy one alone.
    load: async () => ({ targets: [healthyTarget] }),
  });
  const chrome = await chromium.launch({
    executablePath: browser.path,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    await waitFor(
      () => (probe.targets().get('healthy')?.state?.totals.received ?? 0) >= 2,
      10_000,
      'the healthy target receiving',
    );
    const page = await chrome.newPage({ viewport: { width: 1200, height: 600 } });
    const errors: string[] = [];
    page.on('console', (message) => {
      // The browser asks for /favicon.ico of its own accord after a click; the probe has none.
      const { url } = message.location();
      if (message.type() === 'error' && !url.endsWith('/favicon.ico')) {
        errors.push(`${message.text()} ${url}`);
      }
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    const origin = `http://127.0.0.1:${probe.port}`;
    await page.goto(`${origin}/status`);
    await page.locator('#targets tr.level-ok').waitFor({ timeout: 10_000 });

    const rows = page.locator('#targets tr');
    assert.equal(await rows.count(), 2);
    assert.equal(await rows.nth(0).getAttribute('data-id'), 'broken', 'the worst first');
    assert.equal(await rows.nth(0).getAttribute('class'), 'level-bad');
    assert.equal(await rows.nth(1).getAttribute('class'), 'level-ok');
    const colour = (row: number) =>
      rows
        .nth(row)
        .evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).borderLeftColor);
    assert.equal(await colour(0), 'rgb(207, 34, 46)', 'red');
    assert.equal(await colour(1), 'rgb(26, 127, 55)', 'green');
    const cells = async (row: number) => rows.nth(row).locator('td').allTextContents();
    const [name, level, shares, latency, listeners, problem] = await cells(0);
    assert.deepEqual([name, level, listeners], ['broken', 'bad', '0 / 2']);
    assert.match(shares, /^\d+\.\d% \/ \d+\.\d% \/ \d+\.\d%$/);
    assert.equal(latency, '– · –');
    assert.match(problem, /^No listener connected: events sent now cannot arrive/);
    const good = await cells(1);
    assert.deepEqual([good[0], good[1], good[4], good[5]], ['healthyteam=data', 'ok', '2 / 2', '']);
    assert.match(good[3], /^\d+ ms · \d+ ms$/);
    assert.match((await page.textContent('#counts')) ?? '', /^2 targets, 1 failing$/);

    await rows.nth(0).locator('a').click();
    await page.waitForURL(`${origin}/status/target?id=broken`);
    const bad = page.locator('#problems li.bad', { hasText: 'No listener connected' });
    await bad.waitFor({ timeout: 10_000 });
    assert.equal(await page.textContent('#listeners'), '0 / 2 connected');
    assert.equal(await page.getAttribute('#listeners', 'class'), 'big bad');
    assert.equal(await page.textContent('#app'), probe.targets().get('broken')?.appId);
    await page.locator('a', { hasText: 'all targets' }).click();
    await page.waitForURL(`${origin}/status`);
    await page.locator('#targets tr.level-bad').waitFor();
    const dir = join(process.cwd(), 'test-output');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, 'status-overview.png'), fullPage: true });
    t.diagnostic(`overview screenshot: ${join(dir, 'status-overview.png')}`);

    // One target left: the open overview turns into that target's page by itself.
    assert.equal((await fetch(`${origin}/-/reload`, { method: 'POST' })).status, 200);
    await page.locator('#chart canvas').waitFor({ timeout: 10_000 });
    assert.equal(page.url(), `${origin}/status`);
    assert.equal(await page.textContent('#app'), probe.targets().get('healthy')?.appId);
    assert.deepEqual(errors, [], 'no script error and no Content-Security-Policy violation');
  } finally {
    await chrome.close();
    await probe.stop();
    await collector.close();
    await hub.close();
  }
});
