import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ownersOf } from '../../streams/shardOwners';
import { DNSMASQ, startDnsServer } from '../helpers/dnsServer';
import { tempDir, writeFiles } from '../helpers/files';
import { containers, type Manifest, manifests, one } from '../helpers/manifests';
import { run } from '../helpers/process';
import { scrape, waitFor } from '../helpers/stack';

/**
 * A pod of the StatefulSet as the kubelet starts it: the container's variables (the Secret's
 * values as stand-ins), the pod's name as HOSTNAME, and the ConfigMap mounted as a directory
 * laid out as the kubelet lays one (its files behind a `..data` symlink that an update swaps).
 * The headless Service's SRV records are served by a real DNS server (dnsmasq) listing the
 * three pods. It must run the targets the rendezvous rule over the live pods' names gives it.
 */
const all = manifests();
const sts = one(all, 'StatefulSet', 'probe');
const data: Record<string, string> = one(all, 'ConfigMap', 'probe-targets').data;

/** The ConfigMap as the kubelet mounts it. */
function mounted(): string {
  const dir = tempDir('probe-configmap-');
  const version = join(dir, '..2026_11_30_04_00_00.000000001');
  writeFiles(version, data);
  symlinkSync(basename(version), join(dir, '..data'));
  for (const name of Object.keys(data)) symlinkSync(join('..data', name), join(dir, name));
  return dir;
}

/** What the downward API gives a pod, by field path. */
const NAMESPACE = 'monitoring';
const FIELDS: Record<string, string> = { 'metadata.namespace': NAMESPACE };

test('a pod of the StatefulSet runs the targets it owns among the live pods', {
  skip: DNSMASQ.skip,
}, async (t) => {
  const pods = Array.from(
    { length: sts.spec.replicas as number },
    (_, i) => `${sts.metadata.name}-${i}`,
  );
  const self = pods[pods.length - 1];
  const secret = (name: string) => `${name.toLowerCase()}-stand-in-7d1c`;
  const env: Record<string, string> = { HOSTNAME: self };
  for (const e of containers(sts)[0].env as Manifest[]) {
    const value = e.valueFrom?.secretKeyRef
      ? secret(e.name)
      : e.valueFrom?.fieldRef
        ? FIELDS[e.valueFrom.fieldRef.fieldPath]
        : e.value;
    // The kubelet expands $(NAME) from the variables defined before.
    env[e.name] = String(value).replace(/\$\((\w+)\)/g, (_, name) => env[name] ?? '');
  }
  const host = (pod: string) => `${pod}.${sts.spec.serviceName}.${NAMESPACE}.svc.cluster.local`;
  const dns = await startDnsServer({
    [env.PROBE_PEERS_SRV]: pods.map((pod) => ({ host: host(pod), port: 8000 })),
  });
  env.PROBE_DNS_SERVER = dns.address;
  env.PROBE_TARGETS_FILE = mounted(); // where the volume is mounted, here
  env.METRICS_PORT = '0';
  const probe = run(env);
  t.after(() => probe.child.kill('SIGTERM'));
  const port = await probe.port();
  const ids: string[] = parse(data['targets.yaml']).targets.map((x: { id: string }) => x.id);
  let metrics = new Map<string, number>();
  await waitFor(
    async () => {
      metrics = await scrape(port);
      // Owned are counted once the peers are known: every pod of the answer.
      return metrics.get('probe_shard_peers') === pods.length;
    },
    10_000,
    () => `probe_shard_peers ${pods.length} in a scrape:\n${probe.output()}`,
  );
  assert.equal(metrics.get('probe_targets_configured'), ids.length);
  for (const pod of pods) assert.equal(metrics.get(`probe_shard_peer_info{peer="${pod}"}`), 1, pod);
  const mine = ids.filter((id) => ownersOf(id, pods, 1).includes(self));
  assert.equal(metrics.get('probe_targets_owned'), mine.length);
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.ok(!text.includes('stand-in-7d1c') && !probe.output().includes('stand-in-7d1c'));
});
