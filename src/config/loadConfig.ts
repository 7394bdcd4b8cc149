import convict from 'convict';
import { redactor } from '../logs/redact';
import { Oversized } from './oversized';
import { secretValuesInEnv } from './secrets';
import type { Setting } from './settingKinds';
import { ruleProblems } from './settingRules';
import { allSettings, type Config } from './settings';

export type { Config, LogLevel } from './settings';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** A variable's value as read (in its own unit), by variable name. */
type Raw = Record<string, unknown>;

/** Which settings a reading covers: all, or the process-wide ones (a targets file's run). */
export type Scope = 'all' | 'process';
const settingsOf = (scope: Scope) =>
  allSettings().filter(({ setting }) => scope === 'all' || setting.scope === 'process');

function schema(scope: Scope): convict.Schema<Raw> {
  const entries = settingsOf(scope).map(({ setting }) => [
    setting.env,
    {
      doc: setting.doc,
      format: setting.format,
      default: setting.default ?? null,
      env: setting.env,
      sensitive: setting.secret === true,
    },
  ]);
  return Object.fromEntries(entries) as convict.Schema<Raw>;
}

/**
 * Reads and checks the configuration from `env`; throws ConfigError listing every problem, one
 * line each, naming the variable, what is wrong and the expected form.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = readRaw(env);
  const get = (name: string): unknown => raw[name];
  const grouped: Record<string, Record<string, unknown>> = {};
  for (const { group, field, setting } of allSettings()) {
    grouped[group] ??= {};
    grouped[group][field] = (setting.toValue as (raw: unknown, g: typeof get) => unknown)(
      raw[setting.env],
      get,
    );
  }
  return grouped as unknown as Config;
}

/**
 * Every variable's value in its own unit, defaults and fallbacks applied, all rules checked.
 * Every problem is found in one round: the format of each variable, then each rule between
 * variables whose values are themselves good (a rule about a bad value would only repeat it).
 */
function readRaw(env: NodeJS.ProcessEnv, scope: Scope = 'all'): Raw {
  // A problem line may quote a value (a URL with a token in it); secrets never show.
  const redact = redactor(secretsOf(env));
  const config = convict(schema(scope), { env, args: [] });
  const problems: string[] = [];
  try {
    config.validate({ allowed: 'strict' });
  } catch (error) {
    problems.push(...String((error as Error).message).split('\n'));
  }
  const bad = new Set(problems.map(nameOf));
  const raw = config.getProperties() as Raw;
  problems.splice(0, problems.length, ...problems.map((line) => tidy(line, env, raw)));
  for (const { setting } of settingsOf(scope)) {
    if (raw[setting.env] !== null || !setting.fallback) continue;
    // A fallback from a bad value would be nonsense (or throw): the variable stays unset.
    const good = (name: string) => {
      if (bad.has(name)) throw FROM_BAD_VALUE;
      return raw[name];
    };
    try {
      raw[setting.env] = setting.fallback(good);
    } catch (error) {
      if (error !== FROM_BAD_VALUE) throw error;
    }
  }
  problems.push(...ruleProblems(raw, bad, (name) => Object.hasOwn(raw, name)));
  if (problems.length > 0) throw new ConfigError(inTableOrder(problems).map(redact));
  return raw;
}

const FROM_BAD_VALUE = Symbol('a fallback read a bad value');

/** The variable a problem line names (its first word). */
const nameOf = (line: string): string => /^[A-Z0-9_]+/.exec(line)?.[0] ?? '';

/** Problems in the order of the settings table, as `--help` and the README list them. */
function inTableOrder(problems: string[]): string[] {
  const order = new Map(allSettings().map(({ setting }, i) => [setting.env, i]));
  const rank = (line: string) => order.get(nameOf(line)) ?? order.size;
  return problems
    .map((line, i) => ({ line, i }))
    .sort((a, b) => rank(a.line) - rank(b.line) || a.i - b.i)
    .map(({ line }) => line);
}

/**
 * convict says `NAME: problem: value was "x"`, and leaves the value out when it is falsy (0,
 * empty). Every line says `NAME: problem, got "<the text given>"` instead, the value as it was
 * written whatever it became; a secret's value never, and a value too long to quote by its size
 * (as convict shows an `Oversized`). A missing value says what the variable is for.
 */
function tidy(line: string, env: NodeJS.ProcessEnv, raw: Raw): string {
  const name = nameOf(line);
  const setting = allSettings().find(({ setting }) => setting.env === name)?.setting;
  const [problem, quoted] = line.split(/: value was /);
  const given = env[name];
  let got = '';
  if (raw[name] instanceof Oversized) got = quoted === undefined ? '' : `, got ${quoted}`;
  else if (given !== undefined && setting?.secret !== true) got = `, got ${JSON.stringify(given)}`;
  const required = /^[A-Z0-9_]+: is required/.test(problem) && setting;
  return `${problem}${required ? `: expected the ${setting.doc}` : ''}${got}`;
}

/** The values of the secret variables, to be masked wherever they might show. */
function secretsOf(env: NodeJS.ProcessEnv): string[] {
  return secretValuesInEnv(env);
}

/**
 * `--check-config`: every variable of `scope` and the value it has, secrets masked, one per
 * line; throws ConfigError as `loadConfig` does. With a targets file only the process-wide
 * variables are the environment's to give (a target's own come from the file).
 */
export function describeConfig(env: NodeJS.ProcessEnv, scope: Scope = 'all'): string {
  const raw = readRaw(env, scope);
  const redact = redactor(secretsOf(env));
  return settingsOf(scope)
    .map(({ setting }) => redact(`${setting.env}=${shown(setting, raw[setting.env])}`))
    .join('\n');
}

function shown(setting: Setting<unknown>, value: unknown): string {
  if (setting.secret) return value === '' || value === null ? '' : '***';
  return Array.isArray(value) ? value.join(',') : String(value ?? '');
}
