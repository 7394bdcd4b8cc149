import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { anchorsOf, headingsOf, linksOf, sectionOf } from '../helpers/markdown';

/**
 * The README and docs/ against the tree they describe: every link and runbook link leads to a
 * file and a heading that exist, the README stays a first-day read whose Contents names every
 * section, and what docs/how-it-works.md says of each file is checked where it can be.
 */
const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const DOCS = [
  'README.md',
  'BENCHMARKS.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];

/** Where a link from `from` leads: a problem, or nothing when the file and anchor exist. */
function brokenLink(from: string, link: string): string | undefined {
  if (/^[a-z]+:/.test(link)) return undefined; // https:, mailto:: not ours to check
  const [path, anchor] = link.split('#');
  const target = path ? join(dirname(from), path) : from;
  if (!existsSync(join(ROOT, target))) return `${from}: ${link}: no file ${target}`;
  if (anchor === undefined) return undefined;
  if (!target.endsWith('.md')) return `${from}: ${link}: an anchor in a file that is not Markdown`;
  return anchorsOf(read(target)).has(anchor) ? undefined : `${from}: ${link}: no such heading`;
}

describe('links', () => {
  test('every link of the README, BENCHMARKS.md and docs/ leads to a file and heading that exist', () => {
    const broken = DOCS.flatMap((file) => linksOf(read(file)).map((l) => brokenLink(file, l)));
    assert.deepEqual(broken.filter(Boolean), []);
  });

  test('every runbook_url of the shipped rules leads to its own heading', () => {
    const dir = join('deploy', 'prometheus');
    for (const file of readdirSync(join(ROOT, dir))) {
      const rules = parse(read(join(dir, file))).groups.flatMap((g: { rules: [] }) => g.rules);
      for (const { alert, annotations } of rules.filter((r: { alert?: string }) => r.alert)) {
        const url: string = annotations.runbook_url;
        assert.match(url, new RegExp(`^docs/runbooks\\.md#${alert.toLowerCase()}$`), alert);
        // Relative to the repository's root, as Alertmanager templates are told to prefix it.
        assert.equal(brokenLink('README.md', url), undefined, alert);
      }
    }
  });

  test('the check sees a missing file and a missing heading', () => {
    assert.match(brokenLink('README.md', 'docs/nothing.md') ?? '', /no file/);
    assert.match(brokenLink('README.md', 'docs/runbooks.md#probenothing') ?? '', /no such heading/);
    assert.equal(brokenLink('docs/alerts.md', 'runbooks.md#probedown'), undefined);
  });
});

describe('the README', () => {
  const readme = read('README.md');

  test('is a first-day read: at most 300 lines, the rest in docs/', () => {
    const lines = readme.split('\n').length;
    assert.ok(lines <= 300, `${lines} lines: move what a first day does not need to docs/`);
  });

  test('its Contents line names every section, in order, and nothing else', () => {
    const contents = readme.slice(readme.indexOf('\nContents: '), readme.indexOf('\n\n#'));
    const named = [...contents.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    const sections = headingsOf(readme)
      .filter(({ level }) => level === 2)
      .map(({ text }) => [...anchorsOf(`## ${text}`)][0]);
    assert.deepEqual(named, sections);
  });
});

describe('docs/how-it-works.md against the code', () => {
  const doc = read(join('docs', 'how-it-works.md'));
  const streams = sectionOf(doc, '## The stream core, file by file');
  const rows = [...streams.matchAll(/^\| `([a-zA-Z]+\.ts)` \| (.{10,})\|$/gm)];
  const rxjs = new Set(Object.keys(require('rxjs')));

  test('names every file of streams/ and the rule it holds, and no other', () => {
    const files = readdirSync(join(ROOT, 'streams')).filter((file) => file.endsWith('.ts'));
    assert.deepEqual(rows.map((m) => m[1]).sort(), files.sort());
  });

  test('what a row says a file uses, the file has: each `name` in it, each rxjs operator imported', () => {
    for (const [, file, rule] of rows) {
      const source = read(join('streams', file));
      const imported = new Set(
        [...source.matchAll(/import \{([^}]*)\} from 'rxjs(?:\/operators)?'/g)].flatMap((m) =>
          m[1].split(',').map((name) => name.replace(/^\s*type\s+/, '').trim()),
        ),
      );
      for (const [, name] of rule.matchAll(/`([a-zA-Z][\w-]*)`/g)) {
        if (rxjs.has(name)) assert.ok(imported.has(name), `${file} imports ${name} from rxjs`);
        else assert.match(source, new RegExp(`\\b${name}\\b`), `${file} has ${name}`);
      }
    }
  });

  test('every file and folder the code table names exists', () => {
    const table = sectionOf(doc, '## Where the code lives');
    for (const [row] of table.matchAll(/^\| `.*$/gm)) {
      const [first, ...rest] = [...row.matchAll(/`([\w./-]+)`/g)].map((m) => m[1]);
      const folder = first.endsWith('/') ? first : dirname(first);
      for (const path of [first, ...rest.filter((p) => /\.ts$/.test(p))]) {
        const at = path.includes('/') ? path : join(folder, path);
        assert.ok(existsSync(join(ROOT, at)), `${relative('.', at)} (${row.slice(0, 40)}…)`);
      }
    }
  });
});
