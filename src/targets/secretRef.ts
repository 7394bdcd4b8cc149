import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Where a secret is kept: the file names it, never holds it. The schema allows one of the two. */
export type SecretRef = { readonly env: string } | { readonly file: string };

/** Far above any token; a bigger file is the wrong file, and is not read into memory. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

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
): Promise<{ value: string } | { message: string }> {
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined) return { message: `reads ${ref.env}, which is not set` };
    if (value === '') return { message: `reads ${ref.env}, which is empty` };
    return { value };
  }
  const path = resolve(dir, ref.file);
  try {
    const { size } = await stat(path);
    if (size > MAX_SECRET_FILE_BYTES) {
      return { message: `reads ${path}, of ${size} bytes: more than ${MAX_SECRET_FILE_BYTES}` };
    }
    const value = (await readFile(path, 'utf8')).trim();
    return value === '' ? { message: `reads ${path}, which is empty` } : { value };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { message: `cannot read ${path} (${code})` };
  }
}
