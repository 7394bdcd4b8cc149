import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ownerOf, ownersOf } from '../streams/shardOwners';
import { type DnsServer, startDnsServer } from '../test/helpers/dnsServer';
import { type Running, run } from '../test/helpers/process';
import { logLines, notReady } from '../test/helpers/shardFleet';
import { scrape, sleep, waitFor } from '../test/helpers/stack';
import { TOKEN, targetId, writeTargetsFile } from './manyProbe';
import { deployedNodeFlags } from './proc';
import type { BenchPipeline } from './standIn';

/**
 * The healing bench's shards: probe processes as the image runs them, one targets file, each
 * a pod named by HOSTNAME that knows its peers from the SRV records of a real DNS server
 * (dnsmasq) the bench changes as a headless Service's change — or, to compare, the static
 * PROBE_SHARDS form.
 */
export const PODS = ['probe-0', 'probe-1', 'probe-2'];
const SRV = '_metrics._tcp.probe.bench.svc.cluster.local';

const everyProcess = new Set<Running>();
// A bench that fails leaves no probe behind.
process.on('exit', () => {
  for (const probe of everyProcess) probe.child.kill('SIGKILL');
});

/** A targets file of `count` targets, each on its own dataset `<prefix>-<id>`; id → dataset. */
export function writeTargets(
  path: string,
  prefix: string,
  count: number,
  intervalS: number,
  pipeline: BenchPipeline,
): Map<string, string> {
  const ids = Array.from({ length: count }, (_, i) => targetId(i));
  return writeTargetsFile(
    path,
    count,
    intervalS,
    pipeline,
    new Map(ids.map((id) => [id, `${prefix}-${id}`])),
  );
}

export interface Fleet {
  /** The running process of each pod, by name. */
  readonly pods: Map<string, Running>;
  /** Every process ever started: a restarted pod's earlier ones included. */
  readonly every: Running[];
  start(name: string): Running;
  /** The headless Service lists these pods from now on (static shards: nothing to do). */
  publish(names: readonly string[]): Promise<void>;
  /** Waits until the pods named own exactly the targets the rule gives them among them. */
  settled(names: readonly string[]): Promise<void>;
  /** SIGTERM to every pod, and their exits (each drains first). */
  stop(): Promise<void>;
}

export async function startFleet(
  form: 'live' | 'static',
  targetsFile: string,
  ids: readonly string[],
  refreshS: number,
  dns?: DnsServer,
): Promise<Fleet> {
  const pods = new Map<string, Running>();
  const every: Running[] = [];
  const fleet: Fleet = {
    pods,
    every,
    start(name) {
      const placement: Record<string, string> =
        form === 'live'
          ? {
              PROBE_PEERS_SRV: SRV,
              PROBE_DNS_SERVER: dns?.address ?? '',
              PROBE_PEERS_REFRESH_SECONDS: String(refreshS),
            }
          : { PROBE_SHARDS: String(PODS.length) };
      const probe = run({
        PROBE_TARGETS_FILE: targetsFile,
        PROBE_WEBHOOK_TOKEN: TOKEN,
        HOSTNAME: name,
        METRICS_PORT: '0',
        METRICS_HOST: '127.0.0.1',
        STOP_DRAIN_SECONDS: '20',
        ...placement,
      });
      pods.set(name, probe);
      every.push(probe);
      everyProcess.add(probe);
      probe.child.on('exit', () => everyProcess.delete(probe));
      return probe;
    },
    publish: async (live) => {
      await dns?.setRecords({ [SRV]: live.map((pod) => ({ host: `${pod}.bench`, port: 8000 })) });
    },
    async settled(live) {
      const owner = (id: string) =>
        form === 'live' ? ownersOf(id, live, 1)[0] : PODS[ownerOf(id, PODS.length)];
      const want = live.map((name) => ids.filter((id) => owner(id) === name).length);
      let seen: number[] = [];
      await waitFor(
        async () => {
          seen = await Promise.all(
            live.map(async (name) => {
              const values = await scrape(await (pods.get(name) as Running).port());
              const peers = values.get('probe_shard_peers');
              if (form === 'live' && peers !== live.length) return -1;
              return values.get('probe_targets_owned') ?? -1;
            }),
          );
          return seen.every((n, i) => n === want[i]);
        },
        120_000,
        () => `owned ${want} by ${live}, seen ${seen}`,
      );
    },
    async stop() {
      const running = [...pods.values()].filter((probe) => probe.child.exitCode === null);
      for (const probe of running) probe.child.kill('SIGTERM');
      await Promise.all(running.map((probe) => probe.exit));
    },
  };
  await fleet.publish(PODS);
  for (const name of PODS) fleet.start(name);
  return fleet;
}

/** Two processes beside the fleet: one reading the peers as a shard does, one idle. */
export function startDiscoveryPair(dns: DnsServer, refreshS: number): [ChildProcess, ChildProcess] {
  const start = (idle: boolean) => {
    const child = spawn(
      process.execPath,
      [...deployedNodeFlags(), join(__dirname, 'discoveryAlone.js')],
      {
        env: {
          DISCOVERY_SRV: SRV,
          DISCOVERY_DNS_SERVER: dns.address,
          DISCOVERY_REFRESH_SECONDS: String(refreshS),
          ...(idle ? { DISCOVERY_IDLE: '1' } : {}),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    process.on('exit', () => child.kill('SIGKILL'));
    return child;
  };
  return [start(false), start(true)];
}

/** A real DNS server for the bench, stopped by the caller. */
export const startBenchDns = () => startDnsServer({}, { stopAfterTest: false });

/** The probe's JSON log lines with this message. */
export const linesSaying = (probe: Running, message: string) =>
  logLines(probe.stdout()).filter((line) => line.message === message);

export { notReady, sleep };
