import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ownerOf } from '../../streams/ownership';
import { tempDir, writeFiles } from '../helpers/files';
import { containers, type Manifest, manifests, one } from '../helpers/manifests';
import { run } from '../helpers/process';
import { scrape, waitFor } from '../helpers/stack';

/**
 * A pod of the StatefulSet as the kubelet starts it: the container's variables (the Secret's
 * values as stand-ins), the pod's name as HOSTNAME, and the ConfigMap mounted as a directory
 * laid out as the kubelet lays one (its files behind a `..data` symlink that an update swaps).
 * It must start as its shard and run the targets the rendezvous rule gives that shard.
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

test('a pod of the StatefulSet starts as its shard and runs the targets it owns', async (t) => {
  const shards = sts.spec.replicas as number;
  const index = shards - 1;
  const secret = (name: string) => `${name.toLowerCase()}-stand-in-7d1c`;
  const env: Record<string, string> = { HOSTNAME: `${sts.metadata.name}-${index}` };
  for (const e of containers(sts)[0].env as Manifest[]) {
    env[e.name] = e.valueFrom?.secretKeyRef ? secret(e.name) : e.value;
  }
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
      return metrics.has('probe_targets_owned');
    },
    10_000,
    () => `probe_targets_owned in a scrape:\n${probe.output()}`,
  );
  assert.equal(metrics.get('probe_targets_configured'), ids.length);
  const mine = ids.filter((id) => ownerOf(id, shards) === index);
  assert.equal(metrics.get('probe_targets_owned'), mine.length);
  assert.equal(metrics.get(`probe_shard_info{shard="${index}",shards="${shards}"}`), 1);
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.ok(!text.includes('stand-in-7d1c') && !probe.output().includes('stand-in-7d1c'));
});
