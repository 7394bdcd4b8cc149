import type { Logger } from '../logs/logger';
import type { Reload } from './reload';

/**
 * SIGHUP reloads the targets, as Prometheus and most daemons do; one that comes while the
 * process stops is let go. A storm of them is a few loads (see `mergeRequests.ts`).
 */
export function reloadOnSignal(reload: Reload, stopping: () => boolean, logger: Logger): void {
  process.on('SIGHUP', () => {
    if (stopping()) return;
    logger.info('reloading', { signal: 'SIGHUP' });
    void reload('SIGHUP');
  });
}
