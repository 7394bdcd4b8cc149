import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureClient, type Result, type Run } from './rateClient';
import { ratesReport, shortReport } from './ratesReport';
import { startBenchPipeline } from './standIn';

/**
 * `npm run bench`: the probe against a bare reference client on one pipeline stand-in that
 * holds every event for HOLD_MS and records the hold it applied. Each client runs in its own
 * process, one at a time. Prints a Markdown report (also written to test-output/bench.md).
 */
const HOLD_MS = 20;

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
    results.push(await measureClient(pipeline, run));
  }
  await pipeline.close();
  if (only) {
    process.stdout.write(shortReport(results));
    return;
  }
  const text = ratesReport(results, HOLD_MS, started);
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
