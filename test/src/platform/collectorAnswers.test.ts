import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, test } from 'node:test';
import { lastValueFrom, toArray } from 'rxjs';
import { isCollectorSuccess } from '../../../src/platform/collectorAnswer';
import { createPoster } from '../../../src/platform/poster';
import { rawServer } from '../../helpers/rawServer';

const RETRIES = 2;

/** One post against a raw server: its result and how many requests the server received. */
async function postTo(answer: (socket: Socket) => void) {
  const server = await rawServer(answer);
  const post = createPoster({
    collectorUrl: server.url,
    dataset: { id: 'ds', version: '1', webhookToken: 'raw-token-1' },
    appId: 'a1b2c3d4',
    retries: RETRIES,
    timeoutMs: 300,
    retryMaxDelayMs: 10,
  });
  try {
    const progress = await lastValueFrom(post(1).pipe(toArray()));
    return { result: progress.at(-1)?.kind ?? 'nothing', requests: server.requests() };
  } catch (error) {
    const { message, retries } = error as Error & { retries: number };
    return { result: message, retries, requests: server.requests() };
  } finally {
    await server.close();
  }
}

const head = (status: string, headers = 'Content-Length: 2') =>
  `HTTP/1.1 ${status}\r\n${headers}\r\n\r\n`;

describe('an answer the collector gave is an answer: a post error, never retried', () => {
  const cases: Array<[string, (socket: Socket) => void, string | RegExp]> = [
    ['status 999', (s) => s.write(`${head('999 Odd')}{}`), 'HTTP 999'],
    ['status 600', (s) => s.write(`${head('600 Odd')}{}`), 'HTTP 600'],
    ['a garbage status line', (s) => s.write('HTTX/9 what\r\n\r\n'), /^malformed answer \(HPE_/],
    [
      'an oversized header',
      (s) => s.write(`${head('200 OK', `X-Big: ${'y'.repeat(100_000)}`)}{}`),
      'malformed answer (HPE_HEADER_OVERFLOW)',
    ],
    [
      'a 200 whose body never ends',
      (s) => s.write(`${head('200 OK', 'Content-Length: 100')}{"message":`),
      'HTTP 200 cut short',
    ],
    [
      'a 503 whose body never ends',
      (s) => s.write(`${head('503 Busy', 'Content-Length: 100')}{"message":`),
      'HTTP 503 cut short',
    ],
    [
      'a 200 cut by a reset mid-body',
      (s) => {
        s.write(`${head('200 OK', 'Content-Length: 100')}{"m`);
        setTimeout(() => s.resetAndDestroy(), 20);
      },
      'HTTP 200 cut short',
    ],
    ['half a status line, then silence', (s) => s.write('HTTP/1.1 20'), 'answer cut short'],
  ];
  for (const [name, answer, expected] of cases) {
    test(name, async () => {
      const { result, retries, requests } = await postTo(answer);
      if (typeof expected === 'string') assert.equal(result, expected);
      else assert.match(result, expected);
      assert.equal(retries, 0);
      assert.equal(requests, 1, `${requests} requests`);
    });
  }
});

describe("a 2xx that is not the collector's answer is a post error, not retried", () => {
  const cases: Array<[string, string]> = [
    [
      'a proxy page',
      `${head('200 OK', 'Content-Type: text/html\r\nContent-Length: 25')}<html>Welcome!</html>\n\n\n\n`,
    ],
    ['no content', `${head('204 No Content', 'Content-Length: 0')}`],
    ['a JSON list', `${head('200 OK')}[]`],
    ['a JSON string', `${head('200 OK', 'Content-Length: 4')}"Ok"`],
  ];
  for (const [name, bytes] of cases) {
    test(name, async () => {
      const outcome = await postTo((s) => s.write(bytes));
      assert.deepEqual(outcome, { result: "not the collector's answer", retries: 0, requests: 1 });
    });
  }
});

describe('retried as docs/faults.md says: nothing received, 429 and 5xx', () => {
  test('a reset before any byte of an answer', async () => {
    const outcome = await postTo((s) => s.resetAndDestroy());
    assert.deepEqual(outcome, { result: 'ECONNRESET', retries: RETRIES, requests: RETRIES + 1 });
  });
  test('silence', async () => {
    const outcome = await postTo(() => undefined);
    assert.deepEqual(outcome, { result: 'timeout', retries: RETRIES, requests: RETRIES + 1 });
  });
  test('a whole 503 and a whole 429', async () => {
    for (const status of ['503 Busy', '429 Slow down']) {
      const outcome = await postTo((s) => s.write(`${head(status)}{}`));
      const code = status.slice(0, 3);
      assert.deepEqual(outcome, {
        result: `HTTP ${code}`,
        retries: RETRIES,
        requests: RETRIES + 1,
      });
    }
  });
  test("the collector's own success counts once", async () => {
    for (const body of ['{"message":"Ok"}', '{"status":"accepted"}']) {
      const bytes = `${head('200 OK', `Content-Length: ${body.length}`)}${body}`;
      assert.deepEqual(await postTo((s) => s.write(bytes)), { result: 'answered', requests: 1 });
    }
  });
});

describe('isCollectorSuccess', () => {
  test('a 2xx with a JSON object, and nothing else', () => {
    const yes: Array<[number, string]> = [
      [200, '{"message":"Ok"}'],
      [201, '{}'],
      [299, ' {"message":"Ok","extra":[1]} \n'],
    ];
    const no: Array<[number, unknown]> = [
      [200, '<html>login</html>'],
      [200, ''],
      [200, '[]'],
      [200, 'null'],
      [200, '"Ok"'],
      [200, '42'],
      [200, '{"message":'],
      [200, undefined],
      [200, { message: 'Ok' }],
      [199, '{}'],
      [300, '{}'],
      [500, '{"message":"Ok"}'],
    ];
    for (const [status, body] of yes) assert.equal(isCollectorSuccess(status, body), true, body);
    for (const [status, body] of no) {
      assert.equal(isCollectorSuccess(status, body), false, `${status} ${String(body)}`);
    }
  });
});
