import type { Exemplar, Labels, Sample } from './samples';

/** prom-client's own store of a histogram (private fields, held to its output by our tests). */
interface HistogramStore {
  readonly name: string;
  readonly upperBounds: readonly number[];
  readonly hashMap: Record<string, StoredSeries>;
  collect?(): unknown;
}

interface StoredSeries {
  readonly labels: Labels;
  readonly bucketValues: Readonly<Record<string, number>>;
  readonly bucketExemplars?: Readonly<Record<string, Exemplar | null>>;
  readonly sum: number;
  readonly count: number;
}

/** One series at the instant of the read: counts per bucket (not cumulative) and exemplars. */
interface SeriesSnapshot {
  readonly labels: Labels;
  readonly counts: Readonly<Record<string, number>>;
  /** Keyed by upper bound, `-1` for `+Inf` (prom-client's key); copies, not its live objects. */
  readonly exemplars?: Readonly<Record<string, Exemplar>>;
  readonly sum: number;
  readonly count: number;
}

export function isHistogramStore(metric: unknown): metric is HistogramStore {
  const store = metric as Partial<HistogramStore>;
  return Array.isArray(store.upperBounds) && typeof store.hashMap === 'object';
}

/**
 * A histogram's series copied out of its store: at 1,000 targets prom-client's `get()` makes
 * 41,000 value objects in the one turn every family must be read in (50–90 ms in `--lite-mode`);
 * this copies 3,000 series (10–20 ms), and their samples are made as they are written, in turns.
 * Each observation changes the bucket counts and exemplars in place, so both are copied.
 */
export async function readHistogram(store: HistogramStore): Promise<Iterable<Sample>> {
  const collected = store.collect?.();
  if (collected instanceof Promise) await collected;
  const series: SeriesSnapshot[] = [];
  for (const key in store.hashMap) {
    const { labels, bucketValues, bucketExemplars, sum, count } = store.hashMap[key];
    series.push({
      labels,
      counts: { ...bucketValues },
      exemplars: bucketExemplars && copyExemplars(bucketExemplars),
      sum,
      count,
    });
  }
  return histogramSamples(store.name, store.upperBounds, series);
}

function copyExemplars(exemplars: Readonly<Record<string, Exemplar | null>>) {
  const copies: Record<string, Exemplar> = {};
  for (const bound in exemplars) {
    const exemplar = exemplars[bound];
    if (exemplar) copies[bound] = { ...exemplar };
  }
  return copies;
}

/** The samples prom-client's `getForPromString` makes, in its order and with its labels. */
function* histogramSamples(
  name: string,
  bounds: readonly number[],
  series: readonly SeriesSnapshot[],
): Iterable<Sample> {
  const bucket = `${name}_bucket`;
  const le = bounds.map((bound) => ({ le: bound }));
  for (const { labels, counts, exemplars, sum, count } of series) {
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += counts[bounds[i]];
      const exemplar = exemplars?.[bounds[i]];
      yield {
        metricName: bucket,
        labels: le[i],
        sharedLabels: labels,
        value: cumulative,
        exemplar,
      };
    }
    const exemplar = exemplars?.[-1];
    yield { metricName: bucket, labels: INF, sharedLabels: labels, value: count, exemplar };
    yield { metricName: `${name}_sum`, labels: NONE, sharedLabels: labels, value: sum };
    yield { metricName: `${name}_count`, labels: NONE, sharedLabels: labels, value: count };
  }
}

const INF: Labels = { le: '+Inf' };
const NONE: Labels = {};
