import { FLAG_FORMAT } from './config/configFormats';
import type { Setting } from './config/settingKinds';
import { allSettings } from './config/settings';
import { IGNORED_SIGNALS, RELOAD_SIGNAL, STOP_SIGNALS, spoken } from './signalTable';

/**
 * `--help`: the arguments, then every variable of the settings table with its meaning and
 * default, so the list cannot drift from what the program reads.
 */
export function helpText(): string {
  const lines = [
    'Usage: node dist/src/main.js [--check-config | --help | --version]',
    '',
    'Posts an event to the collector on a schedule, listens for it on the subscription and',
    `exports Prometheus metrics. Without arguments it runs until ${spoken(STOP_SIGNALS)}`,
    `(exit 0); ${RELOAD_SIGNAL} reloads the targets file, ${spoken(IGNORED_SIGNALS, 'and')} are ignored.`,
    '',
    '  --check-config  check the configuration, list every value (secrets masked) and exit:',
    '                  0 when it is valid, 2 when not',
    '  --help, -h      print this and exit',
    '  --version, -v   print the version and exit',
    '',
    'Configuration, from environment variables (durations in seconds, fractions allowed;',
    'flags take true/false/1/0/yes/no):',
  ];
  let group = '';
  for (const entry of allSettings()) {
    if (entry.group !== group) {
      group = entry.group;
      lines.push('', `${group}:`);
    }
    lines.push(
      `  ${entry.setting.env}  (${defaultOf(entry.setting)})`,
      `      ${meaning(entry.setting)}`,
    );
  }
  lines.push(
    '',
    'Exit codes: 0 stopped or checked, 1 failed to start (a port in use), 2 bad configuration or',
    'arguments. A variable that looks like one of these but is not gets a warning on stderr.',
  );
  return `${lines.join('\n')}\n`;
}

/** What it is for, and the form it takes: its words, or its range in its own unit. */
function meaning(setting: Setting<unknown>): string {
  const { min, max } = setting.limits;
  let form = '';
  if (setting.choices && setting.format !== FLAG_FORMAT)
    form = `one of ${setting.choices.join(', ')}`;
  else if (setting.unit === 'seconds') form = `seconds, from ${min / 1000} to ${max / 1000}`;
  else if (typeof setting.default === 'number') form = `from ${min} to ${max}`;
  return `${setting.doc}${form ? ` (${form})` : ''}${setting.secret ? '; secret' : ''}`;
}

/** The default as a person reads it; one that follows other variables says which. */
function defaultOf(setting: Setting<unknown>): string {
  if (setting.default !== undefined && setting.default !== null) {
    const shown = Array.isArray(setting.default) ? setting.default.join(',') : setting.default;
    return shown === '' ? 'default: none' : `default: ${shown}`;
  }
  if (!setting.fallback) return 'required';
  // The fallback under every other variable's default, and the variables it consulted.
  const read: string[] = [];
  const defaults = new Map(allSettings().map(({ setting: s }) => [s.env, s.default ?? null]));
  const value = setting.fallback((name) => {
    read.push(name);
    return defaults.get(name);
  });
  const from = `derived from ${[...new Set(read)].join(', ')}`;
  return value === null || value === undefined
    ? `required, or ${from}`
    : `default: ${String(value)}, ${from}`;
}
