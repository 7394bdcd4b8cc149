import { type CollectorStats, noteEvent } from './collectorStats';
import { type CollectorTuning, chance } from './collectorTuning';

/** What passing events on needs. */
export interface Publishing {
  /** Hands an accepted event to the subscription side. */
  readonly publish: (datasetId: string, json: string) => void;
  readonly stats: CollectorStats;
  readonly tuningOf: (datasetId: string) => CollectorTuning;
  readonly random: () => number;
}

/**
 * Passes an accepted event on to the subscription side with the faults its dataset's tuning
 * asks for: dropped (NO_EMIT_PERCENT), held for a random time in LATENCY_RANGE_MIN…MAX seconds
 * (ADD_LATENCY_PERCENT), sent twice (DUPLICATE_PERCENT), or beside an event of another probe
 * (FOREIGN_PERCENT).
 */
export function publishEvent(
  publishing: Publishing,
  datasetId: string,
  event: Record<string, unknown>,
): void {
  const { publish, stats, random } = publishing;
  stats.accepted += 1;
  const text = JSON.stringify(event);
  const seqno = typeof event.seqno === 'number' ? event.seqno : -1;
  const tuned = publishing.tuningOf(datasetId);
  const dropped = chance(random, tuned.NO_EMIT_PERCENT);
  const duplicated = !dropped && chance(random, tuned.DUPLICATE_PERCENT);
  const holdMs = chance(random, tuned.ADD_LATENCY_PERCENT)
    ? 1000 *
      (tuned.LATENCY_RANGE_MIN + (tuned.LATENCY_RANGE_MAX - tuned.LATENCY_RANGE_MIN) * random())
    : 0;
  noteEvent(stats, seqno, { holdMs, dropped, duplicated });
  if (chance(random, tuned.FOREIGN_PERCENT)) {
    stats.foreign += 1;
    publish(datasetId, JSON.stringify({ ...event, app_id: 'f0f0f0f0' }));
  }
  if (dropped) {
    stats.dropped += 1;
    return;
  }
  const send = () => {
    stats.emitted += 1;
    publish(datasetId, text);
    if (duplicated) {
      stats.duplicated += 1;
      publish(datasetId, text);
    }
  };
  if (holdMs > 0) setTimeout(send, holdMs);
  else send();
}
