import { createServer, type ServerResponse } from 'node:http';
import { readBody } from './body';
import { acceptPost, json, type PostContext, type PostRules } from './collectorPost';
import { type CollectorStats, emptyStats, statsSummary } from './collectorStats';
import { type CollectorTuning, tunings } from './collectorTuning';
import { demoTuning } from './demo';
import { listen } from './listen';
import { PORT_VARIABLES, reachableHost, standInSettings } from './standInSettings';
import { runCommand, started } from './standInStart';

export interface CollectorOptions extends PostRules {
  readonly port: number;
  readonly host?: string;
  /** Hands an accepted event to the subscription side. */
  readonly publish: (datasetId: string, json: string) => void;
  readonly tuning?: Partial<CollectorTuning>;
  /** One dataset's tuning from the start, as `/config/?dataset=…` would set it. */
  readonly tuningByDataset?: Readonly<Record<string, Partial<CollectorTuning>>>;
  readonly random?: () => number;
}

export interface Collector {
  readonly port: number;
  readonly tuning: CollectorTuning;
  readonly stats: CollectorStats;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A stand-in for the event collector. Answers like the real one — 200 `{"message":"Ok"}`, 400 on a
 * bad body, 403 on a wrong webhook token, 401 on a bad bearer token, 404 on an unknown
 * dataset — and passes accepted events on to the subscription side, holding a share of them
 * (ADD_LATENCY_PERCENT, for a random time in LATENCY_RANGE_MIN…MAX seconds) and dropping a
 * share (NO_EMIT_PERCENT). Tunable at run time with `GET /config/?NAME=value&…`; what it did is
 * at `GET /stats`.
 */
export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const tuning = tunings(options.tuning, options.tuningByDataset);
  const stats = emptyStats();
  const hanging = new Set<ServerResponse>();
  const context: PostContext = {
    rules: options,
    publish: options.publish,
    stats,
    tuningOf: tuning.of,
    random: options.random ?? Math.random,
    hanging,
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://collector');
    if (request.method === 'GET' && url.pathname.replace(/\/$/, '') === '/config') {
      return json(response, 200, tuning.configure(url.searchParams));
    }
    if (request.method === 'GET' && url.pathname === '/stats') {
      return json(response, 200, statsSummary(stats));
    }
    if (request.method !== 'POST') return json(response, 405, { message: 'Method not allowed' });

    readBody(request, MAX_BODY_BYTES).then(
      (body) => acceptPost(context, url, request.headers.authorization, body, response),
      () => json(response, 413, { message: 'Body too large' }),
    );
  });

  const listening = await listen(server, options.port, options.host);
  return {
    port: listening.port,
    tuning: tuning.all,
    stats,
    close: () =>
      listening.close(() => {
        for (const response of hanging) response.destroy();
      }),
  };
}

if (require.main === module) {
  runCommand(async () => {
    const { host, collectorPort, hubPort } = standInSettings(process.env);
    const hubUrl = process.env.HUB_URL ?? `http://${reachableHost(host)}:${hubPort}`;
    const demo = demoTuning(process.env);
    const collector = await started(
      'the stand-in collector',
      PORT_VARIABLES.collectorPort.name,
      startCollector({
        port: collectorPort,
        host,
        tuning: demo.all,
        tuningByDataset: demo.byDataset,
        publish(datasetId, json) {
          fetch(`${hubUrl}/publish/${encodeURIComponent(datasetId)}`, {
            method: 'POST',
            body: json,
          }).catch((error: unknown) => process.stderr.write(`publish failed: ${String(error)}\n`));
        },
      }),
    );
    process.stdout.write(
      `event collector on http://${reachableHost(host)}:${collector.port} (publishing to ${hubUrl})\n`,
    );
  });
}
