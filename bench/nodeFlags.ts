import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../local/listen';
import { cpuMs, memoryMiB } from './proc';
import { startBenchPipeline } from './standIn';

/**
 * `npm run bench:flags`: the probe's footprint under candidate node flags, side by side at a
 * deployed rate. Each candidate is one probe process (defaults: two listeners, info logs),
 * all at once against one pipeline stand-in, each on its own dataset, scraped every 15 s in
 * OpenMetrics. CPU is every thread's /proc schedstat over the measured window, RSS is VmRSS at
 * its end and VmHWM (the peak, start included); nothing measures from inside. A candidate
 * whose process wrote anything to stderr, or logged at error level, is marked: the image must
 * start cleanly. BENCH_FLAG_SETS="--a --b;--c" replaces the candidates.
 */
const WARMUP_S = Number(process.env.BENCH_DEPLOYED_WARMUP_SECONDS ?? 60);
const MEASURE_S = Number(process.env.BENCH_DEPLOYED_SECONDS ?? 180);
const INTERVAL_S = Number(process.env.BENCH_FLAGS_INTERVAL_SECONDS ?? 1);
const SCRAPE_EVERY_MS = 15_000;
const CANDIDATES: string[][] = (
  process.env.BENCH_FLAG_SETS?.split(';') ?? [
    '',
    '--lite-mode',
    '--lite-mode --no-experimental-fetch',
    '--max-semi-space-size=1',
    '--single-threaded-gc',
    '--optimize-for-size',
    '--v8-pool-size=1',
    '--max-old-space-size=64',
    '--max-lazy',
    '--no-opt --no-maglev --no-sparkplug',
    '--max-semi-space-size=1 --single-threaded-gc --optimize-for-size --v8-pool-size=1',
    '--max-semi-space-size=1 --single-threaded-gc --optimize-for-size --v8-pool-size=1 --no-opt --no-maglev --no-sparkplug',
  ]
).map((set) => set.split(' ').filter(Boolean));

interface Candidate {
  readonly flags: string[];
  readonly dataset: string;
  readonly child: ChildProcess;
  readonly metricsPort: number;
  stderr: string;
  errorLines: number;
}

const ACCEPT_OPENMETRICS =
  'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

async function main(): Promise<void> {
  const pipeline = await startBenchPipeline(20);
  const candidates: Candidate[] = [];
  for (const [i, flags] of CANDIDATES.entries()) {
    const metricsPort = await freePort();
    const dataset = `flags-${i}`;
    const child = spawn(process.execPath, [...flags, join(__dirname, '..', 'src', 'main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        PROBE_WEBHOOK_TOKEN: 'bench-token',
        PROBE_DATASET_ID: dataset,
        WEBSOCKET_URL: pipeline.websocketUrl,
        EVENT_COLLECTOR_URL: pipeline.collectorUrl,
        POST_EVENT_INTERVAL_SECONDS: String(INTERVAL_S),
        METRICS_PORT: String(metricsPort),
        METRICS_HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const candidate: Candidate = { flags, dataset, child, metricsPort, stderr: '', errorLines: 0 };
    child.stderr?.on('data', (chunk) => {
      candidate.stderr += chunk;
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      candidate.errorLines += chunk.toString().split('"level":"error"').length - 1;
    });
    candidates.push(candidate);
  }
  const scrape = () =>
    Promise.all(
      candidates.map((c) =>
        fetch(`http://127.0.0.1:${c.metricsPort}/metrics`, {
          headers: { Accept: ACCEPT_OPENMETRICS },
        }).then(
          (response) => response.text(),
          () => '',
        ),
      ),
    );
  const scraper = setInterval(scrape, SCRAPE_EVERY_MS);
  process.stderr.write(
    `node flags: ${candidates.length} candidates at one event every ${INTERVAL_S} s, ${WARMUP_S} s warm-up, ${MEASURE_S} s measured…\n`,
  );
  await new Promise((resolve) => setTimeout(resolve, WARMUP_S * 1000));
  const start = candidates.map((c) => ({
    cpu: cpuMs(c.child.pid as number),
    posts: pipeline.postsTo(c.dataset),
  }));
  await new Promise((resolve) => setTimeout(resolve, MEASURE_S * 1000));
  const rows = candidates.map((c, i) => {
    const pid = c.child.pid as number;
    return {
      c,
      cpu: cpuMs(pid) - start[i].cpu,
      events: pipeline.postsTo(c.dataset) - start[i].posts,
      rss: memoryMiB(pid, 'VmRSS'),
      peak: memoryMiB(pid, 'VmHWM'),
    };
  });
  clearInterval(scraper);
  for (const c of candidates) c.child.kill('SIGTERM');
  await pipeline.close();

  const report = [
    `Node flags: one event every ${INTERVAL_S} s, ${WARMUP_S} s warm-up, ${MEASURE_S} s measured, all candidates at once, ${process.version}.`,
    '',
    '| flags | events | CPU ms / s | RSS MiB | peak RSS MiB | starts cleanly |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.c.flags.length ? `\`${r.c.flags.join(' ')}\`` : '(none)'} | ${r.events} | ${(r.cpu / MEASURE_S).toFixed(2)} | ${r.rss.toFixed(1)} | ${r.peak.toFixed(1)} | ${r.c.stderr === '' && r.c.errorLines === 0 ? 'yes' : `NO (${r.c.stderr ? 'stderr' : ''}${r.c.errorLines ? ` ${r.c.errorLines} error lines` : ''})`} |`,
    ),
    '',
  ].join('\n');
  process.stdout.write(`${report}\n`);
  mkdirSync('test-output', { recursive: true });
  writeFileSync(join('test-output', 'bench-flags.md'), report);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
