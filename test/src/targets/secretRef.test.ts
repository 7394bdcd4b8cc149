import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MAX_SECRET_FILE_BYTES, readSecret, withDeadline } from '../../../src/targets/secretRef';
import { tempDir, writeFiles } from '../../helpers/files';

/**
 * A secret file is read only when it is a regular file, at most the cap and within a deadline:
 * each other kind of path, real on this machine, answers at once with a message naming the
 * path and never any content. Each call is bounded by the test's own timeout: a read that
 * blocks fails the test instead of hanging it.
 */
const read = (dir: string, file: string) => readSecret({ file }, {}, dir);

function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  assert.equal(made.status, 0, String(made.stderr));
}

describe('a secret file', { timeout: 20_000 }, () => {
  const dir = tempDir('probe-secrets-');
  writeFiles(dir, {
    token: '  s3cret-token\n',
    empty: '\n',
    huge: 'y'.repeat(MAX_SECRET_FILE_BYTES + 1),
    'folder/x': 'z',
  });
  mkfifo(join(dir, 'fifo'));
  mkfifo(join(dir, 'fed-fifo'));
  for (const [link, to] of [
    ['link-token', 'token'],
    ['link-fifo', 'fifo'],
    ['link-folder', 'folder'],
    ['link-huge', 'huge'],
    ['link-zero', '/dev/zero'],
    ['link-urandom', '/dev/urandom'],
  ]) {
    symlinkSync(to.startsWith('/') ? to : join(dir, to), join(dir, link));
  }

  test('a regular file, directly or by a link: its content without the whitespace around', async () => {
    assert.deepEqual(await read(dir, 'token'), { value: 's3cret-token' });
    assert.deepEqual(await read(dir, 'link-token'), { value: 's3cret-token' });
    assert.deepEqual(await read(dir, 'empty'), {
      message: `reads ${join(dir, 'empty')}, which is empty`,
    });
  });

  test('a FIFO with no writer: refused at once, directly or by a link', async () => {
    for (const name of ['fifo', 'link-fifo']) {
      assert.deepEqual(await read(dir, name), {
        message: `reads ${join(dir, name)}, which is a named pipe (FIFO), not a regular file`,
      });
    }
  });

  test('a FIFO with a writer that never stops: refused, nothing read', async () => {
    const fifo = join(dir, 'fed-fifo');
    // The writer's open waits for a reader: this one end held open lets it write without end.
    const held = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer: ChildProcess = spawn('sh', ['-c', `exec yes secret-from-the-pipe > '${fifo}'`]);
    after(() => {
      writer.kill('SIGKILL');
      closeSync(held);
    });
    const result = await read(dir, 'fed-fifo');
    assert.deepEqual(result, {
      message: `reads ${fifo}, which is a named pipe (FIFO), not a regular file`,
    });
  });

  test('a device that never ends, directly or by a link: refused, nothing read', async () => {
    for (const [name, path] of [
      ['/dev/zero', '/dev/zero'],
      ['/dev/urandom', '/dev/urandom'],
      ['link-zero', join(dir, 'link-zero')],
      ['link-urandom', join(dir, 'link-urandom')],
    ]) {
      assert.deepEqual(await read(dir, name), {
        message: `reads ${path}, which is a character device, not a regular file`,
      });
    }
  });

  test('a directory, directly or by a link', async () => {
    for (const name of ['folder', 'link-folder']) {
      assert.deepEqual(await read(dir, name), {
        message: `reads ${join(dir, name)}, which is a directory, not a regular file`,
      });
    }
  });

  test('a socket', async () => {
    const path = join(dir, 'socket');
    const server = createServer();
    await new Promise<void>((done) => server.listen(path, done));
    after(() => server.close());
    assert.deepEqual(await read(dir, 'socket'), {
      message: `reads ${path}, which is a socket, not a regular file`,
    });
  });

  test('a file bigger than the cap, directly or by a link: its size told, nothing read', async () => {
    for (const name of ['huge', 'link-huge']) {
      assert.deepEqual(await read(dir, name), {
        message: `reads ${join(dir, name)}, of ${MAX_SECRET_FILE_BYTES + 1} bytes: more than ${MAX_SECRET_FILE_BYTES}`,
      });
    }
  });

  test('a regular file that says it is empty and holds megabytes: read no further than the cap', {
    skip: existsSync('/proc/kallsyms') ? false : 'no /proc/kallsyms on this machine',
  }, async () => {
    // The kernel's symbol table: a regular file of size 0 that reads as about 5 MB.
    assert.deepEqual(await read('/', '/proc/kallsyms'), {
      message: `reads /proc/kallsyms, of more than ${MAX_SECRET_FILE_BYTES} bytes`,
    });
  });

  test('a missing file names the path and the reason', async () => {
    assert.deepEqual(await read(dir, 'missing'), {
      message: `cannot read ${join(dir, 'missing')} (ENOENT)`,
    });
  });
});

describe('the deadline of a read', () => {
  test('work that never ends gives the late answer; work that ends gives its own', async () => {
    const never = new Promise<string>(() => undefined);
    assert.equal(await withDeadline(never, 10, () => 'late'), 'late');
    assert.equal(await withDeadline(Promise.resolve('done'), 60_000, () => 'late'), 'done');
  });
});
