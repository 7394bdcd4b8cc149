/** The knobs `/config/?…` sets at run time; percents 0–100, seconds for the latency range. */
export interface CollectorTuning {
  ADD_LATENCY_PERCENT: number;
  LATENCY_RANGE_MIN: number;
  LATENCY_RANGE_MAX: number;
  NO_EMIT_PERCENT: number;
  /** Emit the event twice. */
  DUPLICATE_PERCENT: number;
  /** Also emit an event of another probe (a foreign app_id). */
  FOREIGN_PERCENT: number;
  /** Answer 503 without taking the event. */
  FAIL_PERCENT: number;
  /** Never answer (the connection hangs until the client gives up). */
  HANG_PERCENT: number;
}

export const DEFAULT_TUNING: CollectorTuning = {
  ADD_LATENCY_PERCENT: 10,
  LATENCY_RANGE_MIN: 0,
  LATENCY_RANGE_MAX: 3,
  NO_EMIT_PERCENT: 5,
  DUPLICATE_PERCENT: 0,
  FOREIGN_PERCENT: 0,
  FAIL_PERCENT: 0,
  HANG_PERCENT: 0,
};

/** Whether a fault of `percent` (0–100) strikes this time. */
export function chance(random: () => number, percent: number): boolean {
  return percent > 0 && random() * 100 < percent;
}

/** The tuning of every dataset, and what `/config/?dataset=…` set for one dataset alone. */
export interface Tunings {
  /** Every dataset's tuning: changed in place, so whoever holds it sees (and may make) changes. */
  readonly all: CollectorTuning;
  /** One dataset's tuning: every dataset's, under its own. */
  of(datasetId: string): CollectorTuning;
  /**
   * Applies `/config/?NAME=value&…` (a value that is not a number ≥ 0 is skipped), to one
   * dataset with `dataset=…`; answers the tuning it changed.
   */
  configure(query: URLSearchParams): CollectorTuning;
}

export function tunings(
  initial?: Partial<CollectorTuning>,
  initialByDataset: Readonly<Record<string, Partial<CollectorTuning>>> = {},
): Tunings {
  const all: CollectorTuning = { ...DEFAULT_TUNING, ...initial };
  // Tuning for one dataset only (`/config/?dataset=orders&NO_EMIT_PERCENT=100`): break one
  // target while the others flow.
  const byDataset = new Map<string, Partial<CollectorTuning>>(
    Object.entries(initialByDataset).map(([dataset, tuning]) => [dataset, { ...tuning }]),
  );
  const of = (datasetId: string): CollectorTuning => ({ ...all, ...byDataset.get(datasetId) });
  return {
    all,
    of,
    configure(query) {
      const dataset = query.get('dataset');
      const target: Partial<CollectorTuning> =
        dataset === null ? all : (byDataset.get(dataset) ?? {});
      for (const [key, value] of query) {
        const number = Number(value);
        if (key in all && value.trim() !== '' && Number.isFinite(number) && number >= 0) {
          target[key as keyof CollectorTuning] = number;
        }
      }
      if (dataset === null) return all;
      byDataset.set(dataset, target);
      return of(dataset);
    },
  };
}
