/** One sample of an exposition: its name, labels and value (an exemplar after ` # ` dropped). */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const OPENMETRICS =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** Scrapes a probe as Prometheus does (OpenMetrics preferred); '' when it does not answer. */
export function scrapeText(port: number): Promise<string> {
  return fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Accept: OPENMETRICS } }).then(
    (response) => response.text(),
    () => '',
  );
}

export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][\w:]*)(\{(?:[^}"]|"(?:[^"\\]|\\.)*")*\})? (\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value;
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** A counter's or gauge's value for each target. */
export function byTarget(samples: readonly Sample[], name: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const sample of samples) {
    if (sample.name === name && sample.labels.target !== undefined) {
      values.set(sample.labels.target, sample.value);
    }
  }
  return values;
}

/** A histogram's buckets summed over every target: upper bound → cumulative count. */
export function bucketsOverTargets(samples: readonly Sample[], name: string): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const sample of samples) {
    if (sample.name !== `${name}_bucket`) continue;
    const le = sample.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(sample.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + sample.value);
  }
  return buckets;
}

/** Prometheus's `histogram_quantile`: linear within the bucket the rank falls in. */
export function histogramQuantile(q: number, buckets: ReadonlyMap<number, number>): number {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Number.POSITIVE_INFINITY) ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound) ?? 0;
    if (count >= rank) {
      if (bound === Number.POSITIVE_INFINITY) return lower;
      return lower + ((bound - lower) * (rank - below)) / Math.max(1, count - below);
    }
    lower = bound;
    below = count;
  }
  return lower;
}

/** The difference of two cumulative bucket sets (a window between two scrapes). */
export function bucketsBetween(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): Map<number, number> {
  return new Map([...after].map(([le, count]) => [le, count - (before.get(le) ?? 0)]));
}
