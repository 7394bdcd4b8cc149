import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ClientReport } from './report';
import { type BenchPipeline, startBenchPipeline } from './standIn';

/**
 * `npm run bench`: the probe against a bare reference client on one pipeline stand-in that
 * holds every event for HOLD_MS and records the hold it applied. Each client runs in its own
 * process, one at a time. Prints a Markdown report (also written to test-output/bench.md).
 */
const HOLD_MS = 20;
const DATASET = 'bench';
const TOKEN = 'bench-token';

interface Run {
  readonly label: string;
  readonly client: 'bare' | 'probe';
  readonly rate: number;
  readonly warmupS: number;
  readonly measureS: number;
  readonly purgeS?: number;
}

interface Result extends Run {
  readonly report: ClientReport;
  /** Arrival times of this client's posts at the stand-in. */
  readonly arrivals: readonly number[];
  readonly meanErrorMs: number;
  readonly p99ErrorMs: number;
  readonly received: number;
  readonly cpuMsPer1000: number;
}

const RUNS: Run[] = [
  { label: '1/s', client: 'bare', rate: 1, warmupS: 3, measureS: 10 },
  { label: '1/s', client: 'probe', rate: 1, warmupS: 3, measureS: 10 },
  { label: '100/s', client: 'bare', rate: 100, warmupS: 2, measureS: 10 },
  { label: '100/s', client: 'probe', rate: 100, warmupS: 2, measureS: 10 },
  { label: '1000/s', client: 'bare', rate: 1000, warmupS: 2, measureS: 10 },
  // Headroom and memory: a minute to fill the 60 s purge window, then 30 s measured at full size.
  { label: '1000/s', client: 'probe', rate: 1000, warmupS: 62, measureS: 30, purgeS: 60 },
  // Scale: per-event CPU with ~600 and with ~20,000 events tracked.
  { label: '300/s, ~600 tracked', client: 'probe', rate: 300, warmupS: 5, measureS: 10, purgeS: 2 },
  {
    label: '300/s, ~20,000 tracked',
    client: 'probe',
    rate: 300,
    warmupS: 68,
    measureS: 10,
    purgeS: 67,
  },
];

async function runClient(pipeline: BenchPipeline, run: Run): Promise<ClientReport> {
  const script = join(__dirname, run.client === 'bare' ? 'bareClient.js' : 'probeClient.js');
  const purge = run.purgeS ?? 120;
  const env = {
    PATH: process.env.PATH ?? '',
    BENCH_RATE: String(run.rate),
    BENCH_WARMUP_SECONDS: String(run.warmupS),
    BENCH_MEASURE_SECONDS: String(run.measureS),
    PROBE_WEBHOOK_TOKEN: TOKEN,
    PROBE_DATASET_ID: DATASET,
    WEBSOCKET_URL: pipeline.websocketUrl,
    EVENT_COLLECTOR_URL: pipeline.collectorUrl,
    POST_EVENT_INTERVAL_SECONDS: String(1 / run.rate),
    WEBSOCKET_LISTENERS: '1',
    MARK_EVENT_LOST_TIMEOUT_SECONDS: String(Math.min(10, purge)),
    PURGE_EVENT_TIMEOUT_SECONDS: String(purge),
    CLEAN_EVENTS_INTERVAL_SECONDS: '1',
    MISSING_GRACE_SECONDS: '0.5',
    METRICS_PORT: '0',
    METRICS_HOST: '127.0.0.1',
    // The default cap (50) is sized for the default 10 s interval; at 1000/s a stall of the
    // loop or of the other core puts hundreds of posts in flight at once. Five seconds' worth.
    MAX_POSTS_IN_FLIGHT: String(Math.max(50, 5 * run.rate)),
  };
  // BENCH_PROFILE=1 writes a V8 CPU profile of each client to test-output/profiles.
  const execArgv = process.env.BENCH_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir=test-output/profiles']
    : [];
  const child = fork(script, [], { env, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as ClientReport));
    child.once('exit', (code) =>
      reject(new Error(`${run.client} exited with ${code} before reporting`)),
    );
  });
}

function evaluate(pipeline: BenchPipeline, run: Run, report: ClientReport): Result {
  const errors: number[] = [];
  for (const [seqno, latency] of report.latencies) {
    const hold = pipeline.holdOf(report.appId, seqno);
    if (hold !== undefined) errors.push(latency - hold);
  }
  errors.sort((a, b) => a - b);
  const mean = errors.reduce((sum, e) => sum + e, 0) / Math.max(1, errors.length);
  const p99 = errors.length
    ? errors[Math.min(errors.length - 1, Math.ceil(0.99 * errors.length) - 1)]
    : Number.NaN;
  return {
    ...run,
    report,
    arrivals: pipeline.arrivals(report.appId),
    meanErrorMs: mean,
    p99ErrorMs: p99,
    received: errors.length,
    cpuMsPer1000: (report.cpuMs / Math.max(1, report.posted)) * 1000,
  };
}

const f = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function books(result: Result): string {
  const b = result.report.books;
  if (!b) return '';
  const balanced = b.posted === b.received + b.lost + b.inFlight;
  const errors = b.postErrors ? `; ${b.postErrors} post errors: ${b.errorReasons.join(', ')}` : '';
  return `${balanced && b.lost === 0 ? 'yes' : 'NO'} (${b.posted} = ${b.received} + ${b.lost} + ${b.inFlight}${errors})`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const pipeline = await startBenchPipeline(HOLD_MS);
  const results: Result[] = [];
  // BENCH_ONLY="100/s" runs only the runs of that label (for profiling); the targets need all.
  const only = process.env.BENCH_ONLY;
  for (const run of RUNS.filter((r) => !only || r.label === only)) {
    process.stderr.write(
      `running ${run.client} at ${run.label} (${run.warmupS + run.measureS} s)…\n`,
    );
    results.push(evaluate(pipeline, run, await runClient(pipeline, run)));
  }
  await pipeline.close();
  if (only) {
    for (const r of results) {
      process.stdout.write(
        `${r.client} ${r.label}: error ${f(r.meanErrorMs, 3)}/${f(r.p99ErrorMs, 3)} ms, CPU ${f(r.cpuMsPer1000, 1)} ms/1000, RSS ${mb(r.report.rssBytes)} MiB\n`,
      );
    }
    return;
  }

  const lines: string[] = [];
  const out = (line = '') => lines.push(line);
  out(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${mb(totalmem())} MiB RAM, Node ${process.version}, ${new Date().toISOString()}`,
  );
  out(
    `Pipeline hold ${HOLD_MS} ms; error = latency − the hold the stand-in recorded. One listener each.`,
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
  out();
  out('| target | met | measured |');
  out('| --- | --- | --- |');
  for (const [target, met, measured] of verdicts)
    out(`| ${target} | ${met ? 'yes' : 'NO'} | ${measured} |`);
  out();
  out(`Total time ${Math.round((Date.now() - started) / 1000)} s.`);

  const text = `${lines.join('\n')}\n`;
  process.stdout.write(text);
  mkdirSync('test-output', { recursive: true });
  writeFileSync(join('test-output', 'bench.md'), text);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
