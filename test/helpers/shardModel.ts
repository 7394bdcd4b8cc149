import { ownerOf } from '../../streams/shardOwners';

/** One run of a shard's pod: its index, the PROBE_SHARDS it read, when it ran (seconds). */
export interface ShardPod {
  readonly index: number;
  readonly shards: number;
  readonly from: number;
  /** When it stopped: Prometheus marks its series stale at the next scrape. */
  readonly to?: number;
}

/** The pods of one StatefulSet over time, sharing one targets file. */
export interface ShardStory {
  readonly seconds: number;
  readonly targets: readonly string[];
  readonly pods: readonly ShardPod[];
}

export const SHARD_SET = { job: 'dataplatform-probe', namespace: 'probes', service: 'probe' };
const POST_INTERVAL = 10;

const running = (pod: ShardPod, t: number) => t >= pod.from && (pod.to === undefined || t < pod.to);
const owned = (pod: ShardPod) => (id: string) => ownerOf(id, pod.shards) === pod.index;

/**
 * The series each pod exports, scraped every `step` seconds, in promtool's input notation:
 * the targets configured and owned (owned decided by the probe's own rendezvous hashing),
 * `probe_target_info` of each owned target,
 * `probe_shard_info`, `up`, and `probe_wrong_appid_total` growing by the other owner's events
 * for every target another running pod owns too.
 */
export function shardSeries(story: ShardStory, step: number) {
  return story.pods.flatMap((pod, n) => {
    const labels = `${Object.entries(SHARD_SET)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')},instance="10.0.0.${n + 1}:8000",pod="probe-${pod.index}"`;
    const mine = story.targets.filter(owned(pod));
    let foreign = 0;
    const values = (value: (t: number) => number) => {
      const out: string[] = [];
      for (let t = 0; t <= story.seconds; t += step) {
        if (running(pod, t)) out.push(String(value(t)));
        else if (pod.to !== undefined && t >= pod.to && t - step < pod.to) out.push('stale');
        else out.push('_');
      }
      return out.join(' ');
    };
    const shared = (t: number) =>
      mine.filter((id) => story.pods.some((o) => o !== pod && running(o, t) && owned(o)(id)))
        .length;
    return [
      { series: `probe_targets_configured{${labels}}`, values: values(() => story.targets.length) },
      { series: `probe_targets_owned{${labels}}`, values: values(() => mine.length) },
      ...mine.map((id) => ({
        series: `probe_target_info{${labels},target="${id}"}`,
        values: values(() => 1),
      })),
      {
        series: `probe_shard_info{${labels},shard="${pod.index}",shards="${pod.shards}"}`,
        values: values(() => 1),
      },
      { series: `up{${labels}}`, values: values(() => 1) },
      {
        series: `probe_wrong_appid_total{${labels}}`,
        values: values((t) => {
          foreign += (shared(t) * step) / POST_INTERVAL;
          return foreign;
        }),
      },
    ];
  });
}

/** `count` target ids like a file's. */
export const targetIds = (count: number) =>
  Array.from({ length: count }, (_, i) => `dataset-${i.toString(36)}`);

/**
 * The targets owned by no running pod and by two or more, at a time: what the alerts infer
 * from the counts, read off the ownership itself.
 */
export function ownership(story: ShardStory, t: number) {
  const owners = story.targets.map(
    (id) => story.pods.filter((pod) => running(pod, t) && owned(pod)(id)).length,
  );
  return {
    unowned: owners.filter((n) => n === 0).length,
    twice: owners.filter((n) => n > 1).length,
  };
}
