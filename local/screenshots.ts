import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config';
import { silentLogger } from '../src/logger';
import { startProbe } from '../src/probe';
import { startCollector } from './collector';
import { startHub } from './hub';

/**
 * The README's two status-page screenshots, from a real run: the probe and its stand-ins on
 * free loopback ports, a normal run with some slow and some dropped events, then an outage
 * (the collector told over HTTP, as a person would with curl, to drop every event).
 *   npx tsc -p tsconfig.json && node dist/local/screenshots.js [docs]
 * Needs Debian's chromium. NORMAL_SECONDS and OUTAGE_SECONDS shorten the run.
 */
const seconds = (name: string, fallback: number) => Number(process.env[name] ?? fallback) * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  const chrome = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
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

main(process.argv[2] ?? 'docs').catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
