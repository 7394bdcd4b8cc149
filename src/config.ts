import convict from 'convict';
import { isUrl } from './configFormats';
import { derivedLimitProblems } from './derivedLimits';
import { redactor } from './redact';
import { secretValuesInEnv } from './secrets';
import type { Setting } from './setting';
import { allSettings, type Config } from './settings';

export type { Config, LogLevel } from './settings';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** A variable's value as read (in its own unit), by variable name. */
type Raw = Record<string, unknown>;

function schema(): convict.Schema<Raw> {
  const entries = allSettings().map(({ setting }) => [
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

/** Every variable's value in its own unit, defaults and fallbacks applied, all rules checked. */
function readRaw(env: NodeJS.ProcessEnv): Raw {
  // A problem line may quote a value (a URL with a token in it); secrets never show.
  const redact = redactor(secretsOf(env));
  const config = convict(schema(), { env, args: [] });
  try {
    config.validate({ allowed: 'strict' });
  } catch (error) {
    throw new ConfigError(
      String((error as Error).message)
        .split('\n')
        .map((line) => redact(tidy(line))),
    );
  }
  const raw = config.getProperties() as Raw;
  const get = (name: string): unknown => raw[name];
  for (const { setting } of allSettings()) {
    if (raw[setting.env] === null && setting.fallback) raw[setting.env] = setting.fallback(get);
  }
  const problems = crossCheck(raw);
  if (problems.length > 0) throw new ConfigError(problems.map(redact));
  return raw;
}

// convict says `NAME: problem: value was "x"`; keep that order but say "got" for the value.
const tidy = (line: string): string => line.replace(/: value was /, ', got ');

/** The values of the secret variables, to be masked wherever they might show. */
function secretsOf(env: NodeJS.ProcessEnv): string[] {
  return secretValuesInEnv(env);
}

/** The rules that involve more than one variable. */
function crossCheck(raw: Raw): string[] {
  const n = (name: string) => raw[name] as number;
  const problems: string[] = [];
  const need = (ok: boolean, line: string) => {
    if (!ok) problems.push(line);
  };
  const atLeast = (name: string, other: string) =>
    need(n(name) >= n(other), `${name}: expected at least ${other} (${n(other)}), got ${n(name)}`);

  atLeast('PURGE_EVENT_TIMEOUT_SECONDS', 'MARK_EVENT_LOST_TIMEOUT_SECONDS');
  need(
    n('MISSING_GRACE_SECONDS') < n('MARK_EVENT_LOST_TIMEOUT_SECONDS'),
    `MISSING_GRACE_SECONDS: expected less than MARK_EVENT_LOST_TIMEOUT_SECONDS (${n('MARK_EVENT_LOST_TIMEOUT_SECONDS')}), got ${n('MISSING_GRACE_SECONDS')}`,
  );
  need(
    n('LATENCY_OBJECTIVE_SECONDS') <= n('MARK_EVENT_LOST_TIMEOUT_SECONDS'),
    `LATENCY_OBJECTIVE_SECONDS: expected at most MARK_EVENT_LOST_TIMEOUT_SECONDS (${n('MARK_EVENT_LOST_TIMEOUT_SECONDS')}), got ${n('LATENCY_OBJECTIVE_SECONDS')}`,
  );
  atLeast('RECONNECT_MAX_SECONDS', 'RECONNECT_MIN_SECONDS');
  const url = raw.WEBSOCKET_URL as string | null;
  need(
    url !== null,
    'WEBSOCKET_URL: is required (the subscription URL, such as wss://host/path), unless LOCAL_SERVICES_ONLY=true',
  );
  need(
    url === null || isUrl(url, ['ws:', 'wss:']),
    `WEBSOCKET_URL: expected a ws:// or wss:// URL, got ${JSON.stringify(url)}`,
  );
  need(
    (raw.OKDATA_CLIENT_ID === '') === (raw.OKDATA_CLIENT_SECRET === ''),
    'OKDATA_CLIENT_ID and OKDATA_CLIENT_SECRET: expected both (bearer posting) or neither (webhook posting)',
  );
  problems.push(...derivedLimitProblems(raw));
  return problems;
}

/** `--check-config`: every variable and the value it has, secrets masked, one per line. */
export function describeConfig(env: NodeJS.ProcessEnv): string {
  const raw = readRaw(env);
  const redact = redactor(secretsOf(env));
  return allSettings()
    .map(({ setting }) => redact(`${setting.env}=${shown(setting, raw[setting.env])}`))
    .join('\n');
}

function shown(setting: Setting<unknown>, value: unknown): string {
  if (setting.secret) return value === '' || value === null ? '' : '***';
  return Array.isArray(value) ? value.join(',') : String(value ?? '');
}
