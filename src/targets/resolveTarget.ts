import { type Config, ConfigError, loadConfig } from '../config/loadConfig';
import { allSettings } from '../config/settings';
import { keyOf, processSettings, targetSettings } from './keys';
import type { TargetProblem } from './problem';
import { readSecret, type SecretRef } from './secretRef';

type Entry = Readonly<Record<string, unknown>>;
type Origin = 'target' | 'defaults' | 'environment';

/** One entry of a file, with what is needed to check it and to say where a problem is. */
export interface EntryInFile {
  readonly file: string;
  readonly dir: string;
  /** The entry's name in problems (`target "a"`, `targets[2]`) and its path in the file. */
  readonly name: string;
  readonly path: readonly (string | number)[];
  readonly target: Entry;
  readonly defaults: Entry;
  /** Keys already reported bad, by the schema: not checked again. */
  readonly skip: ReadonlySet<string>;
  readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

/** Any variable of the table named in a line; longest first, so none matches inside another. */
const mentionOf = (names: string[]) =>
  new RegExp(`\\b(${names.sort((a, b) => b.length - a.length).join('|')})\\b`, 'g');
const MENTION = mentionOf(allSettings().map(({ setting }) => setting.env));
/** A target's own variables, which a file names by its keys (the process-wide keep their names). */
const TARGET_MENTION = mentionOf(targetSettings().map(({ setting }) => setting.env));
/** The process-wide variables: set only in the environment, so told there, once. */
const PROCESS_WIDE = new Set(processSettings().map(({ setting }) => setting.env));

/**
 * A target's configuration, checked by the very loader that checks the variables: its values
 * (target over file defaults over the environment over the built-in defaults) become the
 * variables they stand for, so every format, floor and rule between settings is the same one.
 * Each problem goes where it can be mended: to the target, to the defaults when it is only about
 * their values, or to the environment when only about variables set there.
 */
export async function resolveTarget(
  at: EntryInFile,
  env: NodeJS.ProcessEnv,
): Promise<{ config: Config } | { problems: TargetProblem[] }> {
  const { variables, origins, problems, skip } = await variablesOf(at, env);
  try {
    const config = loadConfig(variables);
    return problems.length > 0 ? { problems } : { config };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.problems) {
      const mentioned = [...line.matchAll(MENTION)].map((m) => m[1]);
      if (mentioned.some((name) => skip.has(keyOf(name)))) continue; // told already
      // A line only about process-wide variables is the environment's (once, not per target).
      const own = mentioned.filter((name) => !PROCESS_WIDE.has(name));
      const from = new Set(
        own.length === 0 && mentioned.length > 0 ? ['environment'] : own.map((n) => origins.get(n)),
      );
      // Told where it can be mended: the target if it sets any of it, else its file's defaults,
      // else the environment; a value no one set (a required one) is the target's to set.
      const origin = from.has('target')
        ? 'target'
        : from.has('defaults')
          ? 'defaults'
          : from.has('environment')
            ? 'environment'
            : 'target';
      if (origin === 'environment') {
        problems.push({ file: 'environment', message: line });
        continue;
      }
      const inKeys = line.replace(TARGET_MENTION, (name) => keyOf(name));
      const split = inKeys.indexOf(': ');
      const [key, message] =
        split < 0 ? [undefined, inKeys] : [inKeys.slice(0, split), inKeys.slice(split + 2)];
      problems.push(placed(at, origin, key, message));
    }
    return { problems };
  }
}

/** The variables a target stands for, where each value came from, and its secrets' problems. */
async function variablesOf(at: EntryInFile, env: NodeJS.ProcessEnv) {
  const variables: NodeJS.ProcessEnv = { ...env };
  const origins = new Map<string, Origin>();
  const problems: TargetProblem[] = [];
  const skip = new Set(at.skip);
  for (const { key, setting } of targetSettings()) {
    const origin: Origin | undefined =
      at.target[key] !== undefined
        ? 'target'
        : at.defaults[key] !== undefined
          ? 'defaults'
          : env[setting.env] !== undefined
            ? 'environment'
            : undefined;
    if (origin) origins.set(setting.env, origin);
    if (skip.has(key)) delete variables[setting.env];
    if (skip.has(key) || origin === undefined || origin === 'environment') continue;
    const value = (origin === 'target' ? at.target : at.defaults)[key];
    if (!setting.secret) {
      variables[setting.env] = String(value);
      continue;
    }
    const secret = await readSecret(value as SecretRef, env, at.dir);
    if ('value' in secret) variables[setting.env] = secret.value;
    else {
      problems.push(placed(at, origin, key, secret.message));
      delete variables[setting.env];
      skip.add(key);
    }
  }
  return { variables, origins, problems, skip };
}

/** A problem at the entry or at the file's defaults; its line is the key's when written. */
function placed(
  at: EntryInFile,
  origin: 'target' | 'defaults',
  key: string | undefined,
  message: string,
): TargetProblem {
  const path = origin === 'target' ? at.path : ['defaults'];
  const written =
    key !== undefined && Object.hasOwn(origin === 'target' ? at.target : at.defaults, key);
  return {
    file: at.file,
    line: at.lineOf(written ? [...path, key] : path),
    entry: origin === 'target' ? at.name : 'defaults',
    key,
    message,
  };
}
