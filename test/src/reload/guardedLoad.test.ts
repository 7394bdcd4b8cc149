import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { guardedLoad, LOAD_HEAP_MIB, loadTimeoutMs } from '../../../src/reload/guardedLoad';
import { MAX_FILE_BYTES, readSources } from '../../../src/targets/readSources';

/**
 * The load every start, `--check-config` and reload goes through: in a worker with a bounded
 * heap and a deadline. A file crafted for the parser fails within the bound; a real one loads.
 */
const dir = mkdtempSync(join(tmpdir(), 'probe-guarded-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const ENV = { HOOK: 'hook-token-1' };

/** A thousand targets in one file of nearly 1 MiB, the most a ConfigMap holds. */
function thousandTargets(): string {
  let text = 'defaults:\n  webhookToken: {env: HOOK}\ntargets:\n';
  for (let i = 0; i < 1000; i++) {
    text += `  - {id: target-${i}, datasetId: dataset-${i}, websocketUrl: "ws://127.0.0.1:9/x", labels: {team: team-${i}}}\n`;
  }
  while (text.length < MAX_FILE_BYTES - 300) text += `# ${'x'.repeat(200)}\n`;
  return text;
}

test('a full file of a thousand targets loads within the bounds', async () => {
  const loaded = await guardedLoad(file('many.yaml', thousandTargets()), ENV, 60_000);
  assert.ok(
    'targets' in loaded && loaded.problems.length === 0,
    JSON.stringify(loaded).slice(0, 300),
  );
  assert.equal(loaded.targets.length, 1000);
  assert.equal(loaded.targets[0].config.dataset.webhookToken, 'hook-token-1');
});

for (const [name, bomb] of [
  ['a list nested 300,000 deep', `${'['.repeat(300_000)}${']'.repeat(300_000)}`],
  ['a map nested 200,000 deep', `${'{a:'.repeat(200_000)}${'}'.repeat(200_000)}`],
  ['JSON nested 150,000 deep', `${'{"a":'.repeat(150_000)}1${'}'.repeat(150_000)}`],
]) {
  test(`${name} (under 1 MiB) fails within the heap bound, and the process carries on`, async () => {
    const before = process.memoryUsage().heapUsed;
    const loaded = await guardedLoad(file('bomb.yaml', bomb), ENV, 60_000);
    // Either refused as a file too deep to read, or stopped at the heap bound: never applied.
    const said = 'failed' in loaded ? loaded.failed : loaded.problems.map((p) => p.message).join();
    assert.ok(!('targets' in loaded && loaded.targets.length > 0));
    assert.match(said, new RegExp(`more than ${LOAD_HEAP_MIB} MiB|nested too deeply`));
    // The parent's own heap never held the parse.
    assert.ok(process.memoryUsage().heapUsed - before < 32 * 2 ** 20);
  });
}

test('a load past its deadline is stopped and fails, saying so', async () => {
  const loaded = await guardedLoad(file('slow.yaml', thousandTargets()), ENV, 1);
  assert.deepEqual(loaded, { failed: 'the load took longer than 0.001 s and was stopped' });
});

test('RELOAD_TIMEOUT_SECONDS bounds the first load too: its value when good, else the default', () => {
  assert.equal(loadTimeoutMs({}), 10_000);
  assert.equal(loadTimeoutMs({ RELOAD_TIMEOUT_SECONDS: '2.5' }), 2_500);
  for (const bad of ['0', 'abc', '1e9', '-1', '601']) {
    assert.equal(loadTimeoutMs({ RELOAD_TIMEOUT_SECONDS: bad }), 10_000, bad);
  }
});

test("a directory's size limit is all its files together: many files under it each are refused as a whole", async () => {
  const folder = join(dir, 'many-files');
  mkdirSync(folder);
  const part = `# ${'x'.repeat(300 * 1024)}\n`;
  for (let i = 0; i < 8; i++) writeFileSync(join(folder, `part-${i}.yaml`), part);
  const read = await readSources(folder);
  assert.deepEqual(read.sources, []);
  assert.equal(read.problems.length, 1);
  assert.equal(read.problems[0].file, folder);
  assert.match(
    read.problems[0].message,
    /more than 1048576 \(a ConfigMap's most, all files together\)/,
  );
});
