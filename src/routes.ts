import type { Registry } from 'prom-client';
import type { Reply, Route } from './server';

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

/**
 * The HTTP routes: metrics at `/metrics` and at `/` (where the existing scrape config looks),
 * liveness, readiness, and the status page with its data.
 */
export function probeRoutes(sources: RouteSources): Record<string, Route> {
  const metrics = async (): Promise<Reply> => ({
    status: 200,
    type: sources.registry.contentType,
    body: await sources.registry.metrics(),
  });
  return {
    '/': metrics,
    '/metrics': metrics,
    '/healthz': () => text(200, 'ok\n'),
    '/readyz': () => readinessReply(sources.readinessProblems()),
    '/status': () => ({ status: 200, type: 'text/html; charset=utf-8', body: sources.page }),
    '/status.json': () => ({ status: 200, type: 'application/json', body: sources.statusJson() }),
  };
}

/** `/readyz`: 200 when nothing is wrong, else 503 with the reasons. */
export function readinessReply(problems: readonly string[]): Reply {
  return problems.length === 0
    ? text(200, 'ready\n')
    : text(503, `not ready: ${problems.join('; ')}\n`);
}
