import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, test } from 'node:test';
import type { Subscription } from 'rxjs';
import { type Lookup, livePeers$, type PeerView, selfName } from '../../../src/shards/livePeers';
import { DNSMASQ, type SrvRecords, startDnsServer } from '../../helpers/dnsServer';
import { waitFor } from '../../helpers/stack';

/**
 * Discovery against a real DNS server (dnsmasq) whose records the test changes, as a headless
 * Service's change when pods come and go. No resolver inside the probe is replaced.
 */
const NAME = '_metrics._tcp.probe.ns.svc.cluster.local';
const host = (pod: string) => `${pod}.probe.ns.svc.cluster.local`;
const records = (...pods: string[]): SrvRecords => ({
  [NAME]: pods.map((pod) => ({ host: host(pod), port: 8000 })),
});

type Seen = { lookup: Lookup; failures: number } | { view: PeerView };

function watch(options: Partial<Parameters<typeof livePeers$>[0]> & { dnsServer: string }) {
  const seen: Seen[] = [];
  const subscription: Subscription = livePeers$({
    srv: NAME,
    hostname: host('probe-1'),
    refreshMs: 100,
    failureBound: 1_000,
    onLookup: (lookup, failures) => seen.push({ lookup, failures }),
    ...options,
  }).subscribe((view) => seen.push({ view }));
  const views = () => seen.flatMap((s) => ('view' in s ? [s.view] : []));
  const lookups = () => seen.flatMap((s) => ('lookup' in s ? [s] : []));
  return { seen, views, lookups, stop: () => subscription.unsubscribe() };
}

const nextView = async (w: ReturnType<typeof watch>, after: number, what: string) => {
  await waitFor(
    () => w.views().length > after,
    10_000,
    () => `${what}: ${JSON.stringify(w.seen)}`,
  );
  return w.views()[after];
};

describe('live peers from DNS SRV records', { skip: DNSMASQ.skip }, () => {
  test('the first list, then a pod gone and a pod come, each seen at the next good look-up', async (t) => {
    const dns = await startDnsServer(records('probe-0', 'probe-1', 'probe-2'));
    const w = watch({ dnsServer: dns.address });
    t.after(w.stop);
    const resolved = (...peers: string[]) => ({ peers, status: 'resolved' });
    assert.deepEqual(
      await nextView(w, 0, 'the first list'),
      resolved('probe-0', 'probe-1', 'probe-2'),
    );

    for (const [pods, expected] of [
      [
        ['probe-0', 'probe-1'],
        ['probe-0', 'probe-1'],
      ],
      [
        ['probe-3', 'probe-0', 'probe-1'],
        ['probe-0', 'probe-1', 'probe-3'],
      ],
    ]) {
      const views = w.views().length;
      await dns.setRecords(records(...pods));
      const mark = w.seen.length;
      assert.deepEqual(await nextView(w, views, pods.join()), resolved(...expected));
      // Seen within one refresh: the first good look-up after the change is the one that shows it.
      const firstOk = w.seen.findIndex(
        (s, i) => i >= mark && 'lookup' in s && s.lookup.outcome === 'ok',
      );
      assert.deepEqual(w.seen[firstOk + 1], { view: resolved(...expected) });
    }
    // Nothing emitted when nothing changed.
    const count = w.views().length;
    const looked = w.lookups().length;
    await waitFor(() => w.lookups().length >= looked + 3);
    assert.equal(w.views().length, count);
  });

  test('this process is always a peer, in the answer or not', async (t) => {
    const dns = await startDnsServer(records('probe-0', 'probe-2'));
    const w = watch({ dnsServer: dns.address, hostname: 'PROBE-1' });
    t.after(w.stop);
    assert.deepEqual((await nextView(w, 0, 'the list')).peers, ['probe-0', 'probe-1', 'probe-2']);
  });

  test('server down: the last list is kept, failures counted, then a clear state; back: resolved', async (t) => {
    const dns = await startDnsServer(records('probe-0', 'probe-1', 'probe-2'));
    const w = watch({ dnsServer: dns.address, failureBound: 4 });
    t.after(w.stop);
    await nextView(w, 0, 'the first list');
    await dns.stop();
    const unresolved = await nextView(w, 1, 'the unresolved state');
    assert.deepEqual(unresolved, {
      peers: ['probe-0', 'probe-1', 'probe-2'],
      status: 'unresolved',
    });
    const failed = w.lookups().filter((s) => s.lookup.outcome !== 'ok');
    assert.deepEqual(
      failed.slice(0, 4).map((s) => s.failures),
      [1, 2, 3, 4],
      'each failure counted, in a row',
    );
    // Before the bound, no view: the last good list stood.
    const at = w.seen.findIndex((s) => 'view' in s && s.view.status === 'unresolved');
    assert.equal(w.seen.slice(0, at).filter((s) => 'lookup' in s && s.failures > 0).length, 4);
    await dns.setRecords(records('probe-0', 'probe-1', 'probe-2'));
    assert.deepEqual(await nextView(w, 2, 'resolved again'), {
      peers: ['probe-0', 'probe-1', 'probe-2'],
      status: 'resolved',
    });
  });

  test('an empty answer is no answer: the last list stays, counted as empty', async (t) => {
    const dns = await startDnsServer(records('probe-0', 'probe-1'));
    const w = watch({ dnsServer: dns.address, failureBound: 3 });
    t.after(w.stop);
    await nextView(w, 0, 'the first list');
    await dns.setRecords({
      '_other._tcp.probe.ns.svc.cluster.local': [{ host: 'x.test', port: 1 }],
    });
    const view = await nextView(w, 1, 'unresolved');
    assert.deepEqual(view, { peers: ['probe-0', 'probe-1'], status: 'unresolved' });
    assert.ok(
      w.lookups().some((s) => s.lookup.outcome === 'empty'),
      JSON.stringify(w.seen),
    );
  });

  test('never answered: nothing until the bound, then this process alone, unresolved', async (t) => {
    const dns = await startDnsServer({});
    const w = watch({ dnsServer: dns.address, failureBound: 2 });
    t.after(w.stop);
    assert.deepEqual(await nextView(w, 0, 'unresolved'), {
      peers: ['probe-1'],
      status: 'unresolved',
    });
    assert.equal(w.lookups().filter((s) => s.failures > 0).length >= 2, true);
  });

  test('hostile answers: too many records and names no pod has are refused, and counted', async (t) => {
    const many = Array.from({ length: 1_100 }, (_, i) => ({ host: host(`p-${i}`), port: 8000 }));
    const bad = ['bad_name.x', '_metrics.x', 'bad-.x', 'ok-a.x', 'OK-B.x'];
    const dns = await startDnsServer({
      [NAME]: many,
      '_metrics._tcp.bad.test': bad.map((h) => ({ host: h, port: 8000 })),
    });
    const w = watch({ dnsServer: dns.address, maxPeers: 1_000 });
    t.after(w.stop);
    const view = await nextView(w, 0, 'the capped list');
    assert.equal(view.peers.length, 1_000 + 1, 'the cap, and this process');
    const first = w.lookups()[0].lookup;
    assert.equal(first.outcome, 'ok');
    assert.ok(first.outcome === 'ok' && first.refused > 0, JSON.stringify(first).slice(0, 200));

    const b = watch({ dnsServer: dns.address, srv: '_metrics._tcp.bad.test' });
    t.after(b.stop);
    assert.deepEqual((await nextView(b, 0, 'the good names')).peers, ['ok-a', 'ok-b', 'probe-1']);
    const lookup = b.lookups()[0].lookup;
    assert.deepEqual(lookup, { outcome: 'ok', peers: ['ok-a', 'ok-b', 'probe-1'], refused: 3 });
  });
});

test('a resolver that never answers: each look-up ends at the bound, as a timeout', async (t) => {
  const silent = createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  t.after(() => silent.close());
  const w = watch({
    dnsServer: `127.0.0.1:${silent.address().port}`,
    timeoutMs: 50,
    failureBound: 3,
  });
  t.after(w.stop);
  assert.deepEqual(await nextView(w, 0, 'unresolved'), {
    peers: ['probe-1'],
    status: 'unresolved',
  });
  assert.deepEqual(
    w
      .lookups()
      .slice(0, 3)
      .map((s) => s.lookup.outcome),
    ['timeout', 'timeout', 'timeout'],
  );
});

test('the peer name of this process is its host name’s first label, and must be one', () => {
  assert.equal(selfName('probe-2.probe.ns.svc.cluster.local'), 'probe-2');
  assert.equal(selfName('Probe-2'), 'probe-2');
  for (const bad of ['', '_x', 'a b', '-x', 'x'.repeat(64)])
    assert.throws(() => selfName(bad), bad);
});
