import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Counter,
  Gauge,
  Histogram,
  type OpenMetricsContentType,
  Registry,
  Summary,
} from 'prom-client';
import { exposition } from '../../../src/web/exposition';

const page = (chunks: readonly Buffer[]) => Buffer.concat(chunks).toString();

/** An OpenMetrics registry, as the probe's is (prom-client keeps exemplars only there). */
function openMetricsRegistry(): Registry {
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry as unknown as Registry;
}

const AWKWARD = 'back\\slash "quoted"\nnext line at Bjørvika';

/** Every kind of family the probe has, with values and labels that need care. */
function everyKind(): Registry {
  const registry = openMetricsRegistry();
  const registers = [registry];
  new Counter({
    name: 'demo_posted_total',
    help: 'Posts, with a \\ and\na newline.',
    registers,
  }).inc(3);
  const byReason = new Counter<string>({
    name: 'demo_malformed_total',
    help: 'By reason.',
    labelNames: ['target', 'reason'],
    enableExemplars: true,
    registers,
  });
  byReason.inc({ labels: { target: 'a', reason: AWKWARD }, value: 2 });
  byReason.inc({ labels: { target: 'b', reason: 'x' }, value: 1, exemplarLabels: { seq: '7' } });
  // prom-client adds `_total` in OpenMetrics to a counter named without it.
  new Counter({ name: 'demo_restarts', help: 'No suffix.', registers }).inc();
  const gauge = new Gauge({
    name: 'demo_ratio',
    help: 'Odd values.',
    labelNames: ['k'],
    registers,
  });
  gauge.set({ k: 'nan' }, Number.NaN);
  gauge.set({ k: 'inf' }, Number.POSITIVE_INFINITY);
  gauge.set({ k: 'minus-inf' }, Number.NEGATIVE_INFINITY);
  gauge.set({ k: 'small' }, 1e-7);
  gauge.set({ k: AWKWARD }, -2.5);
  new Gauge({ name: 'demo_nothing_yet', help: 'No series.', labelNames: ['k'], registers });
  new Gauge({
    name: 'demo_collected',
    help: 'Set at scrape.',
    labelNames: ['target'],
    registers,
    collect() {
      this.reset();
      this.set({ target: 'a' }, 4);
      this.set({ target: 'b' }, 5);
    },
  });
  const latency = new Histogram<string>({
    name: 'demo_latency_seconds',
    help: 'With exemplars.',
    labelNames: ['target', 'app'],
    buckets: [0.1, 0.5, 2],
    enableExemplars: true,
    registers,
  });
  latency.observe({
    labels: { target: 'a', app: AWKWARD },
    value: 0.3,
    exemplarLabels: { s: '1' },
  });
  latency.observe({ labels: { target: 'a', app: AWKWARD }, value: 9, exemplarLabels: { s: 'q"' } });
  latency.observe({ labels: { target: 'b', app: 'x' }, value: 0.05 });
  const plain = new Histogram({ name: 'demo_plain', help: 'Bare.', buckets: [1], registers });
  plain.observe(0.5);
  new Histogram({
    name: 'demo_zeroed',
    help: 'Series made at scrape.',
    labelNames: ['target'],
    buckets: [1],
    registers,
    collect() {
      this.zero({ target: 'late' });
    },
  });
  const summary = new Summary({
    name: 'demo_summary',
    help: 'Quantiles.',
    labelNames: ['target'],
    percentiles: [0.5, 0.9],
    registers,
  });
  for (const value of [1, 2, 3]) summary.observe({ target: 'a' }, value);
  return registry;
}

/** The text 0.0.4 writer as it was before scrapes were written in turns: the reference. */
async function oldPrometheusText(registry: Registry): Promise<string> {
  const families = (await registry.getMetricsAsJSON()) as unknown as OldFamily[];
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
interface OldFamily {
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

describe('the exposition written in turns', () => {
  test("writes OpenMetrics byte for byte as prom-client's metrics(), before and after it ran", async () => {
    const registry = everyKind();
    // prom-client's metrics() renames counters in place (drops `_total`): ours must not care.
    const before = page(await exposition(registry, 'openmetrics'));
    const reference = await registry.metrics();
    assert.equal(before, reference);
    assert.equal(page(await exposition(registry, 'openmetrics')), reference);
    // The reference holds what the comparison is about, so it cannot pass on an empty page.
    for (const part of [
      '# TYPE demo_posted counter\ndemo_posted_total 3\n',
      'demo_malformed_total{target="b",reason="x"} 1 # {seq="7"} 1 ',
      'reason="back\\\\slash \\"quoted\\"\\nnext line at Bjørvika"',
      'demo_restarts_total 1\n',
      'demo_ratio{k="nan"} Nan\ndemo_ratio{k="inf"} +Inf\ndemo_ratio{k="minus-inf"} -Inf\n',
      '# HELP demo_posted Posts, with a \\\\ and\\na newline.\n',
      'demo_latency_seconds_bucket{le="+Inf",target="a",app="back\\\\slash',
      '} 2 # {s="q\\""} 9 ',
      '# HELP demo_nothing_yet No series.\n# TYPE demo_nothing_yet gauge\n# HELP',
      'demo_summary{quantile="0.5",target="a"} 2\n',
      'demo_collected{target="b"} 5\n',
      'demo_zeroed_count{target="late"} 0\n',
    ]) {
      assert.ok(reference.includes(part), part);
    }
    assert.ok(reference.endsWith('\n# EOF\n'));
  });

  test('writes text 0.0.4 as before: `_total` counters, no exemplars, NaN', async () => {
    const registry = everyKind();
    const reference = await oldPrometheusText(registry);
    assert.equal(page(await exposition(registry, 'text')), reference);
    await registry.metrics();
    assert.equal(page(await exposition(registry, 'text')), await oldPrometheusText(registry));
    assert.ok(reference.includes('# TYPE demo_posted_total counter\ndemo_posted_total 3\n'));
    assert.ok(reference.includes('demo_ratio{k="nan"} NaN\n'));
    assert.ok(!reference.includes(' # {'));
  });

  test('writes an empty registry as prom-client and the old text writer did', async () => {
    const registry = openMetricsRegistry();
    assert.equal(page(await exposition(registry, 'openmetrics')), await registry.metrics());
    assert.equal(page(await exposition(registry, 'text')), await oldPrometheusText(registry));
  });
});
