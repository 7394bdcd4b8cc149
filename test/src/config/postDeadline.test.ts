import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { after, describe, test } from 'node:test';
import { lastValueFrom, toArray } from 'rxjs';
import { startCollector } from '../../../local/collector';
import { listen } from '../../../local/listen';
import { clientCredentials } from '../../../src/platform/auth';
import { createPoster } from '../../../src/platform/poster';

/** A token server that takes requests and never answers one; counts them. */
async function silentTokenServer() {
  const held = new Set<ServerResponse>();
  let requests = 0;
  const server = createServer((_, response) => {
    requests += 1;
    held.add(response);
  });
  const listening = await listen(server, 0);
  after(() =>
    listening.close(() => {
      for (const response of held) response.destroy();
    }),
  );
  return { url: `http://127.0.0.1:${listening.port}`, requests: () => requests };
}

/** Runs a post to its end; its error and how long it took. */
async function timed(post: ReturnType<typeof createPoster>) {
  const started = performance.now();
  const error = await lastValueFrom(post(1).pipe(toArray())).then(
    () => 'answered',
    (failure: Error) => failure.message,
  );
  return { error, tookMs: performance.now() - started };
}

const POSTING = { retries: 2, timeoutMs: 100, retryMaxDelayMs: 50 };
// (retries + 1) × timeout + retries × max delay + 1 s
const DEADLINE_MS = 3 * 100 + 2 * 50 + 1_000;

describe('the post deadline holds while waiting for a token', { timeout: 10_000 }, () => {
  test('a token server that never answers: the post ends at its deadline, "token unavailable"', async () => {
    const tokens = await silentTokenServer();
    const collector = await startCollector({ port: 0, publish: () => undefined });
    after(() => collector.close());
    const post = createPoster({
      ...POSTING,
      collectorUrl: `http://127.0.0.1:${collector.port}`,
      dataset: { id: 'ds', version: '1', webhookToken: 'unused-1' },
      appId: 'a1b2c3d4',
      // The token request's own timeout is far past the post's deadline.
      tokens: clientCredentials({
        keycloakUrl: tokens.url,
        realm: 'r',
        clientId: 'probe',
        clientSecret: 'deadline-secret-1',
        tokenTimeoutMs: 30_000,
      }),
    });
    const { error, tookMs } = await timed(post);
    assert.equal(error, 'token unavailable');
    assert.ok(tookMs >= DEADLINE_MS - 20 && tookMs < DEADLINE_MS + 1_000, `took ${tookMs} ms`);
    assert.equal(tokens.requests(), 1);
    assert.equal(collector.stats.requests.length, 0);
  });

  test('a 401, then a renewal that never comes: the post still ends at its deadline', async () => {
    const collector = await startCollector({
      port: 0,
      publish: () => undefined,
      acceptBearer: () => false, // every token refused: 401
    });
    after(() => collector.close());
    let asked = 0;
    const post = createPoster({
      ...POSTING,
      collectorUrl: `http://127.0.0.1:${collector.port}`,
      dataset: { id: 'ds', version: '1', webhookToken: 'unused-2' },
      appId: 'a1b2c3d4',
      // The first token comes at once; the renewal after the 401 never does.
      tokens: {
        token: () => (asked++ === 0 ? Promise.resolve('first') : new Promise(() => undefined)),
        invalidate: () => undefined,
      },
    });
    const { error, tookMs } = await timed(post);
    assert.equal(error, 'token unavailable');
    assert.ok(tookMs >= DEADLINE_MS - 20 && tookMs < DEADLINE_MS + 1_000, `took ${tookMs} ms`);
    assert.equal(collector.stats.requests.length, 1);
    assert.equal(asked, 2);
  });
});
