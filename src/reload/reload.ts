import type { Logger } from '../logs/logger';
import type { ProcessMetrics } from '../metrics/metricsProcess';
import type { Loaded, ReloadOutcome, TargetSet, TargetSource } from '../targets/targetSet';
import { mergeRequests } from './mergeRequests';

/**
 * How reload works — the whole flow, one file per step:
 *
 *   watch     `watchTargets.ts`    the file (or directory) polled; a change applied once it
 *                                  has stopped changing (the same digest on the next look)
 *   signal    `reloadSignal.ts`    SIGHUP, as Prometheus and most daemons
 *   endpoint  `reloadEndpoint.ts`  `POST /-/reload`: off unless RELOAD_ENDPOINT_ENABLED, never
 *                                  from a browser, with a token when RELOAD_TOKEN_FILE is set
 *       ↓ each is a request, here
 *   merge     `mergeRequests.ts`   requests that come while a load runs join ONE load that
 *                                  follows it: never more than one running and one waiting
 *   load      `guardedLoad.ts`     the file read, parsed and checked in a worker thread with a
 *                                  bounded heap and a deadline (RELOAD_TIMEOUT_SECONDS), so no
 *                                  file can stall the running targets or take the memory
 *   apply     `targets/targetSet.ts` the loaded set applied as a difference by id: unchanged
 *                                  targets untouched, changed restarted, removed stopped, added
 *                                  started. A file with problems, or a load that failed,
 *                                  changes nothing: the running targets carry on.
 *
 * Every load ends in the log, in `probe_config_reloads_total{outcome}` and
 * `probe_config_last_reload_successful`, and — for the endpoint — in its answer.
 */
export type Reload = (cause: string) => Promise<ReloadOutcome>;

const NOTHING_CHANGED: ReloadOutcome = { ok: true, added: 0, removed: 0, changed: 0 };

export function reloader(
  source: TargetSource,
  set: Pick<TargetSet, 'apply' | 'redact'>,
  processMetrics: Pick<ProcessMetrics, 'reloaded'>,
  logger: Logger,
): Reload {
  // Why the next load runs: every cause merged into it, said once in its log line.
  let causes = new Map<string, number>();
  const loadAndApply = async (): Promise<ReloadOutcome> => {
    const because = [...causes].map(([cause, n]) => (n > 1 ? `${cause} ×${n}` : cause));
    causes = new Map();
    if (!source.load) {
      logger.info('nothing to reload: the one target comes from the variables');
      return NOTHING_CHANGED;
    }
    logger.info('loading the targets', { because: because.join(', ') });
    const loaded: Loaded = await source.load().catch((error: unknown) => ({
      failed: `the targets could not be read (${error instanceof Error ? error.name : 'error'})`,
    }));
    if ('failed' in loaded) {
      processMetrics.reloaded('failed');
      logger.error('reload failed, the running targets stay', { why: loaded.failed });
      return { ok: false, failed: true, problems: [loaded.failed] };
    }
    if ('problems' in loaded) {
      processMetrics.reloaded('refused');
      const problems = loaded.problems.map(set.redact);
      logger.error('reload refused, the running targets stay', { problems });
      return { ok: false, problems };
    }
    const outcome = { ok: true as const, ...set.apply(loaded) };
    processMetrics.reloaded('applied');
    logger.info('targets reloaded', { targets: loaded.targets.length, ...outcome });
    return outcome;
  };
  const merged = mergeRequests(loadAndApply);
  return (cause) => {
    causes.set(cause, (causes.get(cause) ?? 0) + 1);
    return merged();
  };
}
