import type { Logger } from '../logs/logger';
import { RELOAD_SIGNAL } from '../signalTable';
import type { Reload } from './reload';

/**
 * SIGHUP reloads the targets, as Prometheus and most daemons do; one that comes while the
 * process stops is let go. A storm of them is a few loads (see `mergeRequests.ts`).
 */
export function reloadOnSignal(reload: Reload, stopping: () => boolean, logger: Logger): void {
  process.on(RELOAD_SIGNAL, () => {
    if (stopping()) return;
    logger.info('reloading', { signal: RELOAD_SIGNAL });
    void reload(RELOAD_SIGNAL);
  });
}
