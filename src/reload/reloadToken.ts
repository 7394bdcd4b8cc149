import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Far above any token; a bigger file is the wrong file, and is not read whole. */
const MAX_TOKEN_BYTES = 4096;

/**
 * The token `POST /-/reload` asks for: the content of `path` (RELOAD_TOKEN_FILE) without the
 * whitespace around it. Only a regular file is read (opened without blocking, so a FIFO cannot
 * hang the start), and at most MAX_TOKEN_BYTES of it. What goes wrong names the path, never
 * any part of the content.
 */
export async function readReloadToken(path: string): Promise<string> {
  const refuse = (why: string) => new Error(`RELOAD_TOKEN_FILE: ${path} ${why}`);
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    if (!(await file.stat()).isFile()) throw refuse('is not a regular file');
    const buffer = Buffer.alloc(MAX_TOKEN_BYTES + 1);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_TOKEN_BYTES) throw refuse(`is more than ${MAX_TOKEN_BYTES} bytes`);
    const token = buffer.toString('utf8', 0, bytesRead).trim();
    if (token === '') throw refuse('is empty');
    return token;
  } finally {
    await file.close();
  }
}
