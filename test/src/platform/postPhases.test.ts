import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { lastValueFrom } from 'rxjs';
import { freePort, listen } from '../../../local/listen';
import { registerHttpMetrics } from '../../../src/metrics/metricsHttp';
import type { PhaseSeconds } from '../../../src/platform/postAttempt';
import { createPoster } from '../../../src/platform/poster';
import { waitFor } from '../../helpers/stack';

type Answer = (request: IncomingMessage, response: ServerResponse) => void;

const ok: Answer = (_, response) => response.end('{"message":"Ok"}');

/** A collector whose answer is `answer`, and a poster that records each attempt's phases. */
async function setup(answer: Answer = ok, host = '127.0.0.1') {
  const server = createServer((request, response) =>
    request.resume().on('end', () => answer(request, response)),
  );
  const listening = await listen(server, 0);
  after(() => listening.close());
  return posterTo(`http://${host}:${listening.port}`);
}

function posterTo(url: string) {
  const seen: PhaseSeconds[] = [];
  const post = createPoster({
    collectorUrl: url,
    dataset: { id: 'ds', version: '1', webhookToken: 'phase-token-1' },
    appId: 'a1b2c3d4',
    retries: 0,
    timeoutMs: 2_000,
    retryMaxDelayMs: 10,
    onPhases: (phases) => seen.push(phases),
  });
  /** Posts once and waits for the attempt's phases, which come as its request closes. */
  const once = async () => {
    const before = seen.length;
    await lastValueFrom(post(1)).catch(() => undefined);
    await waitFor(() => seen.length > before, 2_000, 'the attempt to close');
    return seen[before];
  };
  return { once };
}

const names = (phases: PhaseSeconds) => Object.keys(phases).sort();

describe('post phases, per attempt', () => {
  test('a new connection to an IP literal: connect, wait, transfer; no resolve, no tls', async () => {
    const { once } = await setup();
    assert.deepEqual(names(await once()), ['connect', 'transfer', 'wait']);
    // The next post reuses the kept-alive connection: nothing to connect.
    assert.deepEqual(names(await once()), ['transfer', 'wait']);
  });

  test('a host name is resolved first', async () => {
    const { once } = await setup(ok, 'localhost');
    assert.deepEqual(names(await once()), ['connect', 'resolve', 'transfer', 'wait']);
  });

  test('wait runs to the first byte of the answer, transfer from it to the end of the body', async () => {
    const { once } = await setup((_, response) => {
      setTimeout(() => {
        response.writeHead(200, { 'Content-Length': '16' }).write('{"message"');
        setTimeout(() => response.end(':"Ok"}'), 150);
      }, 200);
    });
    const phases = await once();
    assert.ok((phases.wait ?? 0) >= 0.19, `wait ${phases.wait}`);
    assert.ok((phases.transfer ?? 0) >= 0.14, `transfer ${phases.transfer}`);
  });

  test('phases that did not end are not observed: refused, and a body cut short', async () => {
    const refused = posterTo(`http://127.0.0.1:${await freePort()}`);
    assert.deepEqual(names(await refused.once()), []);
    const { once } = await setup((_, response) => {
      response.writeHead(200, { 'Content-Length': '100' }).write('{');
      setTimeout(() => response.destroy(), 20);
    });
    assert.deepEqual(names(await once()), ['connect', 'wait']);
  });
});

describe('probe_event_post_phase_seconds', () => {
  test("observes the phases given into the collector's series, every phase exported from the start; they go with the last target posting there", async () => {
    const registry = new Registry();
    const metrics = registerHttpMetrics(registry);
    const A = 'https://collector-a.example:8443';
    const B = 'http://collector-b.example';
    const one = metrics.target('one', `${A}/webhook/event`);
    const two = metrics.target('two', `${A}/another/path?x=1`);
    const three = metrics.target('three', `${B}/webhook/event`);
    const count = async (collector: string, phase: string) => {
      const text = await registry.metrics();
      const line = new RegExp(
        `^probe_event_post_phase_seconds_count\\{collector="${collector}",phase="${phase}"\\} (\\d+)$`,
        'm',
      );
      return Number(line.exec(text)?.[1]);
    };
    const counts = (collector: string) =>
      Promise.all(
        ['resolve', 'connect', 'tls', 'wait', 'transfer'].map((p) => count(collector, p)),
      );
    assert.deepEqual(await counts(A), [0, 0, 0, 0, 0]);
    assert.deepEqual(await counts(B), [0, 0, 0, 0, 0]);
    one.observePhases({ wait: 0.1, transfer: 0.001 });
    two.observePhases({ connect: 0.01, wait: 0.2, transfer: 0.002 });
    two.certificate('token', 1_900_000_000);
    assert.deepEqual(await counts(A), [0, 1, 0, 2, 2]);
    assert.deepEqual(await counts(B), [0, 0, 0, 0, 0]);
    assert.match(
      await registry.metrics(),
      /^probe_tls_cert_expiry_timestamp_seconds\{target="two",endpoint="token"\} 1900000000$/m,
    );
    // Two stops: its certificate goes, A's phases stay (one posts there), its late report is
    // not counted, and a second remove changes nothing.
    two.remove();
    two.observePhases({ wait: 0.3 });
    two.remove();
    let text = await registry.metrics();
    assert.doesNotMatch(text, /target="two"/);
    assert.deepEqual(await counts(A), [0, 1, 0, 2, 2]);
    // One stops: nobody posts to A any more, so its series go; B's stay.
    one.remove();
    text = await registry.metrics();
    assert.doesNotMatch(text, /collector-a/);
    assert.deepEqual(await counts(B), [0, 0, 0, 0, 0]);
    three.remove();
    assert.doesNotMatch(await registry.metrics(), /probe_event_post_phase_seconds_count/);
  });
});
