// First: from here on SIGUSR1 cannot open the inspector (see userSignals.ts).
import './userSignals';
import { parseArgs } from './cli';
import { type Config, ConfigError, describeConfig, loadConfig } from './config/loadConfig';
import { lookalikeWarnings } from './config/lookalikes';
import { secretValues } from './config/secrets';
import { helpText } from './help';
import { createLogger, type Logger } from './logs/logger';
import type { TargetSource } from './probe';
import { describeTargets, shardPlan } from './shards/shardPlan';
import { stopOnSignals } from './signals';
import { VERSION } from './version';

export { stopOnSignals } from './signals';

/** The exit code of a configuration or argument problem, told apart from a failed start (1). */
export const BAD_CONFIG = 2;

/**
 * Entry point: read the arguments, warn of variables that look like ours but are not, check
 * the configuration (one line per problem and exit 2, never a stack trace), then start the
 * probe and stop it cleanly on a stop signal. The probe's modules load only once the
 * configuration is good: `--help`, `--version` and `--check-config` never start anything.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const command = parseArgs(argv);
  if (typeof command === 'object') {
    process.stderr.write(`${command.error}\n`);
    process.exitCode = BAD_CONFIG;
    return;
  }
  if (command === 'help') return void process.stdout.write(helpText());
  if (command === 'version') return void process.stdout.write(`${VERSION}\n`);
  const file = env.PROBE_TARGETS_FILE?.trim() ?? '';
  const started = file === '' ? oneTarget(env) : await manyTargets(file, env);
  // A lookalike is told first, also beside the problems it may explain (a misspelt name).
  const secretNames = 'problems' in started ? [] : started.secretNames;
  for (const warning of lookalikeWarnings(env, secretNames)) {
    process.stderr.write(`config warning: ${warning}\n`);
  }
  if ('problems' in started) {
    for (const problem of started.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exitCode = BAD_CONFIG;
    return;
  }
  const { config, source } = started;
  if (command === 'check-config') {
    // With a targets file the environment gives only the process-wide variables.
    const settings = describeConfig(env, source ? 'process' : 'all');
    const targets = source?.plan ? `\n${describeTargets(started.targetIds, source.plan)}` : '';
    process.stdout.write(`${settings}${targets}\nconfig ok\n`);
    return;
  }
  const logger = createLogger(config.run.logLevel, {
    human: config.run.local,
    secrets: secretValues(config),
  });
  keepAlive(logger);
  const { startProbe } = await import('./probe');
  const probe = await startProbe(config, logger, source);
  stopOnSignals(probe, logger, config.run.drainMs);
  if (file !== '') {
    const { WATCH_EVERY_MS, watchTargets } = await import('./reload/watchTargets');
    watchTargets(file, WATCH_EVERY_MS, () => {
      logger.info('targets file changed, reloading');
      void probe.reload('the file changed');
    });
  }
}

type Started =
  | {
      readonly config: Config;
      readonly source?: TargetSource;
      /** Variables the targets file reads secrets from: ours, though not in the table. */
      readonly secretNames: readonly string[];
      /** Every target id of the targets file, all shards' (none without one). */
      readonly targetIds: readonly string[];
    }
  | { readonly problems: readonly string[] };

/** The one target the variables describe. */
function oneTarget(env: NodeJS.ProcessEnv): Started {
  try {
    return { config: loadConfig(env), secretNames: [], targetIds: [] };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { problems: error.problems };
  }
}

/** The targets of the file (all shards': the target set runs this process's share, see `shards/`). */
async function manyTargets(file: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const { targetsFile } = await import('./targets/targetSource');
  const { guardedLoad, loadTimeoutMs } = await import('./reload/guardedLoad');
  const timeoutMs = loadTimeoutMs(env);
  return targetsFile(
    file,
    env,
    (config) => shardPlan(config, env.HOSTNAME),
    (path, env) => guardedLoad(path, env, timeoutMs),
  );
}

/** Nothing from the network may end the process: log what escaped, count on the actors. */
function keepAlive(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection survived', { error: String(reason) });
  });
  process.on('uncaughtException', (error) => {
    logger.error('uncaught exception survived', { error: String(error) });
  });
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).catch((error: unknown) => {
    process.stderr.write(
      `failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
