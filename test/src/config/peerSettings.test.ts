import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/loadConfig';

/** The peer discovery's settings: strict forms, so a typo is refused at the start. */
const base = { PROBE_WEBHOOK_TOKEN: 't0k3n', PROBE_DATASET_ID: 'ds', LOCAL_SERVICES_ONLY: '1' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  return [];
}

test('unset, discovery is off: no name, the system resolver, every 5 s, one replica', () => {
  assert.deepEqual(loadConfig(base).peers, {
    srv: '',
    dnsServer: '',
    refreshMs: 5_000,
    replicas: 1,
  });
});

test('PROBE_PEERS_SRV takes DNS names, SRV labels and a final dot', () => {
  for (const name of [
    '_metrics._tcp.probe.monitoring.svc.cluster.local',
    'peers.example.',
    'a',
    `${'a'.repeat(63)}.example`,
  ]) {
    assert.deepEqual(problems({ PROBE_PEERS_SRV: name }), [], name);
    assert.equal(loadConfig({ ...base, PROBE_PEERS_SRV: ` ${name} ` }).peers.srv, name);
  }
});

test('PROBE_PEERS_SRV refuses what is not a DNS name, each with one line naming it', () => {
  for (const name of [
    'http://peers.example',
    'peers..example',
    '-peers.example',
    'peers-.example',
    `${'a'.repeat(64)}.example`,
    `${'abcdefgh.'.repeat(28)}xy`, // 254 characters
    'peers example',
    'pëers.example',
    'peers.example\nX',
    '.',
  ]) {
    const found = problems({ PROBE_PEERS_SRV: name });
    assert.equal(found.length, 1, `${JSON.stringify(name)}: ${found}`);
    assert.match(found[0], /^PROBE_PEERS_SRV: /);
  }
});

test('PROBE_DNS_SERVER takes an IP address with an optional port, and nothing else', () => {
  for (const good of ['10.96.0.10', '127.0.0.1:5353', '::1', '[::1]:5353', '[fd00::a]:53']) {
    assert.deepEqual(problems({ PROBE_DNS_SERVER: good }), [], good);
  }
  for (const bad of [
    'kube-dns.kube-system:53', // setServers takes no host name
    '127.0.0.1:0',
    '127.0.0.1:65536',
    '127.0.0.1:',
    '300.1.1.1',
    '[::1]',
    '::1:53:x',
    'udp://127.0.0.1:53',
  ]) {
    const found = problems({ PROBE_DNS_SERVER: bad });
    assert.equal(found.length, 1, `${bad}: ${found}`);
    assert.match(found[0], /^PROBE_DNS_SERVER: expected an IP address/);
  }
});

test('the refresh and the replicas have floors and ceilings', () => {
  assert.equal(loadConfig({ ...base, PROBE_PEERS_REFRESH_SECONDS: '0.5' }).peers.refreshMs, 500);
  assert.equal(loadConfig({ ...base, PROBE_TARGET_REPLICAS: '3' }).peers.replicas, 3);
  for (const [name, value] of [
    ['PROBE_PEERS_REFRESH_SECONDS', '0'],
    ['PROBE_PEERS_REFRESH_SECONDS', '301'],
    ['PROBE_PEERS_REFRESH_SECONDS', '5s'],
    ['PROBE_TARGET_REPLICAS', '0'],
    ['PROBE_TARGET_REPLICAS', '11'],
    ['PROBE_TARGET_REPLICAS', '1.5'],
  ]) {
    assert.equal(problems({ [name]: value }).length, 1, `${name}=${value}`);
  }
});
