import type { Stats } from 'node:fs';
import { constants, type FileHandle, open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Where a secret is kept: the file names it, never holds it. The schema allows one of the two. */
export type SecretRef = { readonly env: string } | { readonly file: string };

/** Far above any token; a bigger file is the wrong file, and is not read into memory. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * A regular file of at most 64 KiB is read in milliseconds: a read that takes this long is on a
 * file system that hangs (a dead NFS mount, a FUSE daemon), and a reload must not wait on it.
 */
export const SECRET_READ_DEADLINE_MS = 5_000;

type Read = { value: string } | { message: string };

/**
 * The secret's value: a variable's value as set, or a file's content without the whitespace
 * around it (as Prometheus reads its `*_file` secrets: editors and `echo` end files with a
 * newline). A relative path is relative to the targets file's folder. What goes wrong names the
 * variable or the path, never any part of the value.
 */
export async function readSecret(
  ref: SecretRef,
  env: NodeJS.ProcessEnv,
  dir: string,
  deadlineMs = SECRET_READ_DEADLINE_MS,
): Promise<Read> {
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined) return { message: `reads ${ref.env}, which is not set` };
    if (value === '') return { message: `reads ${ref.env}, which is empty` };
    return { value };
  }
  const path = resolve(dir, ref.file);
  return withDeadline(readSecretFile(path), deadlineMs, () => ({
    message: `reads ${path}, which was not read within ${deadlineMs / 1000} s`,
  }));
}

/**
 * Only a regular file is read, and never more than the cap. A FIFO would block the open (and
 * every reload queued behind it) until someone writes; a device such as /dev/zero says it holds
 * 0 bytes and never ends. The path is looked at first so that nothing else is even opened (an
 * open of a device can act); it is opened without blocking and the open handle is looked at
 * again, since the path may have been swapped in between; and the read stops one byte past the
 * cap, whatever size the file claims or grows to.
 */
async function readSecretFile(path: string): Promise<Read> {
  let handle: FileHandle | undefined;
  try {
    const before = await stat(path);
    if (!before.isFile()) return notRegular(path, before);
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const opened = await handle.stat();
    if (!opened.isFile()) return notRegular(path, opened);
    if (opened.size > MAX_SECRET_FILE_BYTES) {
      return {
        message: `reads ${path}, of ${opened.size} bytes: more than ${MAX_SECRET_FILE_BYTES}`,
      };
    }
    const buffer = Buffer.alloc(MAX_SECRET_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_SECRET_FILE_BYTES) {
      return { message: `reads ${path}, of more than ${MAX_SECRET_FILE_BYTES} bytes` };
    }
    const value = buffer.toString('utf8', 0, length).trim();
    return value === '' ? { message: `reads ${path}, which is empty` } : { value };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { message: `cannot read ${path} (${code})` };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function notRegular(path: string, stats: Stats): Read {
  return { message: `reads ${path}, which is ${kindOf(stats)}, not a regular file` };
}

const kindOf = (stats: Stats): string =>
  stats.isDirectory()
    ? 'a directory'
    : stats.isFIFO()
      ? 'a named pipe (FIFO)'
      : stats.isCharacterDevice()
        ? 'a character device'
        : stats.isBlockDevice()
          ? 'a block device'
          : stats.isSocket()
            ? 'a socket'
            : 'of an unknown kind';

/**
 * `work`'s result, or `late()`'s once `ms` have passed without one. The work is not stopped (a
 * read stuck in the kernel cannot be), but nothing waits on it: its file is closed when it ends.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<T>((done) => {
    timer = setTimeout(() => done(late()), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
