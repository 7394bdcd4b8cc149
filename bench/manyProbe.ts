import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../local/listen';
import { deployedNodeFlags } from './proc';
import { byTarget, parseSamples, type Sample, scrapeText } from './scrape';
import type { BenchPipeline } from './standIn';

export const TOKEN = 'bench-token';

const children = new Set<ChildProcess>();
// A bench that fails leaves no probe behind.
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM');
});

export interface ProbeProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Target id → the dataset it posts to and listens on. */
  readonly datasets: Map<string, string>;
  scrape(): Promise<Sample[]>;
}

export const targetId = (i: number) => `t${String(i).padStart(4, '0')}`;

/** A targets file (JSON) of `count` targets, each on its own dataset; `renamed` moves some. */
export function writeTargetsFile(
  path: string,
  count: number,
  intervalS: number,
  pipeline: BenchPipeline,
  renamed: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const datasets = new Map<string, string>();
  for (let i = 0; i < count; i += 1) {
    const id = targetId(i);
    datasets.set(id, renamed.get(id) ?? `many-${count}-${id}`);
  }
  const file = {
    defaults: {
      eventCollectorUrl: pipeline.collectorUrl,
      websocketUrl: pipeline.websocketUrl,
      postEventIntervalSeconds: intervalS,
      webhookToken: { env: 'PROBE_WEBHOOK_TOKEN' },
    },
    targets: [...datasets].map(([id, datasetId]) => ({ id, datasetId, labels: { bench: 'many' } })),
  };
  writeFileSync(path, JSON.stringify(file, null, 1));
  return datasets;
}

/** Starts a probe process as the image does: a targets file, or one target from variables. */
export async function startProbeProcess(
  how:
    | { targetsFile: string; datasets: Map<string, string> }
    | { dataset: string; intervalS: number },
  pipeline: BenchPipeline,
  extraFlags: readonly string[] = [],
  // BENCH_PROBE_MAIN measures another build of the probe (an older checkout's dist).
  main = process.env.BENCH_PROBE_MAIN ?? join(__dirname, '..', 'src', 'main.js'),
): Promise<ProbeProcess> {
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    PROBE_WEBHOOK_TOKEN: TOKEN,
    METRICS_PORT: String(port),
    METRICS_HOST: '127.0.0.1',
  };
  let datasets: Map<string, string>;
  if ('targetsFile' in how) {
    env.PROBE_TARGETS_FILE = how.targetsFile;
    env.RELOAD_ENDPOINT_ENABLED = 'true'; // the reload bench asks by POST /-/reload
    datasets = how.datasets;
  } else {
    Object.assign(env, {
      PROBE_DATASET_ID: how.dataset,
      WEBSOCKET_URL: pipeline.websocketUrl,
      EVENT_COLLECTOR_URL: pipeline.collectorUrl,
      POST_EVENT_INTERVAL_SECONDS: String(how.intervalS),
    });
    // The one-target form labels its series with the dataset id.
    datasets = new Map([[how.dataset, how.dataset]]);
  }
  const child = spawn(process.execPath, [...deployedNodeFlags(), ...extraFlags, main], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return {
    child,
    port,
    datasets,
    scrape: async () => parseSamples(await scrapeText(port)),
  };
}

/**
 * The floor beside the probe: the same job with no framework (`bareMany.ts`), on datasets
 * `bare-0…`, run with the image's node flags; it cannot be scraped.
 */
export function startBareProcess(
  count: number,
  intervalS: number,
  pipeline: BenchPipeline,
): ProbeProcess {
  const child = spawn(process.execPath, [...deployedNodeFlags(), join(__dirname, 'bareMany.js')], {
    env: {
      BARE_TARGETS: String(count),
      BARE_INTERVAL_SECONDS: String(intervalS),
      EVENT_COLLECTOR_URL: pipeline.collectorUrl,
      WEBSOCKET_URL: pipeline.websocketUrl,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const datasets = new Map(Array.from({ length: count }, (_, i) => [`bare-${i}`, `bare-${i}`]));
  return { child, port: 0, datasets, scrape: async () => [] };
}

export interface Books {
  readonly exact: boolean;
  readonly targets: number;
  /** Targets whose books differ from the stand-in's, with what each side counted. */
  readonly wrong: string[];
  readonly posted: number;
  readonly received: number;
  readonly lost: number;
  readonly postErrors: number;
}

/**
 * Each target's books against what the stand-in did, with nothing in flight between them: the
 * stand-in holds new posts unanswered while the ones it answered are delivered and counted.
 */
export async function compareBooks(
  probes: readonly ProbeProcess[],
  pipeline: BenchPipeline,
): Promise<Books> {
  pipeline.freeze();
  await new Promise((resolve) => setTimeout(resolve, 700));
  const scrapes = await Promise.all(probes.map((probe) => probe.scrape()));
  // The stand-in's side read before `release` answers the posts it held.
  const side = new Map(
    probes.flatMap((probe) =>
      [...probe.datasets.values()].map((d) => [
        d,
        [pipeline.acceptedIn(d), pipeline.deliveredIn(d)],
      ]),
    ),
  );
  pipeline.release();
  const wrong: string[] = [];
  let posted = 0;
  let received = 0;
  let lost = 0;
  let postErrors = 0;
  let targets = 0;
  probes.forEach((probe, i) => {
    const postedBy = byTarget(scrapes[i], 'probe_events_posted_total');
    const receivedBy = byTarget(scrapes[i], 'probe_events_received_total');
    const lostBy = byTarget(scrapes[i], 'probe_events_lost_total');
    const errorsBy = byTarget(scrapes[i], 'probe_event_post_errors_total');
    for (const [id, dataset] of probe.datasets) {
      targets += 1;
      const p = postedBy.get(id);
      const r = receivedBy.get(id);
      const [accepted, delivered] = side.get(dataset) ?? [0, 0];
      if (p !== accepted || r !== delivered) {
        wrong.push(
          `${id}: posted ${p} vs accepted ${accepted}, received ${r} vs delivered ${delivered}`,
        );
      }
      posted += p ?? 0;
      received += r ?? 0;
      lost += lostBy.get(id) ?? 0;
      postErrors += errorsBy.get(id) ?? 0;
    }
  });
  return { exact: wrong.length === 0, targets, wrong, posted, received, lost, postErrors };
}
