import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config/loadConfig';
import { silentLogger } from '../src/logs/logger';
import { startProbe } from '../src/probe';
import { startCollector } from './collector';
import { startHub } from './hub';

/**
 * The status-page screenshots of docs/status-page.md, from a real run: the probe and its stand-ins on
 * free loopback ports, a normal run with some slow and some dropped events, then an outage
 * (the collector told over HTTP, as a person would with curl, to drop every event); then the
 * overview of a process with four targets, one of them broken.
 *   npx tsc -p tsconfig.json && node dist/local/screenshots.js [docs] [target|overview]
 * Needs Debian's chromium. NORMAL_SECONDS, OUTAGE_SECONDS and OVERVIEW_SECONDS shorten the run.
 */
const seconds = (name: string, fallback: number) => Number(process.env[name] ?? fallback) * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const launch = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });

async function main(dir: string): Promise<void> {
  const token = 'local-webhook-token';
  const hub = await startHub({ port: 0, token });
  const collector = await startCollector({
    port: 0,
    publish: (datasetId, json) => hub.publish(datasetId, json),
    webhookToken: token,
    tuning: {
      NO_EMIT_PERCENT: 3,
      ADD_LATENCY_PERCENT: 20,
      LATENCY_RANGE_MIN: 0.05,
      LATENCY_RANGE_MAX: 4,
    },
  });
  const probe = await startProbe(
    loadConfig({
      PROBE_WEBHOOK_TOKEN: token,
      PROBE_DATASET_ID: 'probe-local',
      WEBSOCKET_URL: `ws://127.0.0.1:${hub.port}`,
      EVENT_COLLECTOR_URL: `http://127.0.0.1:${collector.port}`,
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: '0',
      POST_EVENT_INTERVAL_SECONDS: '1',
      LATENCY_OBJECTIVE_SECONDS: '3',
      MARK_EVENT_LOST_TIMEOUT_SECONDS: '20',
      CLEAN_EVENTS_INTERVAL_SECONDS: '1',
    }),
    silentLogger,
  );
  const chrome = await launch();
  try {
    const page = await chrome.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://127.0.0.1:${probe.port}/status`);
    await sleep(seconds('NORMAL_SECONDS', 150));
    await page.screenshot({ path: `${dir}/status.png`, fullPage: false });
    const tune = `http://127.0.0.1:${collector.port}/config/?NO_EMIT_PERCENT=100`;
    if (!(await fetch(tune)).ok) throw new Error('the collector refused the tuning');
    await sleep(seconds('OUTAGE_SECONDS', 35));
    await page.screenshot({ path: `${dir}/status-outage.png`, fullPage: false });
    process.stdout.write(`wrote ${dir}/status.png and ${dir}/status-outage.png\n`);
  } finally {
    await chrome.close();
    await probe.stop();
    await collector.close();
    await hub.close();
  }
}

/**
 * Four targets in one process: two behind a quick collector, one behind a slow one (some of
 * its events overdue now and then), and one whose hub and collector are not there at all.
 */
async function overview(dir: string): Promise<void> {
  const token = 'local-webhook-token';
  const hub = await startHub({ port: 0, token });
  const collector = (tuning: Parameters<typeof startCollector>[0]['tuning']) =>
    startCollector({
      port: 0,
      publish: (datasetId, json) => hub.publish(datasetId, json),
      webhookToken: token,
      tuning,
    });
  const quick = await collector({
    NO_EMIT_PERCENT: 0,
    ADD_LATENCY_PERCENT: 10,
    LATENCY_RANGE_MIN: 0.02,
    LATENCY_RANGE_MAX: 0.3,
  });
  const slow = await collector({
    NO_EMIT_PERCENT: 3,
    ADD_LATENCY_PERCENT: 40,
    LATENCY_RANGE_MIN: 0.5,
    LATENCY_RANGE_MAX: 6,
  });
  const target = (id: string, labels: Record<string, string>, env: Record<string, string>) => ({
    id,
    labels,
    config: loadConfig({
      PROBE_WEBHOOK_TOKEN: token,
      PROBE_DATASET_ID: `probe-${id}`,
      WEBSOCKET_URL: `ws://127.0.0.1:${hub.port}`,
      EVENT_COLLECTOR_URL: `http://127.0.0.1:${quick.port}`,
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: '0',
      POST_EVENT_INTERVAL_SECONDS: '1',
      LATENCY_OBJECTIVE_SECONDS: '3',
      MARK_EVENT_LOST_TIMEOUT_SECONDS: '20',
      ...env,
    }),
  });
  const initial = [
    target('orders', { team: 'sales', env: 'prod' }, {}),
    target('search', { team: 'web', env: 'prod' }, {}),
    target(
      'payments',
      { team: 'finance', env: 'prod' },
      {
        EVENT_COLLECTOR_URL: `http://127.0.0.1:${slow.port}`,
      },
    ),
    // Nothing listens on the discard port.
    target(
      'billing',
      { team: 'finance', env: 'test' },
      {
        WEBSOCKET_URL: 'ws://127.0.0.1:9',
        EVENT_COLLECTOR_URL: 'http://127.0.0.1:9',
      },
    ),
  ];
  const probe = await startProbe(initial[0].config, silentLogger, { initial });
  const chrome = await launch();
  try {
    const page = await chrome.newPage({ viewport: { width: 1280, height: 360 } });
    await page.goto(`http://127.0.0.1:${probe.port}/status`);
    await sleep(seconds('OVERVIEW_SECONDS', 60));
    // The slow target is amber only while one of its events is overdue: catch such a moment.
    await page.locator('#targets tr.level-warn').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: `${dir}/status-overview.png`, fullPage: false });
    process.stdout.write(`wrote ${dir}/status-overview.png\n`);
  } finally {
    await chrome.close();
    await probe.stop();
    await quick.close();
    await slow.close();
    await hub.close();
  }
}

async function all(dir: string, which?: string): Promise<void> {
  if (which !== 'overview') await main(dir);
  if (which !== 'target') await overview(dir);
}

all(process.argv[2] ?? 'docs', process.argv[3]).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
