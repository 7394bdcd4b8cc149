import type { Registry } from 'prom-client';
import { isHistogramStore, readHistogram } from './histogramSnapshot';
import type { Family, Labels, Sample } from './samples';

/** What a metric of prom-client is to us. */
interface Readable {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  get(): Promise<{ readonly values?: Sample[] }>;
}

/**
 * Every family of the registry at one instant, before any is written: the counters' `collect()`
 * read the probe's books, and `posted = received + lost + in flight` holds only if no event is
 * counted between two of them. All reads start in the same synchronous stretch, as prom-client's
 * own `metrics()` does, so nothing but microtasks runs between them. What prom-client changes in
 * place is copied as each read resolves; histograms are copied from their store (see there).
 */
export function readFamilies(registry: Registry): Promise<Family[]> {
  const metrics = registry.getMetricsAsArray() as unknown as Readable[];
  return Promise.all(
    metrics.map(async (metric) => {
      const { name, help, type } = metric;
      if (isHistogramStore(metric))
        return { name, help, type, values: await readHistogram(metric) };
      return { name, help, type, values: ((await metric.get()).values ?? []).map(copySample) };
    }),
  );
}

/**
 * A copy of what prom-client hands out live: a counter's or gauge's values are its own `{value,
 * labels}` entries, which `inc()` changes in place, and an exemplar is one object each new one
 * rewrites. Label objects are the caller's, which prom-client never changes: kept.
 */
const copySample = ({ metricName, labels, value, exemplar }: Sample): Sample => ({
  metricName,
  labels,
  value,
  exemplar: exemplar && { ...exemplar },
});

/** Labels the registry adds to every sample (prom-client keeps them in a private field). */
export function defaultLabels(registry: Registry): Labels {
  return (registry as unknown as { _defaultLabels?: Labels })._defaultLabels ?? {};
}
