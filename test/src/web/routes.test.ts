import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Counter, type OpenMetricsContentType, Registry } from 'prom-client';
import { loadConfig } from '../../../src/config/loadConfig';
import type { RunningTarget } from '../../../src/targets/runTarget';
import { probeRoutes } from '../../../src/web/routes';
import { type HttpServer, startHttpServer } from '../../../src/web/server';
import { statusAssets } from '../../../src/web/status/statusAssets';
import { STATUS_PAGE_CSP } from '../../../src/web/status/statusPage';
import { step } from '../../../streams/tracker';
import { createTrackerState } from '../../../streams/trackerState';
import { productionWindows } from '../../helpers/tracker';

const OM = 'application/openmetrics-text';
let server: HttpServer;
const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
const SECRET = 'webhook-secret-4d1c';
const running = new Map<string, RunningTarget>();

/** A target as the probe runs it, whose latest post failed with an error that echoes its token. */
function runningTarget(id: string, appId: string): RunningTarget {
  const config = loadConfig({
    PROBE_WEBHOOK_TOKEN: SECRET,
    PROBE_DATASET_ID: `${id}-set`,
    WEBSOCKET_URL: 'ws://127.0.0.1:9',
    EVENT_COLLECTOR_URL: 'http://127.0.0.1:9',
  });
  const state = createTrackerState({ ...productionWindows, appId });
  step(state, { kind: 'post-started', seqno: 1, sentAt: 0, lagMs: 0, running: 1 }, 0);
  const error = `HTTP 401: bad token ${SECRET}`;
  step(state, { kind: 'post-failed', seqno: 1, durationMs: 1, retries: 0, error, running: 0 }, 1);
  return { id, labels: {}, config, appId, startedAt: -1e9, state };
}
const show = (...targets: RunningTarget[]) => {
  running.clear();
  for (const target of targets) running.set(target.id, target);
};

before(async () => {
  // An OpenMetrics registry, as the probe's is, with one counter.
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  new Counter({ name: 'demo_events_total', help: 'demo', registers: [registry] }).inc();
  server = await startHttpServer(
    0,
    '127.0.0.1',
    probeRoutes({
      registry: registry as unknown as Registry,
      status: {
        now: () => 1_000,
        redact: (text) => text.replaceAll(SECRET, '*****'),
        targets: () => running,
      },
      readinessProblems: () => [],
    }),
  );
});
after(() => server.close());

describe('the real server', () => {
  test('serves metrics in the format the Accept header prefers by q, text when in doubt', async () => {
    const cases: Array<[string | undefined, 'openmetrics' | 'text']> = [
      [undefined, 'text'],
      [`${OM}`, 'openmetrics'],
      [`${OM};q=0`, 'text'],
      [`${OM};q=0.5, text/plain`, 'text'],
      [`text/plain;q=0.5, ${OM}`, 'openmetrics'],
      [
        `${OM};version=1.0.0,${OM};version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1`,
        'openmetrics',
      ],
      [`${OM};q=lots`, 'text'],
      ['"><script>', 'text'],
      [`${'x/y;q=0.1, '.repeat(700)}${OM}`, 'openmetrics'], // about 8 KB, under Node's header limit
    ];
    for (const [accept, format] of cases) {
      const response = await fetch(url('/metrics'), { headers: accept ? { accept } : {} });
      const body = await response.text();
      assert.equal(response.status, 200, accept);
      const type = response.headers.get('content-type') ?? '';
      if (format === 'openmetrics') {
        assert.match(type, /^application\/openmetrics-text; version=1\.0\.0/, accept);
        assert.match(body, /# EOF\n$/, accept);
      } else {
        assert.equal(type, 'text/plain; version=0.0.4; charset=utf-8', accept);
        assert.match(body, /^demo_events_total 1$/m, accept);
      }
    }
  });

  test("the one target's page is titled after the target running now, also after a reload", async () => {
    show(runningTarget('solo', 'aaaa0001'));
    const before = await (await fetch(url('/status'))).text();
    assert.match(before, /<title>dataplatform-probe · solo-set v1<\/title>/);
    show(runningTarget('other', 'aaaa0002'));
    const after = await (await fetch(url('/status'))).text();
    assert.match(after, /<title>dataplatform-probe · other-set v1<\/title>/);
    assert.match(after, /<h1>dataplatform-probe · other-set v1<\/h1>/);
    assert.doesNotMatch(after, /solo/);
  });

  test('serves the page under a strict CSP, and its files at exact paths with a long cache', async () => {
    show(runningTarget('solo', 'aaaa0001'));
    const overview = await (await fetch(url('/status.json'))).text();
    show(runningTarget('solo', 'aaaa0001'), runningTarget('duo', 'aaaa0002'));
    const html2 = await (await fetch(url('/status'))).text();
    show(runningTarget('solo', 'aaaa0001'));
    assert.equal(JSON.parse(overview).appId, 'aaaa0001', 'one target: its own data, as before');
    const page = await fetch(url('/status'));
    assert.equal(page.headers.get('content-security-policy'), STATUS_PAGE_CSP);
    assert.doesNotMatch(STATUS_PAGE_CSP, /unsafe/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const html = await page.text();
    assert.match(html, /<title>dataplatform-probe · solo-set v1<\/title>/);
    assert.doesNotMatch(html, /<script>|<style>|style="/, 'no inline script or style');

    const assets = Object.values(statusAssets());
    const uplot = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'));
    assert.ok(
      assets.some((a) => a.body.equals(uplot)),
      'uPlot, as installed',
    );
    for (const asset of assets) {
      assert.ok(
        html.includes(`"${asset.path.slice(1)}"`) || html2.includes(`"${asset.path.slice(1)}"`),
        `a page links ${asset.path}`,
      );
      const response = await fetch(url(asset.path));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), asset.type);
      assert.match(asset.type, /^text\/(javascript|css); charset=utf-8$/);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.ok(Buffer.from(await response.arrayBuffer()).equals(asset.body));
      const head = await fetch(url(asset.path), { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal((await head.arrayBuffer()).byteLength, 0);
      assert.equal((await fetch(url(asset.path), { method: 'POST' })).status, 405);
      assert.equal((await fetch(url(`${asset.path}x`))).status, 404, 'exact paths only');
      assert.equal((await fetch(url(asset.path.replace(/\.\w+\./, '.')))).status, 404);
    }
    assert.equal((await fetch(url('/assets/../package.json'))).status, 404);
    assert.equal((await fetch(url('/assets/'))).status, 404);
  });

  test('with several targets: the overview, and the page and data of each target, at its id only', async () => {
    const hostile = '"><img src=x onerror=alert(1)>';
    show(runningTarget('beta', 'bbbb0002'), runningTarget('alpha', 'bbbb0001'));
    running.set(hostile, runningTarget(hostile, 'bbbb0003'));
    const page = await fetch(url('/status'));
    assert.equal(page.headers.get('content-security-policy'), STATUS_PAGE_CSP);
    const html = await page.text();
    assert.ok(html.includes(statusAssets().overviewScript.path.slice(1)), 'the overview');
    assert.ok(!html.includes(statusAssets().chartScript.path.slice(1)), 'no chart');
    assert.ok(!html.includes('<img'), 'a hostile id in the rows: escaped');
    assert.ok(html.includes('data-id="&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"'), 'as text');
    const overview = (await (await fetch(url('/status.json'))).json()) as {
      targets: Array<{ id: string; level: string; problem: string }>;
    };
    assert.deepEqual(
      overview.targets.map((row) => [row.id, row.level]),
      [
        [hostile, 'bad'],
        ['alpha', 'bad'],
        ['beta', 'bad'],
      ],
    );
    assert.match(overview.targets[1].problem, /^No listener connected/);
    assert.ok(!JSON.stringify(overview).includes(SECRET));

    const target = await fetch(url('/status/target?id=alpha'));
    assert.equal(target.status, 200);
    assert.equal(target.headers.get('content-security-policy'), STATUS_PAGE_CSP);
    const own = await target.text();
    assert.match(own, /<body data-json="target\.json\?id=alpha">/);
    assert.match(own, /<title>dataplatform-probe · alpha · alpha-set v1<\/title>/);
    // Its data is in the page from the start, written from what target.json serves: masked.
    assert.ok(own.includes('HTTP 401: bad token *****'), 'the post error, masked');
    assert.ok(!own.includes(SECRET) && !html.includes(SECRET), 'no secret on a page');
    assert.ok(
      own.includes(`"../${statusAssets().pageScript.path.slice(1)}"`),
      'assets from the root',
    );
    const data = (await (await fetch(url('/status/target.json?id=alpha'))).json()) as {
      appId: string;
      posting: { lastError: string };
    };
    assert.equal(data.appId, 'bbbb0001');
    assert.equal(data.posting.lastError, 'HTTP 401: bad token *****', 'its secret masked');

    // An id from the request is never written back; a running one only as text.
    const odd = await (await fetch(url(`/status/target?id=${encodeURIComponent(hostile)}`))).text();
    assert.ok(!odd.includes('<img'), 'escaped');
    assert.ok(odd.includes('&#34;&#62;&#60;img src=x onerror=alert(1)&#62;'), 'the title, as text');
    for (const asked of [
      '?id=gamma',
      '?id=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '?id=',
      '',
      '?id=__proto__',
      '?id=ALPHA',
      '?id=alpha%00',
      '?id=%E0%A4%A',
    ]) {
      for (const path of ['/status/target', '/status/target.json']) {
        const response = await fetch(url(`${path}${asked}`));
        assert.equal(response.status, 404, `${path}${asked}`);
        assert.equal(await response.text(), 'no such target\n');
      }
    }
    assert.equal((await fetch(url('/status/target/'))).status, 404, 'exact paths only');
    assert.equal((await fetch(url('/status/alpha'))).status, 404);
  });
});
