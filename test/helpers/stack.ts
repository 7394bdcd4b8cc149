import { after } from 'node:test';
import { type Collector, startCollector } from '../../local/collector';
import type { CollectorTuning } from '../../local/collectorTuning';
import { type Hub, startHub } from '../../local/hub';
import { startTokenServer, type TokenServer } from '../../local/tokenServer';
import { loadConfig } from '../../src/config/loadConfig';
import { type Logger, silentLogger } from '../../src/logs/logger';
import { type RunningProbe, startProbe } from '../../src/probe';

export const DATASET = 'probe-test';
export const WEBHOOK_TOKEN = 'test-webhook-token-5f3a';
export const CLIENT_ID = 'probe-client';
export const CLIENT_SECRET = 'test-client-secret-e81d';

/** The variables that point a probe at a pair of stand-ins on loopback. */
export const standInUrls = (hub: { port: number }, collector: { port: number }) => ({
  WEBSOCKET_URL: `ws://127.0.0.1:${hub.port}`,
  EVENT_COLLECTOR_URL: `http://127.0.0.1:${collector.port}`,
});

/** Metrics on a free loopback port (the probe logs which). */
export const LOOPBACK_METRICS = { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' } as const;

/** A seeded generator, so a stand-in's random choices repeat from run to run. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface Stack {
  hub: Hub;
  collector: Collector;
  tokens?: TokenServer;
  probe: RunningProbe;
  stop(): Promise<void>;
}

/** Hub, collector and a real probe on free loopback ports. */
export async function startStack(
  env: Record<string, string>,
  tuning: Partial<CollectorTuning> = {},
  seed = 1,
  { bearer = false, logger = silentLogger as Logger } = {},
): Promise<Stack> {
  const hub = await startHub({ port: 0, token: WEBHOOK_TOKEN });
  const tokens = bearer
    ? await startTokenServer({
        port: 0,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        expiresInSeconds: 2,
      })
    : undefined;
  const collector = await startCollector({
    port: 0,
    publish: (datasetId, json) => hub.publish(datasetId, json),
    webhookToken: WEBHOOK_TOKEN,
    acceptBearer: tokens ? (token) => tokens.isValid(token) : undefined,
    datasets: [DATASET],
    tuning: { ADD_LATENCY_PERCENT: 0, NO_EMIT_PERCENT: 0, ...tuning },
    random: seeded(seed),
  });
  const config = loadConfig({
    PROBE_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
    PROBE_DATASET_ID: DATASET,
    ...standInUrls(hub, collector),
    ...LOOPBACK_METRICS,
    LISTENER_STAGGER_SECONDS: '0.05',
    ...(tokens
      ? {
          OKDATA_CLIENT_ID: CLIENT_ID,
          OKDATA_CLIENT_SECRET: CLIENT_SECRET,
          KEYCLOAK_SERVER_URL: `http://127.0.0.1:${tokens.port}`,
        }
      : {}),
    ...env,
  });
  const probe = await startProbe(config, logger);
  return {
    hub,
    collector,
    tokens,
    probe,
    async stop() {
      await probe.stop();
      await collector.close();
      await hub.close();
      await tokens?.close();
    },
  };
}

/**
 * A hub and a collector that serve any dataset (none held or dropped), closed after the test:
 * the stand-ins of tests with many targets.
 */
export async function startStandIns(): Promise<{ hub: Hub; collector: Collector }> {
  const hub = await startHub({ port: 0, token: WEBHOOK_TOKEN });
  const collector = await startCollector({
    port: 0,
    publish: (dataset, json) => hub.publish(dataset, json),
    webhookToken: WEBHOOK_TOKEN,
    tuning: { ADD_LATENCY_PERCENT: 0, NO_EMIT_PERCENT: 0 },
  });
  after(async () => {
    await collector.close();
    await hub.close();
  });
  return { hub, collector };
}

/**
 * A scrape's samples by series, named without their `target` label: a one-target probe's
 * series read as `probe_events_posted_total`. `scrapeTargets` keeps them apart.
 */
export async function scrape(port: number, path = '/metrics'): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  for (const [, series] of await scrapeTargets(port, path)) {
    for (const [key, value] of series) values.set(key, value);
  }
  return values;
}

/** A scrape's samples grouped by their `target` label ('' for series without one). */
export async function scrapeTargets(
  port: number,
  path = '/metrics',
): Promise<Map<string, Map<string, number>>> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  const text = await response.text();
  const targets = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    const [key, target] = withoutTarget(line.slice(0, at));
    const series = targets.get(target) ?? new Map<string, number>();
    series.set(key, Number(line.slice(at + 1)));
    targets.set(target, series);
  }
  return targets;
}

/** `name{target="x",a="b"}` → [`name{a="b"}`, 'x']: the pairs in their order, less the target. */
function withoutTarget(key: string): [string, string] {
  const brace = key.indexOf('{');
  if (brace < 0) return [key, ''];
  let target = '';
  const pairs: string[] = [];
  for (const [pair, name, value] of key.slice(brace).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
    if (name === 'target') target = value;
    else pairs.push(pair);
  }
  const name = key.slice(0, brace);
  return [pairs.length === 0 ? name : `${name}{${pairs.join(',')}}`, target];
}

export { freePort } from '../../local/listen';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what: string | (() => string) = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await sleep(20);
  }
}
