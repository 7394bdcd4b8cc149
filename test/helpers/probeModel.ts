/**
 * A model of what one probe process exports, second by second, for the alert rule tests: for
 * each of its targets events are posted on the default schedule, the target's story says what
 * the pipeline does with each (its delay, or never), whether its post fails and when listeners
 * are connected, and the model derives the target's series from that as the probe defines them
 * (docs/how-it-works.md, "How the numbers are defined"), with the SLI settling an event bad as soon as its
 * objective passes without a receipt. A Prometheus is then modelled by sampling those series
 * every `scrape` seconds.
 */

import { loadConfig } from '../../src/config/loadConfig';

/** The defaults the model runs under, as the probe derives them (in seconds, as the table). */
const DEFAULTS = loadConfig({
  PROBE_DATASET_ID: 'model',
  PROBE_WEBHOOK_TOKEN: 'model',
  WEBSOCKET_URL: 'wss://model.invalid/ws',
});
export const INTERVAL = DEFAULTS.posting.intervalMs / 1000; // seconds between posts
export const OBJECTIVE = DEFAULTS.tracker.latencyObjectiveMs / 1000;
export const GRACE = DEFAULTS.tracker.missingGraceMs / 1000;
export const LOST = DEFAULTS.tracker.lostTimeoutMs / 1000;
export const CLEAN = DEFAULTS.tracker.cleanIntervalMs / 1000;
const LATENCY_BUCKETS = DEFAULTS.server.latencyBucketsSeconds;
const LAG_BUCKETS = [0.001, 0.01, 0.1, 1, 5];
const POST_ERROR_AFTER = 5; // a failing post is counted once its retries are spent

/** What happens to one target's events. */
export interface TargetStory {
  /** The pipeline's delay for the event posted at t; undefined: it never comes out. */
  readonly delay?: (t: number, seqno: number) => number | undefined;
  /** The collector refuses the post due at t. */
  readonly postFails?: (t: number) => boolean;
  readonly connected?: (t: number) => number;
  /** How late the post due at t leaves (the probe process lagging). */
  readonly scheduleLag?: (t: number) => number;
  /** `probe_tls_cert_expiry_timestamp_seconds` by endpoint. */
  readonly certExpiry?: Readonly<Record<string, number>>;
}

/** What happens to a probe process: its one target's story, or `targets`. */
export interface Story extends TargetStory {
  /** Seconds the story runs. */
  readonly seconds: number;
  /** The probe starts this second (before it no target exists); posts are due every 10 s. */
  readonly start?: number;
  /** The probe answers scrapes; false: up is 0; undefined: no target at all. */
  readonly up?: (t: number) => boolean | undefined;
  /** The last reload of the targets file failed (`probe_config_last_reload_successful` 0). */
  readonly reloadFails?: (t: number) => boolean;
  /**
   * The process's targets by id, each with its own story; without it the process has one,
   * `TARGET.target`, told by the story's own fields (which `targets` replaces).
   */
  readonly targets?: Readonly<Record<string, TargetStory>>;
}

interface Event {
  readonly posted: number;
  readonly failed: boolean;
  /** When it arrived (a listener connected then), if it did. */
  readonly received?: number;
  readonly latency?: number;
  readonly settled?: number;
  readonly good: boolean;
  readonly lag: number;
}

function eventsOf(story: TargetStory, start: number, seconds: number): Event[] {
  const events: Event[] = [];
  for (let seqno = 1, posted = start; posted <= seconds; seqno++, posted += INTERVAL) {
    const failed = story.postFails?.(posted) ?? false;
    const delay = failed ? undefined : story.delay ? story.delay(posted, seqno) : 0.2;
    const arrives = delay !== undefined && (story.connected?.(posted + delay) ?? 2) > 0;
    const received = arrives ? posted + delay : undefined;
    const good = received !== undefined && delay !== undefined && delay <= OBJECTIVE;
    // Bad settles at the first 1 s tick past the objective; a failed post never settles.
    const settled = failed ? undefined : good ? received : Math.ceil(posted + OBJECTIVE);
    const lag = story.scheduleLag?.(posted) ?? 0;
    events.push({ posted, failed, received, latency: delay, settled, good, lag });
  }
  return events;
}

/** When an unreceived event turns lost: at the first clean past its lost deadline. */
const lostAt = (e: Event, start: number) =>
  start + Math.ceil((e.posted + LOST - start) / CLEAN) * CLEAN;

/** One target's series at second t, by name (with labels beyond `target`). */
function stateAt(
  story: TargetStory,
  start: number,
  events: readonly Event[],
  t: number,
): Map<string, number> {
  const at = (x: number | undefined) => x !== undefined && x <= t;
  const count = (pred: (e: Event) => boolean) => events.filter(pred).length;
  // Received counts a first receipt before the lost mark; a later one is late, not received.
  const received = (e: Event) => at(e.received) && (e.received ?? 0) < lostAt(e, start);
  const out = new Map<string, number>([
    ['probe_events_posted_total', count((e) => !e.failed && at(e.posted))],
    ['probe_event_post_errors_total', count((e) => e.failed && at(e.posted + POST_ERROR_AFTER))],
    ['probe_events_received_total', count(received)],
    ['probe_events_lost_total', count((e) => !e.failed && !received(e) && at(lostAt(e, start)))],
    ['probe_events_within_objective_total', count((e) => e.good && at(e.settled))],
    ['probe_events_settled_total', count((e) => at(e.settled))],
    ['probe_event_listeners_connected_count', story.connected?.(t) ?? 2],
    ['probe_event_listeners_count', 2],
    ['probe_latency_objective_seconds', OBJECTIVE],
    ['probe_info', 1],
  ]);
  // The n-minute missing share: posted in [t - grace - n min, t - grace), not received by t.
  for (const minutes of [1, 3, 10]) {
    const window = events.filter(
      (e) =>
        !e.failed &&
        e.posted >= t - GRACE - 60 * minutes &&
        e.posted < t - GRACE &&
        e.posted >= start,
    );
    const missing = window.filter((e) => !at(e.received)).length;
    const share = window.length ? (100 * missing) / window.length : 0;
    out.set(`probe_events_missing_${minutes}m_share`, share);
  }
  const arrived = events.filter((e) => at(e.received));
  const latest = arrived.reduce<Event | undefined>(
    (last, e) => (last && (last.received ?? 0) > (e.received ?? 0) ? last : e),
    undefined,
  );
  out.set('probe_event_latency', latest?.latency ?? 0);
  for (const le of [...LATENCY_BUCKETS, Number.POSITIVE_INFINITY]) {
    const n = arrived.filter((e) => (e.latency ?? 0) <= le).length;
    out.set(`probe_event_latency_seconds_bucket{le="${le === Infinity ? '+Inf' : le}"}`, n);
  }
  const due = events.filter((e) => at(e.posted));
  for (const le of [...LAG_BUCKETS, Number.POSITIVE_INFINITY]) {
    const n = due.filter((e) => e.lag <= le).length;
    out.set(`probe_post_schedule_lag_seconds_bucket{le="${le === Infinity ? '+Inf' : le}"}`, n);
  }
  for (const [endpoint, expiry] of Object.entries(story.certExpiry ?? {})) {
    out.set(`probe_tls_cert_expiry_timestamp_seconds{endpoint="${endpoint}"}`, expiry);
  }
  return out;
}

export const TARGET = { job: 'dataplatform-probe', instance: 'probe:8000', target: 'dataset-1' };
const PROCESS_LABELS = `job="${TARGET.job}",instance="${TARGET.instance}"`;

/** The process's series at second t (its targets' under `target`), by name with labels. */
function processAt(
  story: Story,
  targets: ReadonlyArray<readonly [string, Event[], TargetStory]>,
  t: number,
) {
  const start = story.start ?? 0;
  const out = new Map<string, number>([
    ['probe_targets_configured', targets.length],
    ['probe_config_last_reload_successful', story.reloadFails?.(t) ? 0 : 1],
  ]);
  for (const [id, events, told] of targets) {
    for (const [name, value] of stateAt(told, start, events, t)) {
      const labels = `target="${id}"`;
      out.set(name.includes('{') ? name.replace('{', `{${labels},`) : `${name}{${labels}}`, value);
    }
  }
  return out;
}

/**
 * The series a Prometheus scraping every `scrape` seconds stores, as promtool input. `lag`
 * places each scrape that many seconds before the evaluation at its timestamp (a Prometheus
 * whose scrapes run just after its rule evaluations), so the rules see the probe that late.
 */
export function scraped(
  story: Story,
  scrape: number,
  lag = 0,
): Array<{ series: string; values: string }> {
  const start = story.start ?? 0;
  const targets = Object.entries(story.targets ?? { [TARGET.target]: story }).map(
    ([id, told]) => [id, eventsOf(told, start, story.seconds), told] as const,
  );
  const times = Array.from(
    { length: Math.floor(story.seconds / scrape) + 1 },
    (_, i) => i * scrape,
  );
  const up = times.map((s) => {
    const answers = s - lag < start ? undefined : story.up ? story.up(s - lag) : true;
    return answers === undefined ? undefined : answers ? 1 : 0;
  });
  const values = new Map<string, Array<number | undefined>>();
  times.forEach((s, i) => {
    if (up[i] !== 1) return;
    for (const [name, value] of processAt(story, targets, s - lag)) {
      const row = values.get(name) ?? times.map(() => undefined);
      values.set(name, row);
      row[i] = value;
    }
  });
  const text = (row: Array<number | undefined>) =>
    row.map((v) => (v === undefined ? '_' : String(Math.round(v * 1000) / 1000))).join(' ');
  const withProcess = (name: string) =>
    name.includes('{') ? name.replace('{', `{${PROCESS_LABELS},`) : `${name}{${PROCESS_LABELS}}`;
  return [
    { series: `up{${PROCESS_LABELS}}`, values: text(up) },
    ...[...values].map(([name, row]) => ({ series: withProcess(name), values: text(row) })),
  ];
}
