import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { ownersOf } from '../../streams/shardOwners';
import { type DnsServer, startDnsServer } from './dnsServer';
import { tempDir } from './files';
import { type Running, run } from './process';
import { LOOPBACK_METRICS, scrape, waitFor } from './stack';

/**
 * Shards as a StatefulSet runs them, with real processes: each a pod named by HOSTNAME, all on
 * one targets file (one dataset per target), knowing each other from the SRV records of a
 * headless Service that a real DNS server (dnsmasq) serves and the test changes as pods come,
 * go ready or go away.
 */
export const SRV = '_metrics._tcp.probe.ns.svc.cluster.local';
const host = (pod: string) => `${pod}.probe.ns.svc.cluster.local`;

export interface Fleet {
  readonly ids: readonly string[];
  readonly dns: DnsServer;
  /** The running process of each pod, by name. */
  readonly pods: Map<string, Running>;
  /** Every process ever started, in order: a restarted pod's earlier ones included. */
  readonly every: Running[];
  /** Starts (or starts again) the pod's process; its record is not touched. */
  start(name: string): Running;
  /** The headless Service lists these pods from now on. */
  publish(names: readonly string[]): Promise<void>;
  /** Waits until the pods named own exactly the targets the rendezvous rule gives them. */
  settled(names: readonly string[], timeoutMs?: number): Promise<void>;
}

export async function startFleet(
  names: readonly string[],
  targets: number,
  env: Record<string, string>,
): Promise<Fleet> {
  const ids = Array.from({ length: targets }, (_, i) => `ds-${i}`);
  const file = join(tempDir('probe-fleet-'), 'targets.yaml');
  const lines = ['defaults:', '  webhookToken: {env: HOOK}', '  websocketListeners: 1', 'targets:'];
  for (const id of ids) lines.push(`  - {id: ${id}, datasetId: ${id}}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const dns = await startDnsServer({});
  const pods = new Map<string, Running>();
  const every: Running[] = [];
  after(() => {
    for (const probe of every) probe.child.kill('SIGKILL');
  });
  const fleet: Fleet = {
    ids,
    dns,
    pods,
    every,
    start(name) {
      const probe = run({
        PROBE_TARGETS_FILE: file,
        PROBE_PEERS_SRV: SRV,
        PROBE_DNS_SERVER: dns.address,
        PROBE_PEERS_REFRESH_SECONDS: '0.5',
        HOSTNAME: name,
        ...LOOPBACK_METRICS,
        ...env,
      });
      pods.set(name, probe);
      every.push(probe);
      return probe;
    },
    publish: (live) =>
      dns.setRecords({ [SRV]: live.map((pod) => ({ host: host(pod), port: 8000 })) }),
    async settled(live, timeoutMs = 20_000) {
      const want = live.map((name) => ids.filter((id) => ownersOf(id, live, 1)[0] === name).length);
      let seen: number[] = [];
      await waitFor(
        async () => {
          seen = await Promise.all(
            live.map(async (name) => {
              const probe = pods.get(name);
              const values = probe ? await scrape(await probe.port()) : new Map();
              // Owned once the peers are all seen; draining pipelines are not owned.
              return values.get('probe_shard_peers') === live.length
                ? (values.get('probe_targets_owned') ?? -1)
                : -1;
            }),
          );
          return seen.every((n, i) => n === want[i]);
        },
        timeoutMs,
        () => `owned ${want} by ${live}, seen ${seen}`,
      );
    },
  };
  await fleet.publish(names);
  for (const name of names) fleet.start(name);
  return fleet;
}

/** The probe's JSON log lines. */
export function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export interface PipelineBooks {
  posted: number;
  received: number;
  lost: number;
  drained: number;
  inFlight: number;
}

/** Each ended pipeline's books (its "target stopped" line), by target, over the processes. */
export function endedBooks(processes: readonly Running[]): Map<string, PipelineBooks[]> {
  const books = new Map<string, PipelineBooks[]>();
  for (const probe of processes) {
    for (const line of logLines(probe.stdout())) {
      if (line.message !== 'target stopped') continue;
      const id = String(line.target);
      books.set(id, [...(books.get(id) ?? []), line as unknown as PipelineBooks]);
    }
  }
  return books;
}

/** The app ids this process gave its pipelines, by target ("target starting" lines). */
export function appIdsOf(probe: Running): Map<string, string[]> {
  const ids = new Map<string, string[]>();
  for (const line of logLines(probe.stdout())) {
    if (line.message !== 'target starting') continue;
    const id = String(line.target);
    ids.set(id, [...(ids.get(id) ?? []), String(line.appId)]);
  }
  return ids;
}

/** Whether the pod answers 503 on /readyz, or no longer answers (it drained and left). */
export async function notReady(probe: Running): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${await probe.port()}/readyz`)).status === 503;
  } catch {
    return probe.child.exitCode !== null || probe.child.signalCode !== null;
  }
}
