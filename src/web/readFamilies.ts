import type { Registry } from 'prom-client';

export type Labels = Readonly<Record<string, string | number | undefined>>;

/** A sample as read, its number and exemplar copied out of prom-client's live objects. */
export interface Sample {
  readonly metricName?: string;
  readonly labels: Labels;
  /** A histogram's series labels (its buckets' `labels` hold only `le`); prom-client's name. */
  readonly sharedLabels?: Labels;
  readonly value: number;
  readonly exemplar?: {
    readonly labelSet: Labels;
    readonly value: number;
    readonly timestamp: number;
  };
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values: readonly Sample[];
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
 * prom-client hands out live objects: a counter's or gauge's values are its own `{value,
 * labels}` entries, which `inc()` changes in place, and an exemplar is one object that each
 * observation rewrites. The numbers and exemplars are copied as each family resolves; label
 * objects are the caller's, which prom-client never changes, so they are kept as they are.
 *
 * Histograms are read with `getForPromString` (as prom-client's own exposition does): it keeps a
 * bucket's series labels apart from its `le`, which sets their order when default labels exist.
 */
export function readFamilies(registry: Registry): Promise<Family[]> {
  const metrics = registry.getMetricsAsArray() as unknown as Readable[];
  return Promise.all(
    metrics.map(async (metric) => {
      const family = await (metric.getForPromString ?? metric.get).call(metric);
      return { ...family, values: (family.values ?? []).map(copySample) };
    }),
  );
}

function copySample({ metricName, labels, sharedLabels, value, exemplar }: Sample): Sample {
  return {
    metricName,
    labels: labels ?? {},
    sharedLabels,
    value,
    exemplar: exemplar
      ? { labelSet: exemplar.labelSet, value: exemplar.value, timestamp: exemplar.timestamp }
      : undefined,
  };
}

/** Labels the registry adds to every sample (prom-client keeps them in a private field). */
export function defaultLabels(registry: Registry): Labels {
  return (registry as unknown as { _defaultLabels?: Labels })._defaultLabels ?? {};
}
