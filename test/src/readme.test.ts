import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');

test('"How it works" names every file of streams/ and the rule it holds, and no other', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## How it works'),
    readme.indexOf('## Configuration'),
  );
  const named = [...section.matchAll(/^\| `([a-zA-Z]+\.ts)` \| .{10,}\|$/gm)]
    .map((m) => m[1])
    .sort();
  const files = readdirSync(join(ROOT, 'streams'))
    .filter((file) => file.endsWith('.ts'))
    .sort();
  assert.deepEqual(named, files);
});
