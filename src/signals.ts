import type { Logger } from './logger';
import type { RunningProbe } from './probe';
import { reportIgnoredSignals } from './userSignals';

const STOP_DEADLINE_MS = 5_000;

/**
 * Every signal that asks a process to stop stops the probe cleanly, with exit code 0:
 * SIGTERM (Kubernetes, Docker), SIGINT (Ctrl-C), SIGHUP (the terminal went away) and SIGQUIT
 * (Ctrl-\, and the graceful stop of some process managers) — without SIGQUIT's core dump.
 * A second one of the same kind while stopping ends the process at once.
 */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'] as const;

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
  reportIgnoredSignals((signal, why) => logger.warn('signal ignored', { signal, why }));
}
