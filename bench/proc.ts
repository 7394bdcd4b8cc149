import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** CPU time of every thread of a process so far, in ms (schedstat's first field is ns). */
export function cpuMs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return ns / 1e6;
}

/** Resident set of a process now (`VmRSS`, as `ps` and `top` count it) or at its peak, in MiB. */
export function memoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
}

/** Resident set of a process now, in MiB. */
export const rssMiB = (pid: number): number => memoryMiB(pid, 'VmRSS');

/** The node flags of the image's CMD: the probe is measured as it ships. */
export function deployedNodeFlags(): string[] {
  const dockerfile = readFileSync(join(__dirname, '..', '..', 'Dockerfile'), 'utf8');
  const cmd = /^CMD \[(.*)\]$/m.exec(dockerfile)?.[1] ?? '';
  return (JSON.parse(`[${cmd}]`) as string[]).filter((part) => part.startsWith('--'));
}
