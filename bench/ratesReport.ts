import { cpus, totalmem } from 'node:os';
import type { Result } from './rateClient';

const f = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function books(result: Result): string {
  const b = result.report.books;
  if (!b) return '';
  const balanced = b.posted === b.received + b.lost + b.inFlight;
  const errors = b.postErrors ? `; ${b.postErrors} post errors: ${b.errorReasons.join(', ')}` : '';
  return `${balanced && b.lost === 0 ? 'yes' : 'NO'} (${b.posted} = ${b.received} + ${b.lost} + ${b.inFlight}${errors})`;
}

/** One line a run: what a run of one label (`BENCH_ONLY`) prints. */
export function shortReport(results: readonly Result[]): string {
  return results
    .map(
      (r) =>
        `${r.client} ${r.label}: error ${f(r.meanErrorMs, 3)}/${f(r.p99ErrorMs, 3)} ms, CPU ${f(r.cpuMsPer1000, 1)} ms/1000, RSS ${mb(r.report.rssBytes)} MiB\n`,
    )
    .join('');
}

/** The Markdown report of every run: the table of runs, then each target met or not. */
export function ratesReport(results: readonly Result[], holdMs: number, startedMs: number): string {
  const lines: string[] = [];
  const out = (line = '') => lines.push(line);
  out(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${mb(totalmem())} MiB RAM, Node ${process.version}, ${new Date().toISOString()}`,
  );
  out(
    `Pipeline hold ${holdMs} ms; error = latency − the hold the stand-in recorded. One listener each.`,
  );
  out();
  out(
    '| run | client | events measured | mean error ms | p99 error ms | CPU ms / 1000 events | RSS MiB | event-loop delay p99 ms | books balanced |',
  );
  out('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    out(
      `| ${r.label} | ${r.client} | ${r.received}/${r.report.posted} | ${f(r.meanErrorMs, 3)} | ${f(r.p99ErrorMs, 3)} | ${f(r.cpuMsPer1000, 1)} | ${mb(r.report.rssBytes)} | ${f(r.report.eventLoopDelayP99Ms)} | ${books(r)} |`,
    );
  }
  out();
  out('| target | met | measured |');
  out('| --- | --- | --- |');
  for (const [target, met, measured] of verdictsOf(results))
    out(`| ${target} | ${met ? 'yes' : 'NO'} | ${measured} |`);
  out();
  out(`Total time ${Math.round((Date.now() - startedMs) / 1000)} s.`);
  return `${lines.join('\n')}\n`;
}

/** Each target of the bench against the runs: [target, met, what was measured]. */
function verdictsOf(results: readonly Result[]): Array<[string, boolean, string]> {
  const find = (label: string, client: Result['client']) =>
    results.find((r) => r.label === label && r.client === client) as Result;
  const verdicts: Array<[string, boolean, string]> = [];
  const at100 = [find('100/s', 'bare'), find('100/s', 'probe')];
  verdicts.push([
    'mean error within 0.3 ms of bare at 100/s',
    at100[1].meanErrorMs - at100[0].meanErrorMs <= 0.3,
    `${f(at100[1].meanErrorMs - at100[0].meanErrorMs, 3)} ms`,
  ]);
  verdicts.push([
    'p99 error within 1 ms of bare at 100/s',
    at100[1].p99ErrorMs - at100[0].p99ErrorMs <= 1,
    `${f(at100[1].p99ErrorMs - at100[0].p99ErrorMs, 3)} ms`,
  ]);
  for (const label of ['100/s', '1000/s']) {
    const ratio = find(label, 'probe').cpuMsPer1000 / find(label, 'bare').cpuMsPer1000;
    verdicts.push([`CPU per event at ${label} ≤ 1.3 × bare`, ratio <= 1.3, `${f(ratio)} ×`]);
  }
  const headroom = find('1000/s', 'probe');
  const hb = headroom.report.books;
  verdicts.push([
    '1000/s sustained, books balanced, no spurious loss',
    hb !== undefined &&
      hb.lost === 0 &&
      hb.postErrors === 0 &&
      hb.posted === hb.received + hb.lost + hb.inFlight &&
      headroom.received === headroom.report.posted,
    `${headroom.received}/${headroom.report.posted} received in the window, ${hb?.postErrors} post errors, ${hb?.tracked} tracked`,
  ]);
  const samples = headroom.report.rssSamples;
  const firstThird = samples.slice(0, Math.max(1, Math.floor(samples.length / 3)));
  const lastThird = samples.slice(-Math.max(1, Math.floor(samples.length / 3)));
  const avg = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const growth = avg(lastThird) / avg(firstThird) - 1;
  verdicts.push([
    'RSS flat over the measured 30 s at 1000/s (full 60 s purge)',
    Math.abs(growth) < 0.1,
    `${f(100 * growth, 1)} % from first to last third`,
  ]);
  const bareRss = find('1000/s', 'bare').report.rssBytes;
  const perEvent =
    (headroom.report.rssBytes - find('100/s', 'probe').report.rssBytes) /
    Math.max(1, (hb?.tracked ?? 0) - (find('100/s', 'probe').report.books?.tracked ?? 0));
  verdicts.push([
    'RSS ≤ 1.5 × bare plus the tracked events',
    find('100/s', 'probe').report.rssBytes <=
      1.5 * find('100/s', 'bare').report.rssBytes +
        Math.max(0, perEvent) * (find('100/s', 'probe').report.books?.tracked ?? 0),
    `${mb(find('100/s', 'probe').report.rssBytes)} vs ${mb(find('100/s', 'bare').report.rssBytes)} MiB at 100/s; ~${f(perEvent, 0)} B per tracked event (bare at 1000/s: ${mb(bareRss)} MiB)`,
  ]);
  // The schedule: posts arriving in every 10 s window (sliding by 1 s) of the long run.
  const times = headroom.arrivals;
  const expected = 10 * headroom.rate;
  let worst = 0;
  for (
    let from = times[0] + 5_000;
    from + 10_000 <= times[times.length - 1] - 2_000;
    from += 1_000
  ) {
    const count = times.filter((t) => t >= from && t < from + 10_000).length;
    worst = Math.max(worst, Math.abs(count - expected) / expected);
  }
  verdicts.push([
    'post rate over any 10 s within 2 % of the interval (1000/s run)',
    worst <= 0.02,
    `worst window off by ${f(100 * worst, 2)} %`,
  ]);
  const small = find('300/s, ~600 tracked', 'probe');
  const large = find('300/s, ~20,000 tracked', 'probe');
  const scale = large.cpuMsPer1000 / small.cpuMsPer1000;
  verdicts.push([
    `per-event CPU with ${large.report.books?.tracked} vs ${small.report.books?.tracked} tracked ≤ 1.2 ×`,
    scale <= 1.2,
    `${f(scale)} ×`,
  ]);
  return verdicts;
}
