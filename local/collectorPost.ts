import type { ServerResponse } from 'node:http';
import { type Publishing, publishEvent } from './collectorPublish';
import { noteRequest } from './collectorStats';
import { chance } from './collectorTuning';

/** What a post is checked against. */
export interface PostRules {
  /** When set, webhook posts must carry this token (403 otherwise). */
  readonly webhookToken?: string;
  /** When set, bearer posts must carry a token this accepts (401 otherwise). */
  readonly acceptBearer?: (token: string) => boolean;
  /** When set, other datasets answer 404. */
  readonly datasets?: readonly string[];
}

export interface PostContext extends Publishing {
  readonly rules: PostRules;
  /** Answers HANG_PERCENT held back: ended when the collector closes. */
  readonly hanging: Set<ServerResponse>;
}

const ROUTE = /^\/(webhook\/)?(event|events)\/([^/]+)\/([^/]+)\/?$/;

/**
 * Answers one post like the real collector — 200 `{"message":"Ok"}`, 400 on a bad body, 403 on
 * a wrong webhook token, 401 on a bad bearer token, 404 on an unknown dataset — or, as its
 * dataset's tuning asks, with a 503 (FAIL_PERCENT) or never (HANG_PERCENT).
 */
export function acceptPost(
  context: PostContext,
  url: URL,
  authorization: string | undefined,
  body: string,
  response: ServerResponse,
): void {
  const { rules, stats } = context;
  const match = url.pathname === '/' ? [] : ROUTE.exec(url.pathname);
  if (!match) {
    json(response, 404, { message: 'Not found' });
    return;
  }
  const webhook = match[1] !== undefined;
  const datasetId = match[3] ? decodeURIComponent(match[3]) : 'default';
  const bearerToken = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  const token = webhook ? (url.searchParams.get('token') ?? undefined) : bearerToken;
  noteRequest(stats, {
    path: url.pathname,
    auth: webhook ? 'webhook' : bearerToken ? 'bearer' : 'none',
    token,
    body,
  });

  const reject = (status: number, message: string) => {
    stats.rejected += 1;
    json(response, status, { message });
  };
  if (webhook && rules.webhookToken !== undefined && token !== rules.webhookToken) {
    reject(403, 'Forbidden');
    return;
  }
  if (
    !webhook &&
    url.pathname !== '/' &&
    rules.acceptBearer &&
    !(token && rules.acceptBearer(token))
  ) {
    reject(401, 'Unauthorized');
    return;
  }
  if (rules.datasets && !rules.datasets.includes(datasetId)) {
    reject(404, 'Dataset not found');
    return;
  }
  let events: unknown[];
  try {
    const parsed: unknown = JSON.parse(body);
    const many = match[2] === 'events';
    events = many && Array.isArray(parsed) ? parsed : [parsed];
    if (!events.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e)))
      throw new Error();
  } catch {
    reject(400, 'Bad request: body must be a JSON object');
    return;
  }
  const tuned = context.tuningOf(datasetId);
  if (chance(context.random, tuned.HANG_PERCENT)) {
    stats.hung += 1;
    context.hanging.add(response);
    response.on('close', () => context.hanging.delete(response));
    return;
  }
  if (chance(context.random, tuned.FAIL_PERCENT)) {
    stats.failed += 1;
    json(response, 503, { message: 'Service unavailable' });
    return;
  }
  for (const event of events) publishEvent(context, datasetId, event as Record<string, unknown>);
  json(response, 200, { message: 'Ok' });
}

export function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
