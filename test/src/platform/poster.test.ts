import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, describe, test } from 'node:test';
import { lastValueFrom, toArray } from 'rxjs';
import { startCollector } from '../../../local/collector';
import { listen } from '../../../local/listen';
import { startTokenServer } from '../../../local/tokenServer';
import { clientCredentials } from '../../../src/platform/auth';
import { createPoster, type PosterOptions } from '../../../src/platform/poster';

const TOKEN = 'hook-token-9c1e';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body: string;
  at: number;
}

/** A real HTTP server whose n-th answer is `answers(n)`; `hang` never answers. */
async function server(
  answer: (n: number, seen: Seen) => [number, string, Record<string, string>?] | 'hang',
) {
  const seen: Seen[] = [];
  const open = new Set<ServerResponse>();
  const http = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        body,
        at: Date.now(),
      };
      seen.push(entry);
      const reply = answer(seen.length, entry);
      if (reply === 'hang') {
        open.add(response);
        return;
      }
      const [status, text, headers = {}] = reply;
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(text);
    });
  });
  const listening = await listen(http, 0);
  return {
    url: `http://127.0.0.1:${listening.port}`,
    seen,
    close: () =>
      listening.close(() => {
        for (const r of open) r.destroy();
      }),
  };
}

const OK: [number, string] = [200, '{"message":"Ok"}'];

function poster(url: string, extra: Partial<PosterOptions> = {}) {
  return createPoster({
    collectorUrl: url,
    dataset: { id: 'my-dataset', version: '2', webhookToken: TOKEN },
    appId: 'a1b2c3d4',
    retries: 3,
    timeoutMs: 1_000,
    retryMaxDelayMs: 50,
    ...extra,
  });
}

/** Runs one post to its end: its answer (after it said it went on the wire), or its failure. */
async function attempt(post: ReturnType<typeof createPoster>, seqno: number) {
  try {
    const progress = await lastValueFrom(post(seqno).pipe(toArray()));
    const answer = progress.at(-1);
    assert.ok(answer?.kind === 'answered', JSON.stringify(progress));
    assert.equal(progress[0].kind, 'on-the-wire', 'the wire time comes first');
    return { ok: true as const, retries: answer.retries };
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return {
      ok: false as const,
      error: (error as Error).message,
      retries: (error as { retries: number }).retries,
    };
  }
}

describe('webhook posting', () => {
  test('posts exactly {app_id, seqno, time_sent} to /webhook/event/{dataset}/{version}?token=…', async () => {
    const collector = await startCollector({
      port: 0,
      publish: () => undefined,
      webhookToken: TOKEN,
      datasets: ['my-dataset'],
    });
    after(() => collector.close());
    const before = Date.now();
    const result = await attempt(poster(`http://127.0.0.1:${collector.port}`), 7);
    assert.deepEqual(result, { ok: true, retries: 0 });
    const [request] = collector.stats.requests;
    assert.equal(request.path, '/webhook/event/my-dataset/2');
    assert.equal(request.auth, 'webhook');
    assert.equal(request.token, TOKEN);
    const body = JSON.parse(request.body);
    assert.deepEqual(Object.keys(body), ['app_id', 'seqno', 'time_sent']);
    assert.equal(body.app_id, 'a1b2c3d4');
    assert.equal(body.seqno, 7);
    assert.match(body.time_sent, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Date.parse(body.time_sent) >= before - 5);
  });

  test('answers of the real collector: 403 and 404 are not retried', async () => {
    const collector = await startCollector({
      port: 0,
      publish: () => undefined,
      webhookToken: TOKEN,
      datasets: ['other'],
    });
    after(() => collector.close());
    const url = `http://127.0.0.1:${collector.port}`;
    assert.deepEqual(await attempt(poster(url), 1), { ok: false, error: 'HTTP 404', retries: 0 });
    assert.deepEqual(
      await attempt(
        poster(url, { dataset: { id: 'my-dataset', version: '2', webhookToken: 'wrong' } }),
        1,
      ),
      {
        ok: false,
        error: 'HTTP 403',
        retries: 0,
      },
    );
    assert.equal(collector.stats.requests.length, 2);
  });
});

describe('retries', () => {
  test('two 503s then success is a success after 2 retries', async () => {
    const stub = await server((n) => (n <= 2 ? [503, '{}'] : OK));
    after(() => stub.close());
    assert.deepEqual(await attempt(poster(stub.url), 1), { ok: true, retries: 2 });
    assert.equal(stub.seen.length, 3);
  });

  test('persistent 500s fail after exactly POST_EVENT_RETRIES retries', async () => {
    for (const retries of [0, 2, 3]) {
      const stub = await server(() => [500, '{"failedElements":[]}']);
      const result = await attempt(poster(stub.url, { retries }), 1);
      await stub.close();
      assert.deepEqual(result, { ok: false, error: 'HTTP 500', retries });
      assert.equal(stub.seen.length, retries + 1);
    }
  });

  test('400 is not retried; 429 is, honouring Retry-After', async () => {
    const bad = await server(() => [400, '{"message":"Bad request"}']);
    after(() => bad.close());
    assert.deepEqual(await attempt(poster(bad.url), 1), {
      ok: false,
      error: 'HTTP 400',
      retries: 0,
    });
    assert.equal(bad.seen.length, 1);

    const busy = await server((n) => (n === 1 ? [429, '{}', { 'Retry-After': '1' }] : OK));
    after(() => busy.close());
    const result = await attempt(poster(busy.url, { retryMaxDelayMs: 5_000 }), 1);
    assert.deepEqual(result, { ok: true, retries: 1 });
    const waited = busy.seen[1].at - busy.seen[0].at;
    assert.ok(waited >= 950, `waited ${waited} ms after Retry-After: 1`);
  });

  test('a hanging collector times out each attempt, and the failure says timeout', async () => {
    const stub = await server(() => 'hang');
    after(() => stub.close());
    const result = await attempt(poster(stub.url, { timeoutMs: 150, retries: 1 }), 1);
    assert.deepEqual(result, { ok: false, error: 'timeout', retries: 1 });
    assert.equal(stub.seen.length, 2);
  });

  test('a connection refused is retried and reported without the URL or token', async () => {
    const stub = await server(() => OK);
    await stub.close();
    const result = await attempt(poster(stub.url, { retries: 1 }), 1);
    assert.deepEqual(result, { ok: false, error: 'ECONNREFUSED', retries: 1 });
  });

  test('an answer larger than the cap is an error, not buffered', async () => {
    const stub = await server(() => [200, JSON.stringify({ message: 'x'.repeat(200_000) })]);
    after(() => stub.close());
    const result = await attempt(poster(stub.url, { retries: 0 }), 1);
    assert.equal(result.ok, false);
  });

  test('an answer the collector gave is never retried unless its status says so', async () => {
    // Too large, or cut off mid-body: the collector may have taken the event, and a retry would
    // be delivered again and counted as the pipeline's duplicate.
    const big = JSON.stringify({ message: 'x'.repeat(200_000) });
    const answers: Array<[string, (response: ServerResponse) => void]> = [
      ['200, too large', (r) => r.writeHead(200).end(big)],
      ['400, too large', (r) => r.writeHead(400).end(big)],
      [
        '200, cut off',
        (r) => {
          r.writeHead(200, { 'Content-Length': '100' }).write('{"message":');
          setTimeout(() => r.destroy(), 20);
        },
      ],
    ];
    for (const [name, answer] of answers) {
      let requests = 0;
      const http = createServer((request, response) => {
        requests += 1;
        request.resume().on('end', () => answer(response));
      });
      const listening = await listen(http, 0);
      const result = await attempt(poster(`http://127.0.0.1:${listening.port}`), 1);
      await listening.close();
      assert.equal(result.ok, false, name);
      assert.equal(requests, 1, `${name}: ${requests} requests`);
    }
  });

  test('an answer that drips a byte at a time ends at the post deadline', async () => {
    const http = createServer((request, response) => {
      request.resume().on('end', () => {
        response.writeHead(200, { 'Content-Length': '1000' });
        const drip = setInterval(() => response.write(' '), 50);
        response.on('close', () => clearInterval(drip));
      });
    });
    const listening = await listen(http, 0);
    after(() => listening.close((): void => http.closeAllConnections()));
    const started = Date.now();
    // Deadline: (0 + 1) × 200 ms + 0 × 0 + 1 s.
    const result = await attempt(
      poster(`http://127.0.0.1:${listening.port}`, {
        timeoutMs: 200,
        retries: 0,
        retryMaxDelayMs: 0,
      }),
      1,
    );
    const took = Date.now() - started;
    assert.equal(result.ok, false);
    assert.ok(took >= 1_100 && took < 3_000, `ended after ${took} ms`);
  });

  test('no dataset id or version can re-path the post', async () => {
    const stub = await server(() => OK);
    after(() => stub.close());
    const hostile = ['...', '../x', 'a/b', '%2e%2e', '%2E', '?q=1', '#f', ' x ', 'ü', '.x', 'x/..'];
    for (const id of hostile) {
      for (const dataset of [
        { id, version: '1', webhookToken: TOKEN },
        { id: 'ds', version: id, webhookToken: TOKEN },
      ]) {
        await attempt(poster(stub.url, { dataset, retries: 0 }), 1);
        const path = (stub.seen.at(-1)?.url ?? '').split('?')[0];
        const segments = path.split('/').map(decodeURIComponent);
        assert.deepEqual(segments, ['', 'webhook', 'event', dataset.id, dataset.version], path);
      }
    }
    for (const dot of ['.', '..']) {
      assert.throws(() =>
        poster(stub.url, { dataset: { id: dot, version: '1', webhookToken: TOKEN } }),
      );
      assert.throws(() =>
        poster(stub.url, { dataset: { id: 'ds', version: dot, webhookToken: TOKEN } }),
      );
      assert.throws(() =>
        clientCredentials({
          keycloakUrl: stub.url,
          realm: dot,
          clientId: 'c',
          clientSecret: 'never-sent-1',
          tokenTimeoutMs: 100,
        }),
      );
    }
  });
});

/** A token server, a collector that checks its tokens, and a bearer poster between them. */
async function bearerSetup(
  server: Partial<Parameters<typeof startTokenServer>[0]>,
  source: Partial<Parameters<typeof clientCredentials>[0]> = {},
) {
  const secret = 'client-secret-77';
  const tokens = await startTokenServer({
    port: 0,
    clientId: 'probe',
    clientSecret: secret,
    ...server,
  });
  const collector = await startCollector({
    port: 0,
    publish: () => undefined,
    acceptBearer: (t) => tokens.isValid(t),
  });
  after(() => Promise.all([tokens.close(), collector.close()]));
  const credentials = clientCredentials({
    keycloakUrl: `http://127.0.0.1:${tokens.port}`,
    realm: 'api-catalog',
    clientId: 'probe',
    clientSecret: secret,
    tokenTimeoutMs: 1_000,
    ...source,
  });
  const post = poster(`http://127.0.0.1:${collector.port}`, { tokens: credentials, retries: 0 });
  return { tokens, collector, post };
}

describe('bearer posting with client credentials', () => {
  test('a token from the grant is reused across posts and renewed before expiry; no post fails', async () => {
    const { tokens, collector, post } = await bearerSetup({ expiresInSeconds: 1 });
    const results = [];
    const startedAt = Date.now();
    for (let seqno = 1; seqno <= 25; seqno++) {
      results.push(await attempt(post, seqno));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(
      results.every((r) => r.ok && r.retries === 0),
      JSON.stringify(results.filter((r) => !r.ok)),
    );
    const requests = collector.stats.requests;
    assert.ok(requests.every((r) => r.path === '/event/my-dataset/2' && r.auth === 'bearer'));
    assert.ok(requests.every((r) => r.token !== undefined && tokens.issued.includes(r.token)));
    // ~2.5 s of posting with 1 s tokens renewed at 80 % of their life: one token per 0.8 s
    // (plus the first), never one per post.
    const elapsed = Date.now() - startedAt;
    const most = Math.ceil(elapsed / 800) + 1;
    assert.ok(
      tokens.issued.length >= 3 && tokens.issued.length <= most,
      `${tokens.issued.length} tokens in ${elapsed} ms`,
    );
  });

  test('a 401 renews the token and retries once', async () => {
    const { tokens, post } = await bearerSetup({ expiresInSeconds: 300 });
    assert.deepEqual(await attempt(post, 1), { ok: true, retries: 0 });
    tokens.revokeAll();
    assert.deepEqual(await attempt(post, 2), { ok: true, retries: 1 });
    assert.equal(tokens.issued.length, 2);
  });

  test('a failing token server fails posts fast, is retried with backoff, and recovers', async () => {
    const requests: string[] = [];
    let now = 0;
    const { tokens, collector, post } = await bearerSetup(
      { failWith: 500 },
      { now: () => now, onRequest: (result, detail) => requests.push(`${result} ${detail}`) },
    );
    const first = await attempt(post, 1);
    assert.equal(first.ok, false);
    assert.match(first.ok ? '' : first.error, /token request failed: HTTP 500/);
    // Within the backoff the token server is not asked again.
    const second = await attempt(post, 2);
    assert.match(second.ok ? '' : second.error, /waiting to retry/);
    assert.deepEqual(requests, ['error HTTP 500']);
    tokens.setFailure(null);
    now += 60_000;
    assert.deepEqual(await attempt(post, 3), { ok: true, retries: 0 });
    assert.equal(requests.length, 2);
    assert.equal(collector.stats.requests.length, 1);
  });

  test('a token server answering non-JSON, too much, or nothing fails cleanly, each as a post error', async () => {
    const answers: Array<[string, ReturnType<typeof server>]> = [
      ['answer has no access_token', server(() => [200, '<html>login</html>'])],
      ['answer has no valid expires_in', server(() => [200, '{"access_token":"abc"}'])],
      [
        'token request failed',
        server(() => [200, JSON.stringify({ access_token: 'x'.repeat(400_000), expires_in: 60 })]),
      ],
      ['timeout', server(() => 'hang')],
    ];
    for (const [expected, pending] of answers) {
      const stub = await pending;
      const source = clientCredentials({
        keycloakUrl: stub.url,
        realm: 'r',
        clientId: 'probe',
        clientSecret: 'never-shown-1',
        tokenTimeoutMs: 300,
      });
      const post = poster('http://127.0.0.1:9', { tokens: source, retries: 0 });
      const result = await attempt(post, 1);
      await stub.close();
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.error, new RegExp(expected));
      assert.ok(!(result.ok ? '' : result.error).includes('never-shown-1'));
    }
  });
});
