import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ClientReport } from './report';
import type { BenchPipeline } from './standIn';

/**
 * One run of the event-rates bench: a client (the probe or the bare reference) in its own
 * process at one rate, and its report judged against the holds the stand-in recorded.
 */
const DATASET = 'bench';
const TOKEN = 'bench-token';

export interface Run {
  readonly label: string;
  readonly client: 'bare' | 'probe';
  readonly rate: number;
  readonly warmupS: number;
  readonly measureS: number;
  readonly purgeS?: number;
}

export interface Result extends Run {
  readonly report: ClientReport;
  /** Arrival times of this client's posts at the stand-in. */
  readonly arrivals: readonly number[];
  readonly meanErrorMs: number;
  readonly p99ErrorMs: number;
  readonly received: number;
  readonly cpuMsPer1000: number;
}

/** Runs one client to its report, and judges it. */
export async function measureClient(pipeline: BenchPipeline, run: Run): Promise<Result> {
  return evaluate(pipeline, run, await runClient(pipeline, run));
}

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
