import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { loadConfig } from '../../../../src/config/loadConfig';
import type { RunningTarget } from '../../../../src/targets/runTarget';
import { probeRoutes } from '../../../../src/web/routes';
import { startHttpServer } from '../../../../src/web/server';
import { tool } from '../../../helpers/tools';

const browser = tool('chromium');

/** A target still starting (no tracker state yet): every row has the same level, so ids order them. */
function starting(id: string): RunningTarget {
  const config = loadConfig({
    PROBE_WEBHOOK_TOKEN: 'token',
    PROBE_DATASET_ID: 'set',
    WEBSOCKET_URL: 'ws://127.0.0.1:9',
    EVENT_COLLECTOR_URL: 'http://127.0.0.1:9',
  });
  return { id, labels: {}, config, appId: 'ffff0000', startedAt: 0, state: undefined };
}

test('the overview in a browser: ids in natural order, each on one line in a narrow window', {
  skip: browser.skip,
  timeout: 60_000,
}, async () => {
  const ids = ['collector-eu-west-10', 'collector-eu-west-2', 'collector-eu-west-12'];
  ids.push('collector-eu-west-1');
  const running = new Map(ids.map((id) => [id, starting(id)]));
  const server = await startHttpServer(
    0,
    '127.0.0.1',
    probeRoutes({
      registry: undefined as never,
      status: { now: () => 1_000, redact: (text) => text, targets: () => running },
      readinessProblems: () => [],
    }),
  );
  const chrome = await chromium.launch({
    executablePath: browser.path,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await chrome.newPage({ viewport: { width: 320, height: 600 } });
    await page.goto(`http://127.0.0.1:${server.port}/status`);
    await page.locator('#targets tr').nth(3).waitFor({ timeout: 10_000 });
    const shown = await page
      .locator('#targets tr')
      .evaluateAll((rows) =>
        rows.map((row) => (row as unknown as { dataset: { id: string } }).dataset.id),
      );
    assert.deepEqual(shown, [
      'collector-eu-west-1',
      'collector-eu-west-2',
      'collector-eu-west-10',
      'collector-eu-west-12',
    ]);
    // One line box per id link: it did not wrap at a hyphen however narrow the window.
    const lines = await page
      .locator('#targets td:first-child a')
      .evaluateAll((links) =>
        links.map(
          (a) => (a as unknown as { getClientRects(): { length: number } }).getClientRects().length,
        ),
      );
    assert.deepEqual(lines, [1, 1, 1, 1]);
  } finally {
    await chrome.close();
    server.close();
  }
});
