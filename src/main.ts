import { type Config, ConfigError, describeConfig, loadConfig } from './config';
import { createLogger, type Logger } from './logger';
import { type RunningProbe, startProbe } from './probe';
import { secretValues } from './secrets';

const STOP_DEADLINE_MS = 5_000;

/**
 * Entry point: check the configuration (one line per problem and exit 2, never a stack trace),
 * start the probe, and stop it cleanly on SIGTERM, SIGINT or SIGHUP. `--check-config` only checks.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exitCode = 2;
    return;
  }
  if (argv.includes('--check-config')) {
    process.stdout.write(`${describeConfig(env)}\nconfig ok\n`);
    return;
  }
  const logger = createLogger(config.run.logLevel, {
    human: config.run.local,
    secrets: secretValues(config),
  });
  keepAlive(logger);
  const probe = await startProbe(config, logger);
  stopOnSignals(probe, logger);
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

export function stopOnSignals(probe: RunningProbe, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
    probe.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      () => process.exit(0),
    );
  };
  // Every signal a process manager sends to stop a service stops it cleanly.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => stop(signal));
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).catch((error: unknown) => {
    process.stderr.write(
      `failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
