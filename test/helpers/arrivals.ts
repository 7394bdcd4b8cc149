import { after } from 'node:test';
import { type Collector, startCollector } from '../../local/collector';
import type { CollectorTuning } from '../../local/collectorTuning';
import { type Hub, startHub } from '../../local/hub';
import { standInUrls } from './stack';

/** A post the collector stand-in took: when (ms, monotonic) and from which pipeline. */
export interface Arrival {
  readonly at: number;
  readonly appId: string;
}

export interface RecordingStandIns {
  hub: Hub;
  collector: Collector;
  /** The variables that point a probe at them. */
  urls: ReturnType<typeof standInUrls>;
  /** Every post taken, by dataset, in order. */
  arrivals: Map<string, Arrival[]>;
}

/**
 * A hub and a collector serving any dataset with any webhook token (a reload may change one),
 * closed after the test, that note every post they take by dataset. With no hold (the default
 * tuning) an event is published the moment its post is taken, so `at` is the post's arrival.
 */
export async function startRecordingStandIns(
  tuning: Partial<CollectorTuning> = {},
): Promise<RecordingStandIns> {
  const hub = await startHub({ port: 0 });
  const arrivals = new Map<string, Arrival[]>();
  const collector = await startCollector({
    port: 0,
    publish: (dataset, json) => {
      const appId = String((JSON.parse(json) as { app_id?: unknown }).app_id);
      const list = arrivals.get(dataset) ?? [];
      arrivals.set(dataset, list);
      list.push({ at: performance.now(), appId });
      hub.publish(dataset, json);
    },
    tuning: { ADD_LATENCY_PERCENT: 0, NO_EMIT_PERCENT: 0, ...tuning },
  });
  after(async () => {
    await collector.close();
    await hub.close();
  });
  return { hub, collector, urls: standInUrls(hub, collector), arrivals };
}
