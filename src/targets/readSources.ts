import { constants, type Stats } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
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
  const files: { file: string; real: string; entry: Stats }[] = [];
  for (const name of names) {
    const file = join(path, name);
    const real = join(folder, name);
    try {
      const entry = await stat(real);
      if (entry.isFile()) files.push({ file, real, entry });
    } catch (error) {
      if (codeOf(error) === 'ENOENT') continue; // a link to a file that is gone
      result.problems.push({ file, message: `cannot read it (${codeOf(error)})` });
    }
  }
  // The limit is the ConfigMap's, all files together: many files each under it are refused
  // as a whole, before any of them is read (a file over it alone is named, as it is alone).
  const total = files.reduce((sum, { entry }) => sum + entry.size, 0);
  if (total > MAX_FILE_BYTES && files.every(({ entry }) => entry.size <= MAX_FILE_BYTES)) {
    return problem(
      path,
      `holds ${total} bytes of files, more than ${MAX_FILE_BYTES} (a ConfigMap's most, all files together)`,
    );
  }
  let left = MAX_FILE_BYTES;
  for (const { file, real, entry } of files) {
    const read = await readOne(real, entry, left);
    if ('text' in read) {
      left -= read.bytes;
      result.sources.push({ file, dir: path, text: read.text });
    } else result.problems.push({ file, message: read.message });
  }
  if (result.sources.length === 0 && result.problems.length === 0) {
    return problem(path, 'holds no *.yaml, *.yml or *.json file');
  }
  return result;
}

/**
 * The file's text, read to at most `budget` bytes: a file that grew after its size was looked at
 * (or reports none, as a device does) is still refused without being read whole.
 */
async function readOne(
  path: string,
  info: Stats,
  budget = MAX_FILE_BYTES,
): Promise<{ text: string; bytes: number } | { message: string }> {
  const tooBig = (size: number) => ({
    message:
      size > MAX_FILE_BYTES
        ? `is ${size} bytes, more than ${MAX_FILE_BYTES} (a ConfigMap's most)`
        : `takes the files past ${MAX_FILE_BYTES} bytes together (a ConfigMap's most)`,
  });
  if (info.size > budget) return tooBig(info.size);
  try {
    // Without blocking, and only a regular file: one swapped for a FIFO since it was looked at
    // would otherwise hold a thread of the pool forever.
    const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      if (!(await file.stat()).isFile()) return { message: 'is not a regular file' };
      const buffer = Buffer.alloc(budget + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await file.read(buffer, length, buffer.length - length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > budget) return tooBig(length);
      }
      return { text: buffer.toString('utf8', 0, length), bytes: length };
    } finally {
      await file.close();
    }
  } catch (error) {
    return { message: `cannot read it (${codeOf(error)})` };
  }
}
