import type { IncomingMessage } from 'node:http';
import { Registry } from 'prom-client';
import { negotiate, prometheusText, TEXT_CONTENT_TYPE } from './exposition';
import type { Reply, Route } from './server';
import { type Asset, statusAssets } from './statusAssets';
import { STATUS_PAGE_CSP } from './statusPage';

export const text = (status: number, body: string): Reply => ({
  status,
  type: 'text/plain; charset=utf-8',
  body,
});

export interface RouteSources {
  readonly registry: Registry;
  /** The status page's HTML, made once. */
  readonly page: string;
  /** The status page's data, as JSON. */
  readonly statusJson: () => string;
  /** What stops the probe from being ready now; empty when it is. */
  readonly readinessProblems: () => readonly string[];
}

const OPENMETRICS_CONTENT_TYPE = Registry.OPENMETRICS_CONTENT_TYPE;

/** A file whose path names its content: the browser may keep it for a year. */
const assetRoute =
  (asset: Asset): Route =>
  () => ({
    status: 200,
    type: asset.type,
    body: asset.body,
    headers: { 'Cache-Control': 'public, max-age=31536000, immutable' },
  });

/**
 * The HTTP routes: metrics at `/metrics` and at `/` (where the existing scrape config looks) in
 * OpenMetrics when the scraper prefers it, else in the text format, liveness, readiness, and
 * the status page with its data and its files (at exact paths, like every route).
 */
export function probeRoutes(sources: RouteSources): Record<string, Route> {
  const { registry } = sources;
  const metrics = async (request: IncomingMessage): Promise<Reply> =>
    negotiate(request.headers.accept) === 'openmetrics'
      ? { status: 200, type: OPENMETRICS_CONTENT_TYPE, body: await registry.metrics() }
      : { status: 200, type: TEXT_CONTENT_TYPE, body: await prometheusText(registry) };
  return {
    '/': metrics,
    '/metrics': metrics,
    '/healthz': () => text(200, 'ok\n'),
    '/readyz': () => readinessReply(sources.readinessProblems()),
    '/status': () => ({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: sources.page,
      headers: { 'Content-Security-Policy': STATUS_PAGE_CSP },
    }),
    '/status.json': () => ({ status: 200, type: 'application/json', body: sources.statusJson() }),
    ...Object.fromEntries(Object.values(statusAssets()).map((a) => [a.path, assetRoute(a)])),
  };
}

/** `/readyz`: 200 when nothing is wrong, else 503 with the reasons. */
function readinessReply(problems: readonly string[]): Reply {
  return problems.length === 0
    ? text(200, 'ready\n')
    : text(503, `not ready: ${problems.join('; ')}\n`);
}
