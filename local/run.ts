import { loadConfig } from '../src/config/loadConfig';
import { secretValues } from '../src/config/secrets';
import { createLogger } from '../src/logs/logger';
import { stopOnSignals } from '../src/main';
import { startProbe } from '../src/probe';
import { startCollector } from './collector';
import { startHub } from './hub';
import { startTokenServer } from './tokenServer';

/**
 * `npm run local`: the probe and its stand-ins (collector on 8081, subscription hub on 8765,
 * token server on 8082) in one process, no Docker and no credentials. Every probe variable can
 * still be set; these defaults apply only where it is not. `LOCAL_TARGETS=3` runs three
 * targets (`probe-local-1` …), as a targets file would: the stand-ins serve any dataset, and
 * `/config/?dataset=probe-local-2&NO_EMIT_PERCENT=100` on the collector breaks just one.
 */
async function runLocal(): Promise<void> {
  const env = {
    PROBE_WEBHOOK_TOKEN: 'local-webhook-token',
    PROBE_DATASET_ID: 'probe-local',
    POST_EVENT_INTERVAL_SECONDS: '2',
    RUN_LOCAL: 'true',
    ...process.env,
    LOCAL_SERVICES_ONLY: 'true',
  };
  const config = loadConfig(env);
  const hub = await startHub({
    port: 8765,
    token: config.dataset.webhookToken,
    lifetimeSeconds: [120, 600],
    idleSeconds: 600,
  });
  const tokens = await startTokenServer({
    port: 8082,
    clientId: 'local-client',
    clientSecret: 'local-secret',
  });
  await startCollector({
    port: 8081,
    publish: (datasetId, json) => hub.publish(datasetId, json),
    webhookToken: config.dataset.webhookToken,
    acceptBearer: (token) => tokens.isValid(token),
  });
  const logger = createLogger(config.run.logLevel, {
    human: config.run.local,
    secrets: secretValues(config),
  });
  logger.info('local stand-ins up', {
    collector: 'http://localhost:8081 (tune: /config/?NO_EMIT_PERCENT=20)',
    subscription: 'ws://localhost:8765',
    tokenServer: 'http://localhost:8082 (client local-client / local-secret)',
  });
  const count = Number(process.env.LOCAL_TARGETS ?? '1');
  const targets =
    Number.isSafeInteger(count) && count > 1
      ? Array.from({ length: Math.min(count, 100) }, (_, i) => {
          const id = `probe-local-${i + 1}`;
          return { id, labels: {}, config: loadConfig({ ...env, PROBE_DATASET_ID: id }) };
        })
      : [{ id: config.dataset.id, labels: {}, config }];
  const probe = await startProbe(config, logger, { initial: targets });
  logger.info(`metrics on http://localhost:${probe.port}/metrics`);
  stopOnSignals(probe, logger);
}

runLocal().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
