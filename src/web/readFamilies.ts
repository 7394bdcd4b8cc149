import type { Registry } from 'prom-client';
import type { Family, Sample } from './samples';

type Read = Promise<{ readonly values?: Sample[] }>;

/** What a metric of prom-client is to us. */
interface Readable {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  get(): Read;
  /** A histogram's read for the text formats: its series labels shared by its buckets. */
  getForPromString?(): Read;
}

/**
 * Every family of the registry at one instant, before any is written: the counters' `collect()`
 * read the probe's books, and `posted = received + lost + in flight` holds only if no event is
 * counted between two of them. All reads start in the same synchronous stretch, as prom-client's
 * own `metrics()` does, so nothing but microtasks runs between them, and each is read as it
 * reads it for its own text (a histogram by `getForPromString`). What prom-client changes in
 * place is copied as each read resolves. The probe's registry has no default labels (none is
 * ever set), so none are added.
 */
export function readFamilies(registry: Registry): Promise<Family[]> {
  const metrics = registry.getMetricsAsArray() as unknown as Readable[];
  return Promise.all(
    metrics.map(async (metric) => {
      const { name, help, type } = metric;
      const read = metric.getForPromString ? metric.getForPromString() : metric.get();
      return { name, help, type, values: ((await read).values ?? []).map(copySample) };
    }),
  );
}

/**
 * A copy of what prom-client hands out live: a counter's or gauge's values are its own `{value,
 * labels}` entries, which `inc()` changes in place, and an exemplar is one object each new one
 * rewrites. Label objects are the caller's, which prom-client never changes: kept.
 */
const copySample = ({ metricName, labels, sharedLabels, value, exemplar }: Sample): Sample => ({
  metricName,
  labels,
  sharedLabels,
  value,
  exemplar: exemplar && { ...exemplar },
});
