import { loadConfig } from '../src/config/loadConfig';
import { secretValues } from '../src/config/secrets';
import { createLogger } from '../src/logs/logger';
import { stopOnSignals } from '../src/main';
import { startProbe } from '../src/probe';
import { startCollector } from './collector';
import { demoTuning } from './demo';
import { startHub } from './hub';
import { PORT_VARIABLES, reachableHost, standInSettings } from './standInSettings';
import { runCommand, started } from './standInStart';
import { startTokenServer } from './tokenServer';

/**
 * `npm run local`: the probe and its stand-ins (collector, subscription hub, token server) in
 * one process, no Docker and no credentials. The stand-ins listen on 127.0.0.1 (LOCAL_BIND_HOST)
 * at 8081, 8765 and 8082 (LOCAL_COLLECTOR_PORT, LOCAL_HUB_PORT, LOCAL_TOKEN_PORT; 0 for any
 * free one), and the probe is pointed at wherever they are. Every probe variable can still be
 * set; these defaults apply only where it is not. `LOCAL_TARGETS=3` runs three targets
 * (`probe-local-1` …), as a targets file would: the stand-ins serve any dataset, and the demo
 * breaks one of them (`demo.ts`).
 */
async function runLocal(): Promise<void> {
  const where = standInSettings(process.env);
  const defaults = {
    PROBE_WEBHOOK_TOKEN: 'local-webhook-token',
    PROBE_DATASET_ID: 'probe-local',
    POST_EVENT_INTERVAL_SECONDS: '2',
    RUN_LOCAL: 'true',
  };
  // Checked before anything listens: a bad variable opens no port.
  const token = loadConfig({ ...defaults, ...process.env, LOCAL_SERVICES_ONLY: 'true' }).dataset
    .webhookToken;
  const demo = demoTuning(process.env);
  const hub = await started(
    'the stand-in subscription hub',
    PORT_VARIABLES.hubPort.name,
    startHub({
      port: where.hubPort,
      host: where.host,
      token,
      lifetimeSeconds: [120, 600],
      idleSeconds: 600,
    }),
  );
  const tokens = await started(
    'the stand-in token server',
    PORT_VARIABLES.tokenPort.name,
    startTokenServer({
      port: where.tokenPort,
      host: where.host,
      clientId: 'local-client',
      clientSecret: 'local-secret',
    }),
  );
  const collector = await started(
    'the stand-in collector',
    PORT_VARIABLES.collectorPort.name,
    startCollector({
      port: where.collectorPort,
      host: where.host,
      publish: (datasetId, json) => hub.publish(datasetId, json),
      webhookToken: token,
      acceptBearer: (bearer) => tokens.isValid(bearer),
      tuning: demo.all,
      tuningByDataset: demo.byDataset,
    }),
  );
  const at = (scheme: string, port: number) => `${scheme}://${reachableHost(where.host)}:${port}`;
  const env = {
    ...defaults,
    EVENT_COLLECTOR_URL: at('http', collector.port),
    WEBSOCKET_URL: at('ws', hub.port),
    KEYCLOAK_SERVER_URL: at('http', tokens.port),
    ...process.env,
    LOCAL_SERVICES_ONLY: 'true',
  };
  const config = loadConfig(env);
  const logger = createLogger(config.run.logLevel, {
    human: config.run.local,
    secrets: secretValues(config),
  });
  const count = Number(process.env.LOCAL_TARGETS ?? '1');
  const targets =
    Number.isSafeInteger(count) && count > 1
      ? Array.from({ length: Math.min(count, 100) }, (_, i) => {
          const id = `probe-local-${i + 1}`;
          return { id, labels: {}, config: loadConfig({ ...env, PROBE_DATASET_ID: id }) };
        })
      : [{ id: config.dataset.id, labels: {}, config }];
  const broken = targets.map((t) => t.id).filter((id) => Object.hasOwn(demo.byDataset, id));
  logger.info('local stand-ins up', {
    collector: `${at('http', collector.port)} (tune: /config/?NO_EMIT_PERCENT=20)`,
    subscription: at('ws', hub.port),
    tokenServer: `${at('http', tokens.port)} (client local-client / local-secret)`,
    broken:
      broken.length > 0
        ? `${broken.join(', ')} (nothing delivered; set LOCAL_BROKEN_TARGET= for none)`
        : undefined,
  });
  const probe = await startProbe(config, logger, { initial: targets });
  logger.info(`metrics on http://localhost:${probe.port}/metrics`);
  stopOnSignals(probe, logger, config.run.drainMs);
}

runCommand(runLocal);
