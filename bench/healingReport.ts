/** What one run of the healing bench measured. */
export interface HealingRun {
  readonly perShard: number;
  readonly intervalS: number;
  readonly refreshS: number;
  readonly replacementS: number;
  readonly cpuS: number;
  /** CPU (ms) of each live-peers shard and each static shard over the same window. */
  readonly liveCpuMs: readonly number[];
  readonly staticCpuMs: readonly number[];
  /** CPU (ms) of a process only reading the peers, less an idle one's, over the same window. */
  readonly discoveryAloneMs: number;
  readonly longestGapIntervals: number;
  readonly taken: number;
  readonly unaccounted: number;
  readonly inFlightAtEnd: number;
  readonly orphans: number;
  readonly reownedWorstS: number;
  readonly reownedMedianS: number;
  readonly machine: string;
  readonly startedAt: string;
}

const percent = (ms: number, seconds: number) => (ms / (seconds * 1000)) * 100;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');

/** The bench's section for BENCHMARKS.md: the run, then each target of issue 25 met or not. */
export function healingReport(run: HealingRun): string {
  const shards = run.liveCpuMs.length;
  const cores = (xs: readonly number[]) => xs.map((ms) => percent(ms, run.cpuS).toFixed(3));
  // Both fleets run the same number of targets: the difference of their sums is discovery's.
  const addedPerShard =
    percent(sum(run.liveCpuMs) - sum(run.staticCpuMs), run.cpuS) / Math.max(1, shards);
  const alone = percent(run.discoveryAloneMs, run.cpuS);
  return [
    '## When a pod goes',
    '',
    `${shards} shards × ${run.perShard} targets (one targets file of ${shards * run.perShard}, a dataset each), a post every ${run.intervalS} s, the peers read every ${run.refreshS} s from a real DNS server (dnsmasq) serving the headless Service's SRV records. Machine: ${run.machine}, ${run.startedAt}.`,
    '',
    '| measure | live peers (PROBE_PEERS_SRV) | static (PROBE_SHARDS) |',
    '| --- | --- | --- |',
    `| % of a core per shard over ${run.cpuS} s, same load | ${cores(run.liveCpuMs).join(', ')} | ${cores(run.staticCpuMs).join(', ')} |`,
    '',
    '| target (issue 25) | met | measured |',
    '| --- | --- | --- |',
    `| rolling restart: the longest gap any target goes unposted ≤ 2 intervals | ${yes(run.longestGapIntervals <= 2.05)} | ${run.longestGapIntervals.toFixed(2)} intervals (each pod drained, gone from DNS, back after ${run.replacementS} s) |`,
    `| rolling restart: events unaccounted 0 | ${yes(run.unaccounted === 0 && run.inFlightAtEnd === 0)} | ${run.unaccounted} of ${run.taken} taken by the stand-in (every pipeline's last line: received, lost or drained) |`,
    `| the added CPU of discovery ≤ 0.1 % of a core per shard | ${yes(addedPerShard <= 0.1 && alone <= 0.1)} | ${addedPerShard.toFixed(3)} % (live minus static, summed over the shards, per shard; the shards' own spread is larger); alone ${alone.toFixed(4)} % (a process only reading the peers, less an idle one) |`,
    `| owner killed: its targets re-owned within 30 s (the worst) | ${yes(run.reownedWorstS <= 30)} | ${run.reownedWorstS.toFixed(1)} s worst, ${run.reownedMedianS.toFixed(1)} s median, ${run.orphans} targets |`,
    '',
  ].join('\n');
}
