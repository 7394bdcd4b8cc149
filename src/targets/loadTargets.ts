import { setImmediate } from 'node:timers/promises';
import { ID_KEY, LABELS_KEY } from './keys';
import { type Parsed, parseSource } from './parseSource';
import { distinct, inFileOrder, type TargetProblem, targetEntry } from './problem';
import { readSources, type Source } from './readSources';
import { resolveTarget } from './resolveTarget';
import { goodId, schemaProblems } from './schemaProblems';
import type { Target, TargetsLoad } from './target';

type Entry = Record<string, unknown>;
const isEntry = (x: unknown): x is Entry =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The targets of `path` (`PROBE_TARGETS_FILE`: a file, or a directory of them), each checked
 * as the one-target configuration is, with `env` as every target's defaults. Every problem in
 * every file is found in one pass; any problem means no targets, so a caller keeps what runs.
 */
export async function loadTargets(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TargetsLoad> {
  const read = await readSources(path);
  const problems: TargetProblem[] = [...read.problems];
  const targets: Target[] = [];
  const firstOf = new Map<string, string>();
  for (const source of read.sources) {
    const parsed = parseSource(source);
    if ('problems' in parsed) {
      problems.push(...parsed.problems);
      continue;
    }
    const found = schemaProblems(source.file, parsed);
    problems.push(...found);
    const root = isEntry(parsed.value) ? parsed.value : {};
    const defaults = isEntry(root.defaults) ? root.defaults : {};
    const entries = Array.isArray(root.targets) ? root.targets : [];
    for (const [index, target] of entries.entries()) {
      if (!isEntry(target)) continue;
      const id = goodId(target);
      const name = targetEntry(index, id);
      const path = ['targets', index];
      if (id !== undefined) {
        const first = firstOf.get(id);
        if (first === undefined) firstOf.set(id, place(source, parsed, path));
        else {
          const line = parsed.lineOf([...path, ID_KEY]);
          problems.push({
            file: source.file,
            line,
            entry: name,
            key: ID_KEY,
            message: `is also the id at ${first}`,
          });
        }
      }
      const skip = refused(found, name, target);
      await setImmediate(); // a reload of many targets lets the scrapes it runs beside through
      const at = { file: source.file, dir: source.dir, name, path, target, defaults, skip };
      const resolved = await resolveTarget({ ...at, lineOf: parsed.lineOf }, env);
      if ('problems' in resolved) problems.push(...resolved.problems);
      else if (id !== undefined) {
        const labels = isEntry(target[LABELS_KEY])
          ? (target[LABELS_KEY] as Record<string, string>)
          : {};
        targets.push({ id, labels: { ...labels }, config: resolved.config, file: source.file });
      }
    }
  }
  const all = inFileOrder(distinct(problems));
  return all.length > 0 ? { targets: [], problems: all } : { targets, problems: [] };
}

/** The keys the schema refused for this entry: not checked again (a target's own value is). */
function refused(found: TargetProblem[], name: string, target: Entry): Set<string> {
  const topKey = (p: TargetProblem) => p.key?.split('.')[0] ?? '';
  const mine = (p: TargetProblem) =>
    p.entry === name || (p.entry === 'defaults' && !Object.hasOwn(target, topKey(p)));
  return new Set(found.filter(mine).map(topKey));
}

const place = (source: Source, parsed: Parsed, path: (string | number)[]): string => {
  const line = parsed.lineOf(path);
  return line === undefined ? source.file : `${source.file}:${line}`;
};
