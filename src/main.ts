// First: from here on SIGUSR1 cannot open the inspector (see userSignals.ts).
import './userSignals';
import { parseArgs } from './cli';
import { type Config, ConfigError, describeConfig, loadConfig } from './config';
import { helpText } from './help';
import { createLogger, type Logger } from './logger';
import { lookalikeWarnings } from './lookalikes';
import { secretValues } from './secrets';
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
  for (const warning of lookalikeWarnings(env)) {
    process.stderr.write(`config warning: ${warning}\n`);
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exitCode = BAD_CONFIG;
    return;
  }
  if (command === 'check-config') {
    process.stdout.write(`${describeConfig(env)}\nconfig ok\n`);
    return;
  }
  const logger = createLogger(config.run.logLevel, {
    human: config.run.local,
    secrets: secretValues(config),
  });
  keepAlive(logger);
  const { startProbe } = await import('./probe');
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

if (require.main === module) {
  main(process.argv.slice(2), process.env).catch((error: unknown) => {
    process.stderr.write(
      `failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
