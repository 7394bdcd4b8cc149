import type { Logger } from './logs/logger';
import type { RunningProbe } from './probe';
import { reloadOnSignal } from './reload/reloadSignal';
import { STOP_SIGNALS } from './signalTable';
import { reportIgnoredSignals } from './userSignals';

/** Past the drain: time for the last log line and the HTTP server to close. */
const STOP_MARGIN_MS = 5_000;

/**
 * Every signal that asks a process to stop stops the probe cleanly, with exit code 0; SIGHUP
 * reloads the targets (with one target from the variables there is nothing to reload, and it
 * says so). Which signal does what is decided in `signalTable.ts`; the reload in
 * `reload/reloadSignal.ts`.
 */
/**
 * The first stop signal drains (see `streams/drain.ts`): posting stops, `/readyz` answers 503,
 * `/metrics` is still served, and the listeners stay until every event in flight settled or
 * `drainMs` passed; the last log line carries each target's final books. A second stop signal
 * stops at once.
 */
export function stopOnSignals(probe: RunningProbe, logger: Logger, drainMs: number): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn('stopping at once: a second stop signal', { signal });
      process.exit(0);
    }
    stopping = true;
    logger.info('stopping', {
      signal,
      drainSeconds: drainMs / 1000,
    });
    setTimeout(() => process.exit(0), drainMs + STOP_MARGIN_MS).unref();
    probe
      .drain()
      .then(async (books) => {
        await probe.stop();
        logger.info('stopped', { books });
      })
      .finally(() => process.exit(0));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
  reloadOnSignal(
    (cause) => probe.reload(cause),
    () => stopping,
    logger,
  );
  reportIgnoredSignals((signal, why) => logger.warn('signal ignored', { signal, why }));
}
