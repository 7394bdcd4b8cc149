import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { helpText } from '../../src/help';
import { IGNORED_SIGNALS, RELOAD_SIGNAL, STOP_SIGNALS, spoken } from '../../src/signalTable';

const ROOT = join(__dirname, '..', '..', '..');
/** The user documentation: the README and whatever moved from it into docs/. */
const docs = (): string => {
  const dir = join(ROOT, 'docs');
  const moved = existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.md'))
        .map((name) => readFileSync(join(dir, name), 'utf8'))
    : [];
  return [readFileSync(join(ROOT, 'README.md'), 'utf8'), ...moved].join('\n').replace(/\s+/g, ' ');
};

test('--help says what each signal does, as the signal table has it: SIGHUP reloads', () => {
  const help = helpText().replace(/\s+/g, ' ');
  assert.ok(help.includes(`runs until ${spoken(STOP_SIGNALS)} (exit 0)`), help);
  assert.ok(help.includes(`${RELOAD_SIGNAL} reloads the targets file`));
  assert.ok(help.includes(`${spoken(IGNORED_SIGNALS, 'and')} are ignored`));
  const stops = help.slice(help.indexOf('runs until'), help.indexOf('(exit 0)'));
  assert.ok(!stops.includes(RELOAD_SIGNAL), `${RELOAD_SIGNAL} is not among the stop signals`);
});

test('the README says what the signal table says', () => {
  const text = docs();
  assert.ok(text.includes(`${spoken(STOP_SIGNALS, 'and')} stop the probe cleanly`));
  assert.ok(text.includes(`${RELOAD_SIGNAL} reloads the targets file`));
  assert.ok(
    text.includes(`${spoken(IGNORED_SIGNALS, 'and')} are logged (\`signal ignored\`) and ignored`),
  );
});
