import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What each benchmarked client process reports when its run ends. */
export interface ClientReport {
  readonly appId: string;
  /** [seqno, latency ms] of every event posted inside the measured window and received. */
  readonly latencies: ReadonlyArray<readonly [number, number]>;
  /** Events posted inside the measured window. */
  readonly posted: number;
  readonly cpuMs: number;
  readonly rssBytes: number;
  /** RSS sampled every second through the measured window. */
  readonly rssSamples: readonly number[];
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMeanMs: number;
  /** For the probe only: its own books. */
  readonly books?: {
    posted: number;
    received: number;
    lost: number;
    inFlight: number;
    tracked: number;
    postErrors: number;
    /** Distinct reasons of the post errors still tracked. */
    errorReasons: string[];
  };
}

/** Measures CPU, RSS and event-loop delay over a window of the process's life. */
export function measure() {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let cpuStart = process.cpuUsage();
  const rssSamples: number[] = [];
  let sampler: NodeJS.Timeout | undefined;
  return {
    start() {
      loop.enable();
      loop.reset();
      cpuStart = process.cpuUsage();
      sampler = setInterval(() => rssSamples.push(process.memoryUsage().rss), 1_000);
    },
    stop() {
      const cpu = process.cpuUsage(cpuStart);
      loop.disable();
      clearInterval(sampler);
      return {
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssBytes: process.memoryUsage().rss,
        rssSamples,
        eventLoopDelayP99Ms: loop.percentile(99) / 1e6,
        eventLoopDelayMeanMs: loop.mean / 1e6,
      };
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Settings each client child reads from its environment. */
export function benchSettings(env: NodeJS.ProcessEnv) {
  return {
    rate: Number(env.BENCH_RATE),
    warmupMs: Number(env.BENCH_WARMUP_SECONDS) * 1000,
    measureMs: Number(env.BENCH_MEASURE_SECONDS) * 1000,
  };
}
