import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Reload } from '../../../src/reload/reload';
import { reloadEndpoint } from '../../../src/reload/reloadEndpoint';
import { readReloadToken } from '../../../src/reload/reloadToken';
import { startHttpServer } from '../../../src/web/server';

/**
 * `POST /-/reload` on a real local server: off unless turned on, never from a browser, with a
 * token when one is set — and each refusal says why without echoing what was sent.
 */
const TOKEN = 'reload-token-3c9e1f';

async function endpoint(settings: { enabled: boolean; token?: string }) {
  let reloads = 0;
  const reload: Reload = async () => {
    reloads += 1;
    return { ok: true, added: 1, removed: 0, changed: 0 };
  };
  const server = await startHttpServer(
    0,
    '127.0.0.1',
    {},
    {
      '/-/reload': reloadEndpoint(settings, reload),
    },
  );
  after(() => server.close());
  const post = async (headers: Record<string, string> = {}, method = 'POST') => {
    const answer = await fetch(`http://127.0.0.1:${server.port}/-/reload`, { method, headers });
    return { status: answer.status, text: await answer.text() };
  };
  return { post, reloads: () => reloads };
}

test('off unless turned on: 403 saying how, and nothing reloads', async () => {
  const { post, reloads } = await endpoint({ enabled: false });
  const answer = await post();
  assert.equal(answer.status, 403);
  assert.match(answer.text, /RELOAD_ENDPOINT_ENABLED=true/);
  assert.equal(reloads(), 0);
});

test('what a browser can send cross-site without a preflight is refused; curl -X POST is not', async () => {
  const { post, reloads } = await endpoint({ enabled: true });
  const browser: Record<string, string>[] = [
    { Origin: 'https://evil.example' },
    { Origin: 'null' },
    { 'Sec-Fetch-Site': 'cross-site' },
    { 'Sec-Fetch-Site': 'same-site' },
    { 'Sec-Fetch-Site': 'same-origin' },
    { 'Content-Type': 'text/plain' },
    { 'Content-Type': 'TEXT/PLAIN; charset=utf-8' },
    { 'Content-Type': 'application/x-www-form-urlencoded' },
    { 'Content-Type': 'multipart/form-data; boundary=x' },
  ];
  for (const headers of browser) {
    const answer = await post(headers);
    assert.equal(answer.status, 403, JSON.stringify(headers));
    assert.match(answer.text, /not taken from a browser/);
  }
  assert.equal(reloads(), 0);
  // As curl -X POST sends it: none of them.
  const curl = await post({ 'User-Agent': 'curl/8.5.0', Accept: '*/*' });
  assert.deepEqual(curl, { status: 200, text: 'reloaded: 1 added, 0 removed, 0 changed\n' });
  // Typed in by a person (no site): still a reload.
  assert.equal((await post({ 'Sec-Fetch-Site': 'none' })).status, 200);
  assert.equal(reloads(), 2);
  // Only POST: a GET (an <img>, a link) is not a reload.
  assert.equal((await post({}, 'GET')).status, 404);
  assert.equal(reloads(), 2);
});

test('with a token: only the right Bearer token reloads; a wrong one is 401 and echoes nothing', async () => {
  const { post, reloads } = await endpoint({ enabled: true, token: TOKEN });
  const wrong: Record<string, string>[] = [
    {},
    { Authorization: `Bearer ${TOKEN}x` },
    { Authorization: `Bearer ${TOKEN.slice(0, -1)}` },
    { Authorization: `Basic ${TOKEN}` },
    { Authorization: TOKEN },
    { Authorization: 'Bearer sent-token-9911' },
  ];
  for (const headers of wrong) {
    const answer = await post(headers);
    assert.equal(answer.status, 401, JSON.stringify(headers));
    assert.ok(!answer.text.includes('sent-token') && !answer.text.includes(TOKEN));
  }
  assert.equal(reloads(), 0);
  assert.equal((await post({ Authorization: `Bearer ${TOKEN}` })).status, 200);
  assert.equal((await post({ Authorization: `bearer  ${TOKEN}` })).status, 200);
  assert.equal(reloads(), 2);
});

test('the token file: its trimmed content; a FIFO, a directory or a missing file refused without hanging', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-token-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'token'), `  ${TOKEN}\n`);
  assert.equal(await readReloadToken(join(dir, 'token')), TOKEN);
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  await assert.rejects(readReloadToken(join(dir, 'fifo')), /fifo is not a regular file/);
  await assert.rejects(readReloadToken(dir), /is not a regular file/);
  await assert.rejects(readReloadToken(join(dir, 'gone')), /cannot be read \(ENOENT\)/);
  writeFileSync(join(dir, 'empty'), '\n');
  await assert.rejects(readReloadToken(join(dir, 'empty')), /is empty/);
  writeFileSync(join(dir, 'big'), 'x'.repeat(5000));
  await assert.rejects(readReloadToken(join(dir, 'big')), /more than 4096 bytes/);
});
