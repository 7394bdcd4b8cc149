import type { Effect } from '../../streams/effects';
import type { Logger } from './logger';

/** Effects logged at debug level only: skipped outright when debug is off. */
const QUIET_EFFECTS = new Set<Effect['kind']>([
  'post-done',
  'received',
  'wrong-app-id',
  'unknown-seqno',
  'malformed',
  'purged',
]);

/** One log line for each effect worth telling; the per-event ones at debug level. */
export function logEffect(logger: Logger, effect: Effect): void {
  if (logger.debugEnabled || !QUIET_EFFECTS.has(effect.kind)) tell(logger, effect);
}

function tell(logger: Logger, effect: Effect): void {
  switch (effect.kind) {
    case 'post-done':
      logger.debug('post answered', {
        seqno: effect.seqno,
        ok: effect.ok,
        ms: Math.round(effect.durationMs),
        retries: effect.retries,
      });
      return;
    case 'post-error':
      logger.warn('post failed', {
        seqno: effect.seqno,
        error: effect.error,
        retries: effect.retries,
      });
      return;
    case 'received':
      logger.debug('event received', {
        seqno: effect.seqno,
        latencyMs: Math.round(effect.latencyMs),
        listener: effect.listenerId,
      });
      return;
    case 'late':
      logger.info('event received after it was counted lost', {
        seqno: effect.seqno,
        latencyMs: Math.round(effect.latencyMs),
      });
      return;
    case 'duplicate':
      logger.info('duplicate event on one connection', {
        seqno: effect.seqno,
        listener: effect.listenerId,
      });
      return;
    case 'wrong-app-id':
      logger.debug('event of another probe', { appId: effect.appId });
      return;
    case 'unknown-seqno':
      logger.debug('own event with an unknown seqno', { seqno: effect.seqno });
      return;
    case 'malformed':
      logger.debug('malformed message', { reason: effect.reason, sample: effect.sample });
      return;
    case 'lost':
      logger.warn('events lost', range(effect.seqnos));
      return;
    case 'overdue':
      logger.warn('events past their latency objective, not received', range(effect.seqnos));
      return;
    case 'purged':
      logger.debug('events purged', { count: effect.count });
      return;
    case 'listener': {
      const { listenerId: listener, status, disconnect, rotated, retryInMs } = effect.change;
      if (status === 'connected') {
        logger.info('listener connected', rotated ? { listener, rotated } : { listener });
      } else if (status === 'disconnected')
        logger.warn('listener disconnected', {
          listener,
          cause: disconnect?.cause,
          reason: disconnect?.detail,
          retryInMs: Math.round(retryInMs ?? 0),
        });
      else logger.debug('listener connecting', { listener });
      return;
    }
    case 'drain-started':
      logger.info('draining: posting stopped, listening for the events in flight', {
        inFlight: effect.inFlight,
        postsRunning: effect.postsRunning,
      });
      return;
    case 'drain-ended':
      if (effect.drained.length === 0 && effect.unanswered.length === 0) {
        logger.info('drained: every event settled');
      } else {
        logger.warn('drain deadline passed with events unsettled', {
          drained: effect.drained.length,
          unanswered: effect.unanswered.length,
        });
      }
      return;
    case 'internal-error':
      logger.error('internal error survived', { error: effect.error });
      return;
  }
}

/** A run of events, told by its size and its ends. */
const range = (seqnos: readonly number[]) => ({
  count: seqnos.length,
  first: seqnos[0],
  last: seqnos[seqnos.length - 1],
});
