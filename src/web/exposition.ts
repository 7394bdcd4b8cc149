import type { Registry } from 'prom-client';
import { preferredType } from './accept';

/** The two formats `/metrics` speaks: OpenMetrics (with exemplars) when asked, else text 0.0.4. */
export type Exposition = 'openmetrics' | 'text';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const OFFERS = ['text/plain', 'application/openmetrics-text'] as const;

/**
 * OpenMetrics when the scraper's Accept header prefers it (Prometheus does), by its q-values;
 * text otherwise, also on a tie and when the header is missing, malformed or accepts neither.
 */
export function negotiate(accept: string | undefined): Exposition {
  return preferredType(accept, OFFERS, 'text/plain') === 'text/plain' ? 'text' : 'openmetrics';
}

/**
 * The registry, which is an OpenMetrics one (prom-client keeps exemplars only there), in the
 * Prometheus text format 0.0.4: the same series, without exemplars. Counters are named
 * `…_total` here whatever prom-client did to the family name for OpenMetrics.
 */
export async function prometheusText(registry: Registry): Promise<string> {
  const families = (await registry.getMetricsAsJSON()) as unknown as Family[];
  const lines: string[] = [];
  for (const family of families) {
    const name =
      family.type === 'counter' ? `${family.name.replace(/_total$/, '')}_total` : family.name;
    lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`);
    for (const sample of family.values) {
      const sampleName = family.type === 'counter' ? name : (sample.metricName ?? name);
      lines.push(`${sampleName}${labelsOf(sample.labels)} ${sampleValue(sample.value)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** What `getMetricsAsJSON` really returns (its typings say `type` is an enum; it is text). */
interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values: ReadonlyArray<{
    readonly value: number;
    readonly labels: Partial<Record<string, string | number>>;
    readonly metricName?: string;
  }>;
}

const escapeHelp = (help: string) => help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeValue = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelsOf(labels: Partial<Record<string, string | number>>): string {
  const pairs = Object.entries(labels)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}="${escapeValue(String(value))}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function sampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
