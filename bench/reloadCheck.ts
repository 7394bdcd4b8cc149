import type { ProbeProcess } from './manyProbe';
import type { Sample } from './scrape';
import type { BenchPipeline } from './standIn';

export interface ReloadResult {
  readonly answer: string;
  /** From the request to its answer (ms). */
  readonly answeredMs: number;
  /** From the request to the changed target's first connection at the stand-in (ms). */
  readonly appliedMs: number;
  /** Counters (`_total`, `_count`, `_bucket`) of unchanged targets that went down. */
  readonly dropped: string[];
  /** Unchanged targets with a new connection at the stand-in. */
  readonly reconnected: string[];
  /** Unchanged targets that posted nothing after the reload. */
  readonly stalled: string[];
}

const isCounter = (name: string) => /_(total|count|bucket)$/.test(name);
const key = (sample: Sample) => `${sample.name}${JSON.stringify(sample.labels)}`;

/**
 * Reloads a running many-target probe (`POST /-/reload`) after `rewrite` changed its file, and
 * checks what the unchanged targets kept: every counter, and their connections at the hub.
 */
export async function reloadAndCheck(
  probe: ProbeProcess,
  pipeline: BenchPipeline,
  change: { id: string; dataset: string; rewrite: () => void; settleMs: number },
): Promise<ReloadResult> {
  const unchanged = [...probe.datasets].filter(([id]) => id !== change.id);
  const before = await probe.scrape();
  const connections = new Map(unchanged.map(([, d]) => [d, pipeline.connectionsTo(d)]));
  const posts = new Map(unchanged.map(([, d]) => [d, pipeline.acceptedIn(d)]));
  change.rewrite();
  let connected: (at: number) => void = () => undefined;
  const firstConnection = new Promise<number>((resolve) => {
    connected = resolve;
  });
  pipeline.onConnection((dataset) => {
    if (dataset === change.dataset) connected(performance.now());
  });
  const start = performance.now();
  const response = await fetch(`http://127.0.0.1:${probe.port}/-/reload`, { method: 'POST' });
  const answer = (await response.text()).trim();
  const answeredMs = performance.now() - start;
  const appliedAt = await Promise.race([
    firstConnection,
    new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), 10_000)),
  ]);
  probe.datasets.set(change.id, change.dataset);
  await new Promise((resolve) => setTimeout(resolve, change.settleMs));
  const after = new Map((await probe.scrape()).map((sample) => [key(sample), sample.value]));
  const ids = new Set(unchanged.map(([id]) => id));
  const dropped = before
    .filter((s) => ids.has(s.labels.target) && isCounter(s.name))
    .filter((s) => !((after.get(key(s)) ?? Number.NEGATIVE_INFINITY) >= s.value))
    .map((s) => `${key(s)}: ${s.value} → ${after.get(key(s))}`);
  const reconnected = unchanged
    .filter(([, d]) => pipeline.connectionsTo(d) !== connections.get(d))
    .map(([id]) => id);
  const stalled = unchanged
    .filter(([, d]) => pipeline.acceptedIn(d) <= (posts.get(d) ?? 0))
    .map(([id]) => id);
  return {
    answer,
    answeredMs,
    appliedMs: appliedAt - start,
    dropped,
    reconnected,
    stalled,
  };
}
