import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Books,
  compareBooks,
  type ProbeProcess,
  startBareProcess,
  startProbeProcess,
  targetId,
  writeTargetsFile,
} from './manyProbe';
import { cpuMs, deployedNodeFlags, rssMiB } from './proc';
import { reloadAndCheck } from './reloadCheck';
import { bucketsBetween, bucketsOverTargets, histogramQuantile, type Sample } from './scrape';
import { type BenchPipeline, startBenchPipeline } from './standIn';
import { manyTargetsReport, type Row } from './targetsReport';

/**
 * `npm run bench:targets` (issue 17): many targets in one process, run as the image runs it
 * (its CMD with `PROBE_TARGETS_FILE`) and scraped every 15 s in OpenMetrics, against one
 * stand-in serving every dataset. 100 targets at one event every 10 s beside ten one-target
 * processes (what one pod per dataset costs), then a reload changing one of the 100, then
 * 1,000 targets at one event a minute. CPU and RSS from /proc, schedule lag from the probe's
 * own histogram over the window, each target's books against what the stand-in did.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const WARMUP_S = env('BENCH_TARGETS_WARMUP_SECONDS', 45);
const MEASURE_S = env('BENCH_TARGETS_SECONDS', 120);
const SINGLES = 10;
const SCRAPE_EVERY_MS = 15_000;
const LAG = 'probe_post_schedule_lag_seconds';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every dataset has its listeners connected; the time it took (s). */
async function allConnected(probe: ProbeProcess, pipeline: BenchPipeline): Promise<number> {
  const start = performance.now();
  const datasets = [...probe.datasets.values()];
  while (datasets.some((d) => pipeline.connectionsTo(d) < 2)) {
    if (probe.child.exitCode !== null) throw new Error('the probe exited before it connected');
    if (performance.now() - start > 120_000) break;
    await sleep(100);
  }
  return (performance.now() - start) / 1000;
}

/** Measures probes over a window: CPU, RSS, events at the stand-in, lag from their histograms. */
async function measureWindow(
  probes: readonly ProbeProcess[],
  pipeline: BenchPipeline,
): Promise<Array<{ cpu: number; rss: number; events: number; lag: Map<number, number> }>> {
  const events = (p: ProbeProcess) =>
    [...p.datasets.values()].reduce((sum, d) => sum + pipeline.acceptedIn(d), 0);
  const scrapeAll = () => Promise.all(probes.map((p) => p.scrape()));
  const start = probes.map((p) => ({ cpu: cpuMs(p.child.pid as number), events: events(p) }));
  const lagStart = (await scrapeAll()).map((s: Sample[]) => bucketsOverTargets(s, LAG));
  await sleep(MEASURE_S * 1000);
  const lagEnd = (await scrapeAll()).map((s: Sample[]) => bucketsOverTargets(s, LAG));
  return probes.map((p, i) => ({
    cpu: cpuMs(p.child.pid as number) - start[i].cpu,
    rss: rssMiB(p.child.pid as number),
    events: events(p) - start[i].events,
    lag: bucketsBetween(lagStart[i], lagEnd[i]),
  }));
}

function row(label: string, m: Awaited<ReturnType<typeof measureWindow>>, books: Books): Row {
  const lag = new Map<number, number>();
  for (const one of m) for (const [le, n] of one.lag) lag.set(le, (lag.get(le) ?? 0) + n);
  const sum = (f: (x: (typeof m)[number]) => number) => m.reduce((a, x) => a + f(x), 0);
  return {
    label,
    processes: m.length,
    targets: books.targets,
    events: sum((x) => x.events),
    cpuMs: sum((x) => x.cpu),
    rssMiB: sum((x) => x.rss),
    lagP99Ms: histogramQuantile(0.99, lag) * 1000,
    lagWithin25Ms: (lag.get(0.025) ?? 0) / Math.max(1, lag.get(Number.POSITIVE_INFINITY) ?? 0),
    books,
  };
}

async function main(): Promise<void> {
  const pipeline = await startBenchPipeline(20);
  const dir = mkdtempSync(join(tmpdir(), 'bench-targets-'));
  const scrapers: ProbeProcess[] = [];
  const scraper = setInterval(() => {
    for (const probe of scrapers) probe.scrape().catch(() => undefined);
  }, SCRAPE_EVERY_MS);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const rows: Row[] = [];

  // 100 targets at one event every 10 s, beside ten one-target processes at the same rate.
  const file100 = join(dir, 'targets-100.json');
  const datasets100 = writeTargetsFile(file100, 100, 10, pipeline);
  const many = await startProbeProcess({ targetsFile: file100, datasets: datasets100 }, pipeline);
  const singles = await Promise.all(
    Array.from({ length: SINGLES }, (_, i) =>
      startProbeProcess({ dataset: `single-${i}`, intervalS: 10 }, pipeline),
    ),
  );
  const floor = startBareProcess(100, 10, pipeline);
  scrapers.push(many, ...singles);
  const startup100 = await allConnected(many, pipeline);
  log(
    `100 targets connected in ${startup100.toFixed(1)} s; ${WARMUP_S} s warm-up, ${MEASURE_S} s measured…`,
  );
  await sleep(WARMUP_S * 1000);
  const measured = await measureWindow([many, floor, ...singles], pipeline);
  floor.child.kill('SIGTERM');
  const { books: _none, ...floorRow } = row(
    'the same job with no framework (`bench/bareMany.ts`)',
    measured.slice(1, 2),
    { exact: true, targets: 100, wrong: [], posted: 0, received: 0, lost: 0, postErrors: 0 },
  );
  rows.push(
    row('100 targets, one process', measured.slice(0, 1), await compareBooks([many], pipeline)),
  );
  rows.push(
    row(
      `${SINGLES} one-target processes`,
      measured.slice(2),
      await compareBooks(singles, pipeline),
    ),
  );
  for (const single of singles) single.child.kill('SIGTERM');
  scrapers.splice(1);

  // A reload that changes one of the 100 (its dataset): the 99 others keep everything.
  const changedId = targetId(42);
  const moved = `many-100-${changedId}-moved`;
  log('reload of the 100 targets, one changed…');
  const reload = await reloadAndCheck(many, pipeline, {
    id: changedId,
    dataset: moved,
    rewrite: () => writeTargetsFile(file100, 100, 10, pipeline, new Map([[changedId, moved]])),
    settleMs: 12_000,
  });
  const afterReload = await compareBooks([many], pipeline);
  many.child.kill('SIGTERM');
  scrapers.splice(0);

  // 1,000 targets at one event a minute.
  const file1000 = join(dir, 'targets-1000.json');
  const datasets1000 = writeTargetsFile(file1000, 1000, 60, pipeline);
  const big = await startProbeProcess({ targetsFile: file1000, datasets: datasets1000 }, pipeline);
  scrapers.push(big);
  const startup1000 = await allConnected(big, pipeline);
  const warmup1000 = env('BENCH_TARGETS_1000_WARMUP_SECONDS', 60);
  log(
    `1000 targets connected in ${startup1000.toFixed(1)} s; ${warmup1000} s warm-up, ${MEASURE_S} s measured…`,
  );
  await sleep(warmup1000 * 1000);
  const measured1000 = await measureWindow([big], pipeline);
  rows.push(row('1,000 targets, one process', measured1000, await compareBooks([big], pipeline)));
  const lastScrape = await big.scrape();
  big.child.kill('SIGTERM');
  clearInterval(scraper);
  await pipeline.close();

  const report = manyTargetsReport({
    rows,
    floor: floorRow,
    reload,
    afterReload,
    startupS: { 100: startup100, 1000: startup1000 },
    warmupS: WARMUP_S,
    warmup1000S: warmup1000,
    measureS: MEASURE_S,
    command: `node ${deployedNodeFlags().join(' ')} dist/src/main.js`,
    scrape: lastScrape,
  });
  process.stdout.write(`${report}\n`);
  mkdirSync('test-output', { recursive: true });
  writeFileSync(join('test-output', 'bench-targets.md'), report);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
