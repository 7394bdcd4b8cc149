import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../local/listen';
import { cpuMs, deployedNodeFlags, rssMiB } from './proc';
import { startBenchPipeline } from './standIn';

/**
 * `npm run bench`, second part: the cost at the rate the probe is deployed at, where fixed
 * costs are everything. The probe runs as deployed (`node dist/src/main.js`, defaults: two
 * listeners, JSON logs at info level, the default process metrics) and is scraped like
 * Prometheus does (OpenMetrics, every 15 s); the bare reference client runs beside it at the
 * same rate. Nothing measures from inside: CPU is read from /proc (every thread's schedstat,
 * nanoseconds), RSS from /proc/<pid>/status, events from the stand-in's count for each
 * client's own dataset. All clients run at once, each on its own dataset: at these rates they
 * do not compete for the two cores.
 */
// Node settles for 20–40 s after its start (lazy compilation, the memory reducer): warm up past it.
const WARMUP_S = Number(process.env.BENCH_DEPLOYED_WARMUP_SECONDS ?? 60);
const MEASURE_S = Number(process.env.BENCH_DEPLOYED_SECONDS ?? 180);
const SCRAPE_EVERY_MS = 15_000;
const DEPLOYED_NODE_FLAGS = deployedNodeFlags();
const TOKEN = 'bench-token';
const RATES: ReadonlyArray<readonly [label: string, intervalS: number]> = [
  ['1/s', 1],
  ['1/10 s', 10],
  ['1/min (idle)', 60],
];

interface Client {
  readonly label: string;
  readonly kind: 'probe' | 'bare';
  readonly dataset: string;
  readonly child: ChildProcess;
  readonly metricsPort?: number;
}

async function main(): Promise<void> {
  const pipeline = await startBenchPipeline(20);
  const clients: Client[] = [];
  for (const [label, intervalS] of RATES) {
    for (const kind of ['probe', 'bare'] as const) {
      const dataset = `deployed-${kind}-${intervalS}`;
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        PROBE_WEBHOOK_TOKEN: TOKEN,
        PROBE_DATASET_ID: dataset,
        WEBSOCKET_URL: pipeline.websocketUrl,
        EVENT_COLLECTOR_URL: pipeline.collectorUrl,
        POST_EVENT_INTERVAL_SECONDS: String(intervalS),
      };
      if (kind === 'probe') {
        const metricsPort = await freePort();
        env.METRICS_PORT = String(metricsPort);
        env.METRICS_HOST = '127.0.0.1';
        // BENCH_PROBE_MAIN measures another build of the probe (an older checkout's dist).
        const main = process.env.BENCH_PROBE_MAIN ?? join(__dirname, '..', 'src', 'main.js');
        const child = spawn(process.execPath, [...DEPLOYED_NODE_FLAGS, main], {
          env,
          stdio: 'ignore',
        });
        clients.push({ label, kind, dataset, child, metricsPort });
      } else {
        env.BENCH_RATE = String(1 / intervalS);
        env.BENCH_UNINSTRUMENTED = '1';
        const child = fork(join(__dirname, 'bareClient.js'), [], { env, stdio: 'ignore' });
        clients.push({ label, kind, dataset, child });
      }
    }
  }
  const scrape = () =>
    Promise.all(
      clients
        .filter((client) => client.metricsPort)
        .map((client) =>
          fetch(`http://127.0.0.1:${client.metricsPort}/metrics`, {
            headers: {
              Accept:
                'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
            },
          }).then(
            (response) => response.text(),
            () => '',
          ),
        ),
    );
  const scraper = setInterval(scrape, SCRAPE_EVERY_MS);
  process.stderr.write(`deployed-rate run: ${WARMUP_S} s warm-up, ${MEASURE_S} s measured…\n`);
  await new Promise((resolve) => setTimeout(resolve, WARMUP_S * 1000));
  const start = clients.map((c) => ({
    cpu: cpuMs(c.child.pid as number),
    posts: pipeline.postsTo(c.dataset),
  }));
  await new Promise((resolve) => setTimeout(resolve, MEASURE_S * 1000));
  const rows = clients.map((client, i) => {
    const pid = client.child.pid as number;
    const cpu = cpuMs(pid) - start[i].cpu;
    const events = pipeline.postsTo(client.dataset) - start[i].posts;
    return { ...client, cpu, events, rss: rssMiB(pid) };
  });
  clearInterval(scraper);
  for (const client of clients) client.child.kill('SIGTERM');
  await pipeline.close();

  const lines = [
    `Deployed rates: ${WARMUP_S} s warm-up, ${MEASURE_S} s measured, all clients at once; the probe as deployed (\`node ${DEPLOYED_NODE_FLAGS.join(' ')} dist/src/main.js\`, two listeners, info logs, default metrics, scraped every 15 s in OpenMetrics), the bare client with one socket. CPU of every thread from /proc.`,
    '',
    '| rate | client | events | CPU ms / s | CPU ms / event | % of a core | RSS MiB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.kind} | ${r.events} | ${(r.cpu / MEASURE_S).toFixed(2)} | ${(r.cpu / Math.max(1, r.events)).toFixed(2)} | ${((100 * r.cpu) / (MEASURE_S * 1000)).toFixed(3)} | ${r.rss.toFixed(1)} |`,
    ),
    '',
  ];
  const ratio = (label: string) => {
    const probe = rows.find((r) => r.label === label && r.kind === 'probe');
    const bare = rows.find((r) => r.label === label && r.kind === 'bare');
    return probe && bare
      ? probe.cpu / Math.max(1, probe.events) / (bare.cpu / Math.max(1, bare.events))
      : Number.NaN;
  };
  const at1 = rows.find((r) => r.label === '1/s' && r.kind === 'probe');
  const idle = rows.find((r) => r.label === '1/min (idle)' && r.kind === 'probe');
  lines.push(
    '| target | met | measured |',
    '| --- | --- | --- |',
    `| CPU per event at 1/s ≤ 1.5 × bare | ${ratio('1/s') <= 1.5 ? 'yes' : 'NO'} | ${ratio('1/s').toFixed(2)} × |`,
    `| CPU per event at 1/s below a third of the original's 3.6 ms | ${at1 && at1.cpu / at1.events < 1.2 ? 'yes' : 'NO'} | ${at1 ? (at1.cpu / at1.events).toFixed(2) : '–'} ms |`,
    `| idle (one event a minute) ≤ 0.1 % of a core | ${idle && idle.cpu / (MEASURE_S * 10) <= 0.1 ? 'yes' : 'NO'} | ${idle ? ((100 * idle.cpu) / (MEASURE_S * 1000)).toFixed(3) : '–'} % |`,
    `| RSS at 1/s ≤ 55 MB | ${at1 && at1.rss * 1.048576 <= 55 ? 'yes' : 'NO'} | ${at1 ? (at1.rss * 1.048576).toFixed(1) : '–'} MB |`,
    '',
  );
  const report = lines.join('\n');
  process.stdout.write(`${report}\n`);
  mkdirSync('test-output', { recursive: true });
  writeFileSync(join('test-output', 'bench-deployed.md'), report);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
