import type { IncomingMessage } from 'node:http';
import type { Registry } from 'prom-client';
import { CONTENT_TYPES, exposition, negotiate } from './exposition';
import type { Reply, Route } from './server';
import { type Asset, statusAssets } from './status/statusAssets';
import { type StatusSources, statusRoutes } from './status/statusRoutes';

export const text = (status: number, body: string): Reply => ({
  status,
  type: 'text/plain; charset=utf-8',
  body,
});

export interface RouteSources {
  readonly registry: Registry;
  /** What the status pages show: the overview and each target's page. */
  readonly status: StatusSources;
  /** What stops the probe from being ready now; empty when it is. */
  readonly readinessProblems: () => readonly string[];
}

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
 * the status pages (the overview and each target's) with their data and their files (at exact
 * paths, like every route).
 */
export function probeRoutes(sources: RouteSources): Record<string, Route> {
  const { registry } = sources;
  const metrics = async (request: IncomingMessage): Promise<Reply> => {
    const format = negotiate(request.headers.accept);
    return { status: 200, type: CONTENT_TYPES[format], body: await exposition(registry, format) };
  };
  return {
    '/': metrics,
    '/metrics': metrics,
    '/healthz': () => text(200, 'ok\n'),
    '/readyz': () => readinessReply(sources.readinessProblems()),
    ...statusRoutes(sources.status),
    ...Object.fromEntries(Object.values(statusAssets()).map((a) => [a.path, assetRoute(a)])),
  };
}

/** `/readyz`: 200 when nothing is wrong, else 503 with the reasons. */
function readinessReply(problems: readonly string[]): Reply {
  return problems.length === 0
    ? text(200, 'ready\n')
    : text(503, `not ready: ${problems.join('; ')}\n`);
}
