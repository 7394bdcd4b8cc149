import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Counter, Gauge, Histogram, type OpenMetricsContentType, Registry } from 'prom-client';
import { type Exposition, exposition, SERIES_PER_TURN } from '../../../src/web/exposition';

const page = (chunks: readonly Buffer[]) => Buffer.concat(chunks).toString();

const FORMATS: readonly Exposition[] = ['openmetrics', 'text'];

function openMetricsRegistry(): Registry {
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry as unknown as Registry;
}

/** A family of `series` series, as one histogram's is at 1,000 targets. */
function bigFamily(registry: Registry, name: string, series: number): void {
  const gauge = new Gauge({ name, help: 'Many.', labelNames: ['target'], registers: [registry] });
  for (let i = 0; i < series; i++) gauge.set({ target: `t${i}` }, i);
}

/** Many small families around one of 20,000 series. */
function largeScrape(): { registry: Registry; families: number } {
  const registry = openMetricsRegistry();
  for (let i = 0; i < 50; i++) {
    new Gauge({ name: `small_${i}`, help: 'Small.', registers: [registry] }).set(i);
  }
  bigFamily(registry, 'big', 20_000);
  return { registry, families: 51 };
}

/** How often a callback queued just before `scrape` ran before its promise resolved. */
async function turnsDuring(scrape: () => Promise<unknown>): Promise<number> {
  let done = false;
  let turns = 0;
  const turn = () => {
    if (done) return;
    turns += 1;
    setImmediate(turn);
  };
  setImmediate(turn);
  await scrape();
  done = true;
  return turns;
}

/** One sample's value in an exposition. */
function sampleValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  assert.ok(line, `${series} in the exposition`);
  return Number(line.slice(series.length + 1).split(' ')[0]);
}

describe('a large scrape written in turns', () => {
  test('lets the event loop turn between families and within a large one', async () => {
    const { registry, families } = largeScrape();
    for (const format of FORMATS) {
      const turns = await turnsDuring(() => exposition(registry, format));
      assert.ok(turns >= families + 20_000 / SERIES_PER_TURN - 1, `${format}: ${turns} turns`);
    }
    // The control: prom-client's own metrics() holds the loop for the whole scrape.
    assert.equal(await turnsDuring(() => registry.metrics()), 0);
  });

  test('runs a timer that falls due during the scrape', async () => {
    const { registry } = largeScrape();
    for (const format of FORMATS) {
      let fired = false;
      setTimeout(() => {
        fired = true;
      }, 0);
      await exposition(registry, format);
      assert.ok(fired, format);
    }
  });

  test('shows every family as it was when the scrape began', async () => {
    // The books, read by counters at collect() as the probe's are, and moved by an event that
    // lands during the scrape: posted = received + lost + in flight must hold within it.
    const books = { posted: 10, received: 7, lost: 1 };
    const registry = openMetricsRegistry();
    const registers = [registry];
    const fromBooks = (name: string, read: () => number) =>
      new Counter({
        name,
        help: 'From the books.',
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    fromBooks('posted_total', () => books.posted);
    bigFamily(registry, 'between', 3 * SERIES_PER_TURN);
    fromBooks('received_total', () => books.received);
    fromBooks('lost_total', () => books.lost);
    new Gauge({
      name: 'in_flight',
      help: 'From the books.',
      registers,
      collect() {
        this.set(books.posted - books.received - books.lost);
      },
    });
    // Series prom-client changes in place: an inc() and an exemplar's observation.
    const tokens = new Counter({ name: 'tokens_total', help: 'Live.', registers });
    tokens.inc(5);
    const latency = new Histogram<string>({
      name: 'latency_seconds',
      help: 'Live exemplars.',
      buckets: [1],
      enableExemplars: true,
      registers,
    });
    latency.observe({ value: 0.5, exemplarLabels: { seq: '1' } });

    for (const format of FORMATS) {
      const before = { ...books };
      let moved = false;
      setImmediate(() => {
        books.posted += 1;
        books.received += 1;
        tokens.inc();
        latency.observe({ value: 0.25, exemplarLabels: { seq: '2' } });
        moved = true;
      });
      const text = page(await exposition(registry, format));
      assert.ok(moved, 'the event landed during the scrape');
      assert.equal(sampleValue(text, 'posted_total'), before.posted);
      assert.equal(sampleValue(text, 'received_total'), before.received);
      assert.equal(sampleValue(text, 'lost_total'), before.lost);
      assert.equal(sampleValue(text, 'in_flight'), before.posted - before.received - before.lost);
      assert.equal(sampleValue(text, 'tokens_total'), 5 + FORMATS.indexOf(format));
      const bucket = text.split('\n').find((l) => l.startsWith('latency_seconds_bucket{le="1"}'));
      const observed = 1 + FORMATS.indexOf(format);
      assert.equal(bucket?.split(' ')[1], String(observed));
      if (format === 'openmetrics') assert.match(bucket ?? '', / # \{seq="1"\} 0\.5 /);
    }
  });
});
