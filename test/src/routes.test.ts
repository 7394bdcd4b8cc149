import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Counter, type OpenMetricsContentType, Registry } from 'prom-client';
import { probeRoutes } from '../../src/routes';
import { type HttpServer, startHttpServer } from '../../src/server';
import { statusAssets } from '../../src/statusAssets';
import { STATUS_PAGE_CSP, statusPage } from '../../src/statusPage';

const OM = 'application/openmetrics-text';
let server: HttpServer;
const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

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
      page: statusPage('demo <probe>'),
      statusJson: () => '{}',
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

  test('serves the page under a strict CSP, and its files at exact paths with a long cache', async () => {
    const page = await fetch(url('/status'));
    assert.equal(page.headers.get('content-security-policy'), STATUS_PAGE_CSP);
    assert.doesNotMatch(STATUS_PAGE_CSP, /unsafe/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const html = await page.text();
    assert.match(html, /<title>demo &#60;probe&#62;<\/title>/);
    assert.doesNotMatch(html, /<script>|<style>|style="/, 'no inline script or style');

    const assets = Object.values(statusAssets());
    const uplot = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'));
    assert.ok(
      assets.some((a) => a.body.equals(uplot)),
      'uPlot, as installed',
    );
    for (const asset of assets) {
      assert.ok(html.includes(`"${asset.path.slice(1)}"`), `the page links ${asset.path}`);
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
});
