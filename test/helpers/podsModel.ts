import { scraped, TARGET, type TargetStory } from './probeModel';

/**
 * Several probe pods over time, for the alert rules across replicas and handovers: each run of
 * a pod probes some targets (probeModel's stories) from one second to another, with live peers
 * (PROBE_PEERS_SRV). What a Prometheus stores of them: each run's series under its pod's
 * `instance` and `pod`, the shard's own (owned targets, `probe_target_info`, the peers, their
 * digest, `probe_shard_info`), and a stale marker at the first scrape after a series ends — a pod gone or a
 * target given away — as Prometheus writes them, so no gone series lingers for the lookback.
 */
export interface PodRun {
  /** The pod's name: `instance` is `<pod>:8000`. Runs of one pod name share its series. */
  readonly pod: string;
  /** The targets this run probes, each with its story (the one event schedule from `from`). */
  readonly targets: Readonly<Record<string, TargetStory>>;
  readonly from: number;
  /** The run ends here (the pod gone, or these targets handed to another pod). */
  readonly to?: number;
  /** From, and until, scrapes fail (`up` 0, every other series stale): a pod on a lost node. */
  readonly down?: readonly [from: number, until?: number];
  /** The digest of the peers it sees at t (shards that agree see the same); default one for all. */
  readonly digest?: (t: number) => number;
  /** How many peers it sees at t (`probe_shard_info`'s `shards`); default the story's pods. */
  readonly peers?: (t: number) => number;
}

export interface PodsStory {
  readonly seconds: number;
  /** The targets in the file (probe_targets_configured). */
  readonly configured: number;
  readonly runs: readonly PodRun[];
}

const SET = `job="${TARGET.job}",namespace="probes",service="probe"`;
const AGREED = 3141592653;

type Row = Array<string | undefined>;

/** Every series of the pods, scraped every `step` seconds, in promtool's input notation. */
export function podsSeries(story: PodsStory, step: number) {
  const times = Array.from({ length: Math.floor(story.seconds / step) + 1 }, (_, i) => i * step);
  const rows = new Map<string, Row>();
  const pods = new Set(story.runs.map((run) => run.pod)).size;
  const put = (series: string, at: number, value: string) => {
    const row = rows.get(series) ?? times.map(() => undefined);
    rows.set(series, row);
    row[at] ??= value;
  };
  for (const run of story.runs) {
    const labels = `${SET},instance="${run.pod}:8000",pod="${run.pod}"`;
    const live = (t: number) => t >= run.from && (run.to === undefined || t < run.to);
    const [downFrom = Infinity, downUntil = Infinity] = run.down ?? [];
    const answers = (t: number) => live(t) && !(t >= downFrom && t < downUntil);
    const model = scraped(
      {
        seconds: story.seconds,
        start: run.from,
        up: (t) => (!live(t) ? undefined : answers(t)),
        targets: run.targets,
      },
      step,
    );
    for (const { series, values } of model) {
      // probeModel's own process series are replaced below by the shard's across its runs.
      if (/^probe_targets_configured|^probe_config_last/.test(series)) continue;
      const named = series.replace(/job="[^"]*",instance="[^"]*"/, labels);
      values.split(' ').forEach((v, i) => {
        if (v !== '_') put(named, i, v);
      });
    }
    times.forEach((t, i) => {
      if (!answers(t)) return;
      for (const target of Object.keys(run.targets)) {
        put(`probe_target_info{${labels},target="${target}"}`, i, '1');
      }
      put(`probe_shard_peers_digest{${labels}}`, i, String(run.digest?.(t) ?? AGREED));
      const peers = run.peers?.(t) ?? pods;
      put(`probe_shard_peers{${labels}}`, i, String(peers));
      put(`probe_shard_info{${labels},shard="${run.pod}",shards="${peers}"}`, i, '1');
      put(`probe_targets_configured{${labels}}`, i, String(story.configured));
      put(`probe_config_last_reload_successful{${labels}}`, i, '1');
    });
  }
  // A pod's targets across its runs: what it owns at each scrape.
  const owned = new Map<string, number[]>();
  for (const [series, row] of rows) {
    const pod = /^probe_target_info\{.*pod="([^"]+)"/.exec(series)?.[1];
    if (!pod) continue;
    const counts = owned.get(pod) ?? times.map(() => 0);
    owned.set(pod, counts);
    row.forEach((v, i) => {
      if (v !== undefined) counts[i]++;
    });
  }
  for (const [pod, counts] of owned) {
    const series = `probe_targets_owned{${SET},instance="${pod}:8000",pod="${pod}"}`;
    const up = rows.get(`probe_shard_peers{${SET},instance="${pod}:8000",pod="${pod}"}`) ?? [];
    counts.forEach((n, i) => {
      if (up[i] !== undefined) put(series, i, String(n));
    });
  }
  return [...rows].map(([series, row]) => ({ series, values: withStale(row) }));
}

/** A series that ends gets a stale marker at its first missing scrape, as Prometheus writes. */
const withStale = (row: Row) =>
  row
    .map((v, i) => (v === undefined ? (i > 0 && row[i - 1] !== undefined ? 'stale' : '_') : v))
    .join(' ');
