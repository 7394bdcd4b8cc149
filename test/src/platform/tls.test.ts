import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { connect } from 'node:tls';
import { startCollector } from '../../../local/collector';
import { startHub } from '../../../local/hub';
import { startTokenServer } from '../../../local/tokenServer';
import { earliestNotAfter } from '../../../src/platform/certExpiry';
import { makeCertificates } from '../../helpers/certificates';
import { run } from '../../helpers/process';
import { DATASET, LOOPBACK_METRICS, scrape, startStack, waitFor } from '../../helpers/stack';
import { tlsProxy } from '../../helpers/tlsProxy';
import { tool } from '../../helpers/tools';

const openssl = tool('openssl');
const EXPIRY = 'probe_tls_cert_expiry_timestamp_seconds';

/** A local TLS server presenting the chain, and what the client saw of it. */
async function notAfterSeen(certificates: ReturnType<typeof makeCertificates>) {
  const proxy = await tlsProxy(9, certificates);
  try {
    const socket = connect({ host: 'localhost', port: proxy.port, ca: certificates.ca });
    await new Promise((resolve, reject) =>
      socket.once('secureConnect', resolve).once('error', reject),
    );
    const seen = earliestNotAfter(socket);
    socket.destroy();
    return seen;
  } finally {
    await proxy.close();
  }
}

describe('certificate expiry', { skip: openssl.skip, timeout: 60_000 }, () => {
  test('is the earliest notAfter of the chain presented, the CA or the leaf', async () => {
    for (const [caDays, leafDays, earliest] of [
      [30, 400, 'ca'],
      [400, 10, 'leaf'],
    ] as const) {
      const certificates = makeCertificates(openssl.path ?? '', caDays, leafDays);
      after(() => certificates.remove());
      const expected = earliest === 'ca' ? certificates.caNotAfter : certificates.leafNotAfter;
      assert.notEqual(certificates.caNotAfter, certificates.leafNotAfter);
      assert.equal(await notAfterSeen(certificates), expected, `${earliest} expires first`);
    }
  });

  test('the probe reports it for the collector, the subscription and the token server over TLS', async () => {
    const certificates = makeCertificates(openssl.path ?? '');
    after(() => certificates.remove());
    const webhook = 'tls-webhook-token-4b1d';
    const secret = 'tls-client-secret-8e2a';
    const hub = await startHub({ port: 0, token: webhook });
    const tokens = await startTokenServer({ port: 0, clientId: 'probe', clientSecret: secret });
    const collector = await startCollector({
      port: 0,
      publish: (dataset, json) => hub.publish(dataset, json),
      acceptBearer: (token) => tokens.isValid(token),
    });
    const proxies = await Promise.all(
      [collector.port, hub.port, tokens.port].map((port) => tlsProxy(port, certificates)),
    );
    const [collectorTls, hubTls, tokensTls] = proxies;
    const probe = run({
      NODE_EXTRA_CA_CERTS: certificates.caFile,
      PROBE_WEBHOOK_TOKEN: webhook,
      PROBE_DATASET_ID: DATASET,
      OKDATA_CLIENT_ID: 'probe',
      OKDATA_CLIENT_SECRET: secret,
      EVENT_COLLECTOR_URL: `https://localhost:${collectorTls.port}`,
      WEBSOCKET_URL: `wss://localhost:${hubTls.port}`,
      KEYCLOAK_SERVER_URL: `https://localhost:${tokensTls.port}`,
      POST_EVENT_INTERVAL_SECONDS: '0.05',
      LISTENER_STAGGER_SECONDS: '0.05',
      ...LOOPBACK_METRICS,
    });
    after(async () => {
      probe.child.kill('SIGKILL');
      await probe.exit;
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await Promise.all([hub.close(), tokens.close(), collector.close()]);
    });
    const port = await probe.port();
    let metrics = new Map<string, number>();
    await waitFor(
      async () => {
        metrics = await scrape(port);
        return (metrics.get('probe_events_received_total') ?? 0) >= 30;
      },
      10_000,
      () => `events received over wss:\n${probe.output().slice(-2_000)}`,
    );
    for (const endpoint of ['collector', 'subscription', 'token']) {
      const series = `${EXPIRY}{endpoint="${endpoint}"}`;
      assert.equal(metrics.get(series), certificates.caNotAfter, series);
    }
    const phases = (phase: string) =>
      metrics.get(
        `probe_event_post_phase_seconds_count{collector="https://localhost:${collectorTls.port}",phase="${phase}"}`,
      ) ?? 0;
    const posted = metrics.get('probe_events_posted_total') ?? 0;
    // The first posts opened connections (a name to resolve, TCP, TLS); later ones reuse them.
    for (const phase of ['resolve', 'connect', 'tls']) {
      assert.ok(phases(phase) >= 1 && phases(phase) < posted, `${phase}: ${phases(phase)}`);
    }
    // Every attempt waits and transfers, on the one connection.
    for (const phase of ['wait', 'transfer']) {
      assert.ok(phases(phase) > phases('connect'), `${phase}: ${phases(phase)}`);
    }
  });

  test('a probe on plain http and ws has no certificate series, and an IP literal no resolve', async () => {
    const stack = await startStack({ POST_EVENT_INTERVAL_SECONDS: '0.05' });
    try {
      let metrics = new Map<string, number>();
      await waitFor(async () => {
        metrics = await scrape(stack.probe.port);
        return (metrics.get('probe_events_posted_total') ?? 0) >= 3;
      });
      assert.deepEqual(
        [...metrics.keys()].filter((name) => name.startsWith(EXPIRY)),
        [],
      );
      const phases = (phase: string) =>
        metrics.get(
          `probe_event_post_phase_seconds_count{collector="http://127.0.0.1:${stack.collector.port}",phase="${phase}"}`,
        );
      assert.equal(phases('resolve'), 0);
      assert.equal(phases('tls'), 0);
      assert.ok((phases('connect') ?? 0) >= 1);
    } finally {
      await stack.stop();
    }
  });
});
