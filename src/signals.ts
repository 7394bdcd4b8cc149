import type { Logger } from './logs/logger';
import type { RunningProbe } from './probe';
import { reloadOnSignal } from './reload/reloadSignal';
import { STOP_SIGNALS } from './signalTable';
import { reportIgnoredSignals } from './userSignals';

const STOP_DEADLINE_MS = 5_000;

/**
 * Every signal that asks a process to stop stops the probe cleanly, with exit code 0; SIGHUP
 * reloads the targets (with one target from the variables there is nothing to reload, and it
 * says so). Which signal does what is decided in `signalTable.ts`; the reload in
 * `reload/reloadSignal.ts`.
 */
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
  for (const signal of STOP_SIGNALS) process.once(signal, () => stop(signal));
  reloadOnSignal(
    (cause) => probe.reload(cause),
    () => stopping,
    logger,
  );
  reportIgnoredSignals((signal, why) => logger.warn('signal ignored', { signal, why }));
}
