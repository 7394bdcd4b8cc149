import { cpus, totalmem } from 'node:os';
import type { Books } from './manyProbe';
import type { ReloadResult } from './reloadCheck';
import type { Sample } from './scrape';

export interface Row {
  readonly label: string;
  readonly processes: number;
  readonly targets: number;
  /** Events the stand-in accepted from these processes in the window. */
  readonly events: number;
  /** CPU of every thread of these processes over the window (ms). */
  readonly cpuMs: number;
  /** The sum of their RSS at the window's end. */
  readonly rssMiB: number;
  readonly lagP99Ms: number;
  /** Share of the window's posts whose schedule lag was within the 25 ms bucket. */
  readonly lagWithin25Ms: number;
  readonly books: Books;
}

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const yes = (met: boolean) => (met ? 'yes' : 'NO');

/** The "Many targets" report: the rows, the targets of issue 17, the per-target figures. */
export function manyTargetsReport(run: {
  rows: readonly Row[];
  /** The same job as the 100 targets with no framework (`bareMany.ts`), in the same window. */
  floor: Omit<Row, 'books'>;
  reload: ReloadResult;
  afterReload: Books;
  startupS: { 100: number; 1000: number };
  warmupS: number;
  warmup1000S: number;
  measureS: number;
  command: string;
  scrape: readonly Sample[];
}): string {
  const { rows, reload, measureS } = run;
  const [hundred, singles, thousand] = rows;
  const scale = hundred.targets / singles.targets;
  const scaled: Row = {
    ...singles,
    label: `the same, scaled to ${hundred.targets} (one pod per dataset)`,
    processes: singles.processes * scale,
    targets: hundred.targets,
    events: singles.events * scale,
    cpuMs: singles.cpuMs * scale,
    rssMiB: singles.rssMiB * scale,
  };
  const { floor } = run;
  const pct = (r: Omit<Row, 'books'>) => (100 * r.cpuMs) / (measureS * 1000);
  const books = (b: Books) =>
    `${yes(b.exact)} (${b.targets - b.wrong.length}/${b.targets}; ${b.posted} posted, ${b.received} received, ${b.lost} lost, ${b.postErrors} post errors)`;
  // The floor cannot be scraped: it has no schedule-lag histogram.
  const lagCells = (r: Omit<Row, 'books'>) =>
    r === floor ? ' | ' : `${fixed(r.lagP99Ms, 1)} | ${fixed(100 * r.lagWithin25Ms, 2)} %`;
  const line = (r: Omit<Row, 'books'> & { books?: Books }) =>
    `| ${r.label} | ${r.processes} | ${r.targets} | ${Math.round(r.events)} | ${fixed(pct(r), 3)} | ${fixed(pct(r) / r.targets, 4)} | ${fixed(r.cpuMs / Math.max(1, r.events), 2)} | ${fixed(r.rssMiB, 1)} | ${fixed(r.rssMiB / r.targets, 2)} | ${lagCells(r)} | ${r === scaled || r.books === undefined ? '' : books(r.books)} |`;
  const marginalRss = (thousand.rssMiB - hundred.rssMiB) / (thousand.targets - hundred.targets);
  const baseRss = hundred.rssMiB - hundred.targets * marginalRss;
  const first = run.scrape.find((s) => s.labels.target !== undefined)?.labels.target;
  const perTarget = run.scrape.filter((s) => s.labels.target === first).length;
  const processWide = run.scrape.filter((s) => s.labels.target === undefined).length;
  const others = reload.dropped.length + reload.reconnected.length + reload.stalled.length;
  const lines = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 20).toFixed(0)} MiB RAM, Node ${process.version}, ${new Date().toISOString()}.`,
    `The many-target probes run as \`${run.command}\` with \`PROBE_TARGETS_FILE\` (two listeners a target, info logs, default process metrics), scraped every 15 s in OpenMetrics; ${run.warmupS} s warm-up (${run.warmup1000S} s at 1,000 targets), ${measureS} s measured. All ${hundred.targets} targets' listeners were connected ${fixed(run.startupS[100], 1)} s after the start, all 1,000 targets' ${fixed(run.startupS[1000], 1)} s after.`,
    '',
    '| run | processes | targets | events | % of a core | % of a core per target | CPU ms / event | RSS MiB | RSS MiB per target | schedule lag p99 ms | posts lagging ≤ 25 ms | books exact |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    line(hundred),
    line(floor),
    line(singles),
    line(scaled),
    line(thousand),
    '',
    '| target | met | measured |',
    '| --- | --- | --- |',
    `| 100 targets: CPU ≤ 1.5 % of a core | ${yes(pct(hundred) <= 1.5)} | ${fixed(pct(hundred), 3)} % (one pod per dataset: ${fixed(pct(scaled), 3)} %, ${fixed(pct(scaled) / pct(hundred), 1)} × more; the same job with no framework: ${fixed(pct(floor), 3)} %, so the probe is ${fixed(pct(hundred) / pct(floor), 1)} × the floor) |`,
    `| 100 targets: RSS ≤ 100 MiB | ${yes(hundred.rssMiB <= 100)} | ${fixed(hundred.rssMiB, 1)} MiB (one pod per dataset: ${fixed(scaled.rssMiB, 0)} MiB, ${fixed(scaled.rssMiB / hundred.rssMiB, 1)} × more) |`,
    `| 100 targets: schedule lag p99 ≤ 50 ms | ${yes(hundred.lagP99Ms <= 50)} | ${fixed(hundred.lagP99Ms, 1)} ms |`,
    `| 100 targets: every target's books equal the stand-in's | ${yes(hundred.books.exact)} | ${hundred.books.targets - hundred.books.wrong.length}/${hundred.books.targets} targets |`,
    `| 1,000 targets: books exact | ${yes(thousand.books.exact)} | ${thousand.books.targets - thousand.books.wrong.length}/${thousand.books.targets} targets; CPU ${fixed(pct(thousand), 3)} %, RSS ${fixed(thousand.rssMiB, 1)} MiB, lag p99 ${fixed(thousand.lagP99Ms, 1)} ms |`,
    `| reload changing 1 of 100 applied within 1 s | ${yes(reload.appliedMs <= 1000)} | first connection of the changed target ${fixed(reload.appliedMs, 0)} ms after the request, answered in ${fixed(reload.answeredMs, 0)} ms ("${reload.answer}") |`,
    `| the 99 others: no counter dropped, no new connection, still posting, books exact | ${yes(others === 0 && run.afterReload.exact)} | ${reload.dropped.length} counters dropped, ${reload.reconnected.length} reconnected, ${reload.stalled.length} stalled; books after ${books(run.afterReload)} |`,
    '',
    `Per target, for sizing: **${fixed(pct(hundred) / hundred.targets, 4)} % of a core at one event every 10 s** (100 targets) and **${fixed(pct(thousand) / thousand.targets, 4)} % at one a minute** (1,000); **RSS ${fixed(baseRss, 1)} MiB for the process plus ${fixed(marginalRss * 1024, 0)} KiB per target** (the slope from 100 to 1,000 targets). Series: ${perTarget} per target, ${processWide} for the process (a scrape of 1,000 targets).`,
    '',
  ];
  for (const r of [hundred, singles, thousand]) {
    for (const wrong of r.books.wrong.slice(0, 5)) lines.push(`- books of ${r.label}: ${wrong}`);
  }
  for (const d of [...reload.dropped, ...reload.reconnected, ...reload.stalled].slice(0, 5)) {
    lines.push(`- reload: ${d}`);
  }
  return lines.join('\n');
}
