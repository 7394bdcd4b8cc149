import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { tempDir } from './files';
import { freePort, waitFor } from './stack';
import { tool } from './tools';

/** Debian's dnsmasq (package dnsmasq-base, from .ci/run), or a reason to skip. */
export const DNSMASQ = tool('dnsmasq', ['/usr/sbin/dnsmasq']);

/** SRV records by name: each a host and a port, as a headless Service's are. */
export type SrvRecords = Record<string, ReadonlyArray<{ host: string; port: number }>>;

export interface DnsServer {
  /** `127.0.0.1:port`, as PROBE_DNS_SERVER takes it. */
  readonly address: string;
  readonly port: number;
  /** Serves these records from now on: dnsmasq reads --srv-host only at its start. */
  setRecords(records: SrvRecords): Promise<void>;
  /** Stops answering (the port closed) until the next setRecords. */
  stop(): Promise<void>;
  output(): string;
}

/**
 * A real DNS server for the tests: dnsmasq on a free loopback port (UDP and TCP, for answers
 * too big for a datagram), in the foreground, with no /etc/hosts, no resolv.conf and no upstream,
 * answering only the SRV records of a config file. SIGHUP makes dnsmasq re-read hosts files but
 * not its config file (man dnsmasq), where --srv-host lives, so a change restarts it on the same
 * port.
 */
export async function startDnsServer(
  records: SrvRecords,
  // Outside a test (a bench), the caller stops it: node:test's `after` would start a test run.
  { stopAfterTest = true } = {},
): Promise<DnsServer> {
  const dir = stopAfterTest ? tempDir('probe-dnsmasq-') : benchDir();
  const port = await freeUdpAndTcpPort();
  let child: ChildProcess | undefined;
  let log = '';
  const conf = join(dir, 'dnsmasq.conf');

  async function start(): Promise<void> {
    const lines = Object.entries(records).flatMap(([name, list]) =>
      list.map(({ host, port }) => `srv-host=${name},${host},${port}`),
    );
    // Names under .local and .test are answered here alone: an unknown one is NXDOMAIN.
    writeFileSync(conf, ['local=/local/', 'local=/test/', ...lines, ''].join('\n'));
    const server = spawn(
      DNSMASQ.path ?? 'dnsmasq',
      [
        '--keep-in-foreground',
        '--log-facility=-',
        '--no-hosts',
        '--no-resolv',
        '--no-poll',
        `--conf-file=${conf}`,
        '--listen-address=127.0.0.1',
        '--bind-interfaces',
        `--port=${port}`,
        '--pid-file=',
        `--user=${userInfo().username}`,
        // Every answer read again from the file's records, never from a cache.
        '--cache-size=0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = server;
    server.stdout?.on('data', (chunk) => {
      log += chunk;
    });
    server.stderr?.on('data', (chunk) => {
      log += chunk;
    });
    await waitFor(
      () => log.includes('started') || server.exitCode !== null,
      10_000,
      () => `dnsmasq started:\n${log}`,
    );
    if (server.exitCode !== null) throw new Error(`dnsmasq exited:\n${log}`);
  }

  async function stop(): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  }

  await start();
  if (stopAfterTest) (await import('node:test')).after(stop);
  return {
    address: `127.0.0.1:${port}`,
    port,
    async setRecords(next) {
      await stop();
      records = next;
      await start();
    },
    stop,
    output: () => log,
  };
}

/** A temp folder removed when the process exits (tempDir's `after` is for tests only). */
function benchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'probe-dnsmasq-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A port free for TCP (freePort) and for UDP too, on loopback. */
async function freeUdpAndTcpPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    const socket = createSocket('udp4');
    const free = await new Promise<boolean>((resolve) => {
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((resolve) => (free ? socket.close(() => resolve()) : resolve()));
    if (free) return port;
  }
}
