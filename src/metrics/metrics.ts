import { Counter, type OpenMetricsContentType, Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import type { ProbeStreams } from '../../streams/derivedStreams';
import type { ListenerView } from '../../streams/listenerView';
import { MALFORMED_REASONS } from '../../streams/parsedFrame';
import type { TrackerState } from '../../streams/trackerState';
import { droppedOutput } from '../logs/stdout';
import { type CountedBook, FROM_TOTALS } from './bookCounters';
import { type LatestValues, registerGauges, type TargetIdentity } from './metricGauges';
import { createHistograms } from './metricHistograms';
import { SeriesCache } from './seriesCache';

export interface MetricsOptions {
  readonly latencyBucketsSeconds: readonly number[];
}

export interface ProbeMetrics {
  readonly registry: Registry;
  /**
   * Follows one target's streams: counters and gauges read at scrape, histograms per effect,
   * every series labelled `target`. Unsubscribing removes the target's series.
   */
  follow(identity: TargetIdentity, streams: ProbeStreams): Subscription;
  tokenRequest(result: 'ok' | 'error'): void;
  pipelineRestarted(targetId: string): void;
}

/**
 * The metrics sink, in a registry of its own, for every target of the process. Every count is the fold's (`TrackerState`
 * totals and listener views), read when Prometheus scrapes: kept once, so the series and the
 * status page cannot disagree. A pipeline restart (a bug caught) starts a new fold, which
 * Prometheus sees as a counter reset. Histograms observe the core's effects; gauges show the
 * latest derived values, which move with the clock ticks too. prom-client adds no `_total` to
 * counters, so the names carry it.
 */
export function createMetrics(options: MetricsOptions): ProbeMetrics {
  // OpenMetrics, so the latency histogram may carry exemplars; `exposition.ts` also speaks text.
  const registry: Registry = new Registry<OpenMetricsContentType>() as never;
  (registry as unknown as Registry<OpenMetricsContentType>).setContentType(
    Registry.OPENMETRICS_CONTENT_TYPE,
  );
  const registers = [registry];
  const targets = new Map<string, TargetSeries>();
  /**
   * A counter set at each scrape from `read`: one value per target and label set, which only
   * grows within one fold of the books (a new fold, a restarted pipeline, starts it again).
   */
  const counterFrom = (
    name: string,
    help: string,
    labelNames: string[],
    read: (target: TargetSeries) => Iterable<readonly [Record<string, string>, number]>,
  ) => {
    const counter: Counter = new Counter({
      name,
      help,
      labelNames: ['target', ...labelNames],
      registers,
      collect: () => exported.sync(targets, read),
    });
    const exported = new SeriesCache<TargetSeries>(
      {
        write(labels, value, before) {
          const grew = before !== undefined && value >= before;
          if (before !== undefined && !grew) counter.remove(labels);
          counter.inc(labels, grew ? value - before : value);
        },
        remove: (labels) => counter.remove(labels),
      },
      (target) => target.state,
    );
    return counter;
  };
  const single = (value: number) => [[{}, value] as const];

  for (const [name, book, help] of FROM_TOTALS) {
    counterFrom(name, help, [], (target) => single(bookOf(target, book)));
  }
  // Every reason exported at 0 from the start, so increase() sees the first bad frame too.
  counterFrom(
    'probe_malformed_messages_total',
    'Subscription frames that are not probe events, by reason.',
    ['reason'],
    ({ state }) =>
      MALFORMED_REASONS.map((reason) => [{ reason }, state?.totals.malformed[reason] ?? 0]),
  );
  counterFrom(
    'probe_listener_reconnects_total',
    'Subscription connections that ended and are being reopened, by listener and cause.',
    ['listener', 'cause'],
    ({ state }) => listenerCounts(state, (view) => view.disconnectsByCause),
  );
  counterFrom(
    'probe_listener_rotations_total',
    'Subscription connections replaced make-before-break before the gateway cuts them.',
    ['listener'],
    ({ state }) => listenerCounts(state, (view) => new Map([['', view.rotations]])),
  );
  counterFrom(
    'probe_internal_errors_total',
    'Bugs caught and survived: a tracker step or the pipeline failed.',
    [],
    ({ state, restarts }) => single((state?.totals.internalErrors ?? 0) + restarts),
  );
  let droppedSeen = 0;
  new Counter({
    name: 'probe_log_lines_dropped_total',
    help: 'Log lines not written: stdout was closed by its reader, or stalled with 1 MiB waiting.',
    registers,
    collect() {
      const dropped = droppedOutput();
      this.inc(dropped - droppedSeen);
      droppedSeen = dropped;
    },
  });
  const tokenRequests = new Counter({
    name: 'probe_token_requests_total',
    help: 'Access token requests to the token server, by result.',
    labelNames: ['result'],
    registers,
  });
  const histograms = createHistograms(registry, options.latencyBucketsSeconds);
  registerGauges(registry, targets);

  return {
    registry,
    follow(identity, streams) {
      const { id } = identity;
      let target = targets.get(id);
      if (target === undefined) {
        target = { identity, gauges: undefined, shares: [], restarts: 0, folds: [], carried: {} };
        targets.set(id, target);
      }
      const series = target;
      series.identity = identity;
      const fold: Fold = {};
      series.folds.push(fold);
      const newest = () => series.folds[series.folds.length - 1] === fold;
      const { observe, remove } = histograms(id, identity.appId);
      const subscription = streams.effects$.subscribe(observe);
      subscription.add(
        streams.state$.subscribe((next) => {
          fold.state = next;
          if (newest()) series.state = next;
        }),
      );
      subscription.add(
        streams.gauges$.subscribe((gauges) => {
          if (newest()) series.gauges = gauges;
        }),
      );
      subscription.add(
        streams.shares$.subscribe((shares) => {
          if (newest()) series.shares = shares;
        }),
      );
      subscription.add(() => {
        series.folds.splice(series.folds.indexOf(fold), 1);
        if (series.folds.length > 0) {
          // Another pipeline of the target goes on: this one's books stay in its counters.
          for (const [, book] of FROM_TOTALS) {
            series.carried[book] = (series.carried[book] ?? 0) + (fold.state?.totals[book] ?? 0);
          }
          series.state = series.folds[series.folds.length - 1].state;
          return;
        }
        if (targets.get(id) === series) targets.delete(id);
        remove();
      });
      return subscription;
    },
    tokenRequest: (result) => tokenRequests.labels(result).inc(),
    pipelineRestarted: (targetId) => {
      const target = targets.get(targetId);
      if (target) target.restarts += 1;
    },
  };
}

/** One pipeline of a target, as the sink follows it. */
interface Fold {
  state?: TrackerState;
}

/**
 * What the sink keeps of one target: the latest values its series read at scrape, from its
 * newest pipeline. A target's pipelines are its folds: when a change starts a new one while the
 * old one drains (make before break), the books are theirs together, and an ended fold's books
 * are carried, so the counters never go back and no event is counted twice or lost.
 */
interface TargetSeries extends LatestValues {
  identity: TargetIdentity;
  state?: TrackerState;
  restarts: number;
  /** Running or draining, newest last. */
  readonly folds: Fold[];
  readonly carried: Partial<Record<CountedBook, number>>;
}

/** One book of a target: its ended pipelines' and its running ones' together. */
function bookOf(target: TargetSeries, book: CountedBook): number {
  let sum = target.carried[book] ?? 0;
  for (const fold of target.folds) sum += fold.state?.totals[book] ?? 0;
  return sum;
}

/** One value per listener and key (a cause label, or '' for none), labelled for a counter. */
function* listenerCounts(
  state: TrackerState | undefined,
  counts: (view: ListenerView) => ReadonlyMap<string, number>,
): Iterable<readonly [Record<string, string>, number]> {
  if (!state) return;
  for (const [id, view] of state.listeners) {
    for (const [cause, value] of counts(view)) {
      const labels: Record<string, string> = { listener: String(id) };
      if (cause !== '') labels.cause = cause;
      yield [labels, value];
    }
  }
}
