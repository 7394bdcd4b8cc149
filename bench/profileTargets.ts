import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ProbeProcess,
  startBareProcess,
  startProbeProcess,
  targetId,
  writeTargetsFile,
} from './manyProbe';
import { cpuMs, rssMiB } from './proc';
import { startBenchPipeline } from './standIn';

/**
 * A quick look at many-target processes, for working on their cost (not a report):
 * `node dist/bench/profileTargets.js [targets] [interval s] [seconds] [main.js …]` runs one
 * process per build named (default: this one) at once, against one stand-in, each on datasets
 * of its own, scraped every 15 s (`BENCH_NO_SCRAPE=1`: never), and prints each one's CPU ms a
 * second and RSS. Side by side, the machine's noise falls on every build alike.
 * `BENCH_PROFILE=1` adds `--cpu-prof` (profiles to test-output/profiles/).
 */
async function main(): Promise<void> {
  const [countArg = '100', intervalArg = '10', secondsArg = '60', ...mains] = process.argv.slice(2);
  const [count, intervalS, seconds] = [countArg, intervalArg, secondsArg].map(Number);
  const builds: string[] = mains.length > 0 ? mains : [join(__dirname, '..', 'src', 'main.js')];
  const pipeline = await startBenchPipeline(20);
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const flags = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${join(__dirname, '..', '..', 'test-output', 'profiles')}`]
    : [];
  const probes: ProbeProcess[] = [];
  for (const [b, build] of builds.entries()) {
    const file = join(dir, `targets-${b}.json`);
    const own = new Map(
      Array.from({ length: count }, (_, i) => [targetId(i), `profile-${b}-${targetId(i)}`]),
    );
    const datasets = writeTargetsFile(file, count, intervalS, pipeline, own);
    probes.push(await startProbeProcess({ targetsFile: file, datasets }, pipeline, flags, build));
  }
  // BENCH_BARE=1: the floor beside them, the same job with no framework (`bareMany.ts`).
  if (process.env.BENCH_BARE) {
    builds.push('the same job with no framework (bench/bareMany.ts)');
    probes.push(startBareProcess(count, intervalS, pipeline));
  }
  const scraper = setInterval(() => {
    if (process.env.BENCH_NO_SCRAPE) return;
    for (const probe of probes) if (probe.port) probe.scrape().catch(() => undefined);
  }, 15_000);
  await sleep(30_000);
  const before = probes.map((probe) => cpuMs(probe.child.pid ?? 0));
  await sleep(seconds * 1000);
  for (const [b, probe] of probes.entries()) {
    const pid = probe.child.pid ?? 0;
    const used = (cpuMs(pid) - before[b]) / seconds;
    process.stdout.write(
      `${builds[b]}: ${count} targets at 1/${intervalS} s: ${used.toFixed(2)} ms CPU a second, RSS ${rssMiB(pid).toFixed(1)} MiB\n`,
    );
  }
  clearInterval(scraper);
  for (const probe of probes) probe.child.kill('SIGTERM');
  await Promise.all(probes.map((probe) => new Promise((done) => probe.child.once('exit', done))));
  await pipeline.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
