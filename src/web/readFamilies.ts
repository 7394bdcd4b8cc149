import type { Registry } from 'prom-client';

export type Labels = Readonly<Record<string, string | number | undefined>>;

/** A sample as prom-client reads it (its exemplar replaced by a copy: see `snapshot`). */
export interface Sample {
  readonly metricName?: string;
  readonly labels: Labels;
  /** A histogram's series labels (its buckets' `labels` hold only `le`); prom-client's name. */
  readonly sharedLabels?: Labels;
  readonly value: number;
  exemplar?: Exemplar | null;
}

interface Exemplar {
  readonly labelSet: Labels;
  readonly value: number;
  readonly timestamp: number;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values: Sample[];
}

/** What a metric of prom-client is to us: `getForPromString` where it has one (histograms). */
interface Readable {
  get(): Promise<Family>;
  getForPromString?(): Promise<Family>;
}

/**
 * Every family of the registry at one instant, before any is written: the counters' `collect()`
 * read the probe's books, and `posted = received + lost + in flight` holds only if no event is
 * counted between two of them. All reads start in the same synchronous stretch, as prom-client's
 * own `metrics()` does, so nothing but microtasks runs between them.
 *
 * Histograms are read with `getForPromString` (as prom-client's own exposition does): it keeps a
 * bucket's series labels apart from its `le`, which sets their order when default labels exist.
 */
export function readFamilies(registry: Registry): Promise<Family[]> {
  const metrics = registry.getMetricsAsArray() as unknown as Readable[];
  return Promise.all(
    metrics.map(async (metric) => {
      const family = await (metric.getForPromString ?? metric.get).call(metric);
      return { ...family, values: snapshot(family.type, family.values ?? []) };
    }),
  );
}

/**
 * The values made a snapshot where prom-client hands out live objects: a counter's or gauge's
 * values are its own `{value, labels}` entries, which `inc()` changes in place, and a histogram's
 * bucket holds the one exemplar object that each observation into it rewrites. A histogram's or
 * summary's value objects are otherwise made afresh by each read, so they are kept (there are
 * 40,000 of them at 1,000 targets). Label objects are the caller's, which prom-client never
 * changes.
 */
function snapshot(type: string, values: Sample[]): Sample[] {
  if (type === 'counter' || type === 'gauge') {
    return values.map(({ labels, value, exemplar }) => ({
      labels,
      value,
      exemplar: exemplar && copyExemplar(exemplar),
    }));
  }
  for (const sample of values) {
    if (sample.exemplar) sample.exemplar = copyExemplar(sample.exemplar);
  }
  return values;
}

const copyExemplar = ({ labelSet, value, timestamp }: Exemplar): Exemplar => ({
  labelSet,
  value,
  timestamp,
});

/** Labels the registry adds to every sample (prom-client keeps them in a private field). */
export function defaultLabels(registry: Registry): Labels {
  return (registry as unknown as { _defaultLabels?: Labels })._defaultLabels ?? {};
}
