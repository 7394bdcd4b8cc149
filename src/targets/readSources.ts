import type { Stats } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TargetProblem } from './problem';

/** One file's text, named as the user knows it; relative secret files resolve from `dir`. */
export interface Source {
  readonly file: string;
  readonly dir: string;
  readonly text: string;
}

export interface Sources {
  readonly sources: Source[];
  readonly problems: TargetProblem[];
}

/** The most a Kubernetes ConfigMap holds, all files together: a bigger file is a mistake. */
export const MAX_FILE_BYTES = 1024 * 1024;
const EXTENSIONS = /\.(yaml|yml|json)$/;
/** Where kubelet keeps a mounted ConfigMap's current files; it swaps this link atomically. */
const CONFIGMAP_DATA = '..data';

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? 'error';
const problem = (file: string, message: string): Sources => ({
  sources: [],
  problems: [{ file, message }],
});

/**
 * The files of `path`: the file itself, or a directory's `*.yaml`, `*.yml` and `*.json` files in
 * name order (top-level links followed, dot-entries skipped). A directory holding `..data` is a
 * mounted ConfigMap: its files are read through that link, resolved once, so one read sees one
 * version even while kubelet swaps it, and a link left dangling by the swap is not read.
 */
export async function readSources(path: string): Promise<Sources> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    return problem(path, `cannot read it (${codeOf(error)})`);
  }
  if (info.isFile()) {
    const read = await readOne(path, info);
    return 'text' in read
      ? { sources: [{ file: path, dir: dirname(path), text: read.text }], problems: [] }
      : problem(path, read.message);
  }
  if (!info.isDirectory()) return problem(path, 'is neither a file nor a directory');
  const folder = await realpath(join(path, CONFIGMAP_DATA)).catch(() => path);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => !n.startsWith('.') && EXTENSIONS.test(n)).sort();
  } catch (error) {
    return problem(path, `cannot list it (${codeOf(error)})`);
  }
  const result: Sources = { sources: [], problems: [] };
  for (const name of names) {
    const file = join(path, name);
    let entry: Stats;
    try {
      entry = await stat(join(folder, name));
    } catch (error) {
      if (codeOf(error) === 'ENOENT') continue; // a link to a file that is gone
      result.problems.push({ file, message: `cannot read it (${codeOf(error)})` });
      continue;
    }
    if (!entry.isFile()) continue;
    const read = await readOne(join(folder, name), entry);
    if ('text' in read) result.sources.push({ file, dir: path, text: read.text });
    else result.problems.push({ file, message: read.message });
  }
  if (result.sources.length === 0 && result.problems.length === 0) {
    return problem(path, 'holds no *.yaml, *.yml or *.json file');
  }
  return result;
}

async function readOne(path: string, info: Stats): Promise<{ text: string } | { message: string }> {
  if (info.size > MAX_FILE_BYTES) {
    return { message: `is ${info.size} bytes, more than ${MAX_FILE_BYTES} (a ConfigMap's most)` };
  }
  try {
    return { text: await readFile(path, 'utf8') };
  } catch (error) {
    return { message: `cannot read it (${codeOf(error)})` };
  }
}
