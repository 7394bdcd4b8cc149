import { setImmediate as turn } from 'node:timers/promises';
import Negotiator from 'negotiator';
import type { Registry } from 'prom-client';
import { readFamilies } from './readFamilies';
import type { Labels, Sample } from './samples';

/** The two formats `/metrics` speaks: OpenMetrics (with exemplars) when asked, else text 0.0.4. */
export type Exposition = 'openmetrics' | 'text';

export const CONTENT_TYPES: Record<Exposition, string> = {
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
  text: 'text/plain; version=0.0.4; charset=utf-8',
};

// What each format is, as a scraper names it. Every name the probe writes is valid under the
// classic rules, so each escaping scheme a scraper may ask for (Prometheus 3 sends one) gives
// the same bytes: the offers list them all. Text comes first, so a range that matches both
// equally (`*/*`) gets text.
const ESCAPINGS = [
  '',
  '; escaping=allow-utf-8',
  '; escaping=underscores',
  '; escaping=dots',
  '; escaping=values',
];
const TEXT_OFFERS = ESCAPINGS.map((e) => `text/plain; version=0.0.4${e}`);
const OPENMETRICS_OFFERS = ESCAPINGS.map((e) => `application/openmetrics-text; version=1.0.0${e}`);
const OFFERS = [...TEXT_OFFERS, ...OPENMETRICS_OFFERS];

/**
 * OpenMetrics when the scraper's Accept header prefers it (Prometheus does), as `negotiator`
 * ranks the offers: by q-value, then the most specific range, then the client's own order;
 * a range's parameters other than q must match what is offered (so `version=0.0.1` of
 * OpenMetrics is not taken for 1.0.0). Text when the header is missing or malformed, accepts
 * neither, or matches both through one range.
 */
export function negotiate(accept: string | undefined): Exposition {
  if (accept === undefined) return 'text';
  try {
    const chosen = new Negotiator({ headers: { accept } }).mediaType(OFFERS);
    return chosen !== undefined && OPENMETRICS_OFFERS.includes(chosen) ? 'openmetrics' : 'text';
  } catch {
    // A header `content-type`'s parser cannot read (a stray quote, a bad token).
    return 'text';
  }
}

/**
 * Series written between two turns of the event loop. At 1,000 targets one histogram family
 * has 16,000 series; turns of 1,000 series measured 1–3 ms at the median and under 30 ms at
 * p99 in the probe at 150,000 series in `--lite-mode` (2,000: 6 ms and 30–40 ms).
 */
export const SERIES_PER_TURN = 1000;

/** What sets the two formats apart; the rest is the one core below. */
interface Style {
  /** The family name of a counter whose samples are `base_total`. */
  readonly counterFamily: (base: string) => string;
  readonly exemplars: boolean;
  /** prom-client writes `Nan` in OpenMetrics (its grammar is case-blind); text kept `NaN`. */
  readonly nan: string;
  readonly blankBetweenFamilies: boolean;
  readonly end: string;
}

const STYLES: Record<Exposition, Style> = {
  // Byte for byte what prom-client's `registry.metrics()` writes for an OpenMetrics registry.
  openmetrics: {
    counterFamily: (base) => base,
    exemplars: true,
    nan: 'Nan',
    blankBetweenFamilies: false,
    end: '# EOF\n',
  },
  text: {
    counterFamily: (base) => `${base}_total`,
    exemplars: false,
    nan: 'NaN',
    blankBetweenFamilies: true,
    end: '',
  },
};

/**
 * The registry (an OpenMetrics one: prom-client keeps exemplars only there) in either format.
 * Every family is read at one instant (`readFamilies`); the text is then written in turns —
 * between families and every `SERIES_PER_TURN` series — so that posts due, sockets and
 * WebSocket frames are served while a scrape of 100,000 series is written, where prom-client's
 * `metrics()` holds the event loop for the whole of it.
 */
export async function exposition(registry: Registry, format: Exposition): Promise<Buffer[]> {
  const style = STYLES[format];
  const families = await readFamilies(registry);
  const write = new SampleWriter(style);
  // Encoded a turn's worth at a time and never joined: joining 150,000 lines (11 MB) at the end
  // was a 30 ms turn, and so was encoding that string or making one buffer of the chunks.
  const chunks: Buffer[] = [];
  let lines: string[] = [];
  const nextTurn = () => {
    if (lines.length > 0) chunks.push(Buffer.from(`${lines.join('\n')}\n`));
    lines = [];
    return turn();
  };
  for (const [index, family] of families.entries()) {
    await nextTurn();
    if (index > 0 && style.blankBetweenFamilies) lines.push('');
    // Counters are `…_total` on samples whatever prom-client's `metrics()` did to the name.
    const counter = family.type === 'counter';
    const base = counter ? family.name.replace(/_total$/, '') : family.name;
    const name = counter ? style.counterFamily(base) : base;
    lines.push(`# HELP ${name} ${escapeText(family.help)}`, `# TYPE ${name} ${family.type}`);
    for (const sample of family.values) {
      if (lines.length >= SERIES_PER_TURN) await nextTurn();
      const sampleName = counter
        ? `${sample.metricName ?? base}_total`
        : (sample.metricName ?? base);
      lines.push(write.line(sampleName, sample));
    }
  }
  await nextTurn();
  // prom-client starts an empty OpenMetrics page with a blank line.
  if (style.end) chunks.push(Buffer.from(families.length > 0 ? style.end : `\n${style.end}`));
  return chunks;
}

/** Writes sample lines in one style. */
class SampleWriter {
  /** A histogram's series labels are one object for all its buckets: written once. */
  private readonly sharedText = new Map<Labels, string>();

  constructor(private readonly style: Style) {}

  line(name: string, sample: Sample): string {
    const { labels } = sample;
    const shared = sample.sharedLabels;
    let text = labelPairs(labels, shared);
    if (shared) {
      let sharedText = this.sharedText.get(shared);
      if (sharedText === undefined) {
        sharedText = labelPairs(shared, undefined);
        this.sharedText.set(shared, sharedText);
      }
      text = text && sharedText ? `${text},${sharedText}` : text || sharedText;
    }
    let line = `${name}${text ? `{${text}}` : ''} ${this.number(sample.value)}`;
    const { exemplar } = sample;
    if (exemplar && this.style.exemplars) {
      const exemplarLabels = labelPairs(exemplar.labelSet, undefined);
      line += ` # {${exemplarLabels}} ${this.number(exemplar.value)} ${exemplar.timestamp}`;
    }
    return line;
  }

  private number(value: number): string {
    if (Number.isNaN(value)) return this.style.nan;
    if (value === Number.POSITIVE_INFINITY) return '+Inf';
    if (value === Number.NEGATIVE_INFINITY) return '-Inf';
    return `${value}`;
  }
}

/** `a="x",b="y"` of the labels not in `exclude` (they are written with the shared ones). */
function labelPairs(labels: Labels, exclude: Labels | undefined): string {
  let text = '';
  for (const key of Object.keys(labels)) {
    const value = labels[key];
    if (value === undefined || (exclude && Object.hasOwn(exclude, key))) continue;
    const written = typeof value === 'string' ? escapeText(value).replace(/"/g, '\\"') : value;
    text += `${text ? ',' : ''}${key}="${written}"`;
  }
  return text;
}

/** HELP text and label values: backslash and newline escaped (label values also `"`). */
const escapeText = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
