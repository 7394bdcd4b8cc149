import {
  bucketsFormat,
  choiceFormat,
  FLAG_FORMAT,
  type FormatName,
  secondsFormat,
  wholeFormat,
} from './configFormats';
import { type TextKind, textFormat } from './textFormats';

/**
 * One configuration variable, declared once. Everything else — the convict schema, the
 * conversion to the value the program uses, the `Config` type, the README check and the
 * `--check-config` listing — is derived from the table in `settings.ts`. The helpers below build the common kinds.
 */
export interface Setting<T> {
  readonly env: string;
  /** One line for people: what it means. */
  readonly doc: string;
  readonly format: FormatName;
  /** The value when unset, in the variable's own unit; undefined when it has no fixed one. */
  readonly default?: unknown;
  /** When unset and without a fixed default: the value follows from other variables. */
  readonly fallback?: (get: (env: string) => unknown) => unknown;
  readonly unit?: 'seconds';
  /** Its value is secret: masked wherever it might show. */
  readonly secret?: boolean;
  /** 'process': one value for the whole process, set only by variable; else each target's own. */
  readonly scope?: 'target' | 'process';
  /** A URL whose userinfo password (or lone user) is secret: masked wherever it might show. */
  readonly userinfoSecret?: boolean;
  /**
   * The range the format enforces, as the program counts: milliseconds for durations, the value
   * for whole numbers, characters for text, entries for lists (text and lists from 0 or 1).
   */
  readonly limits: { readonly min: number; readonly max: number };
  /** The words it accepts (in any case), for a setting that takes one of a few words. */
  readonly choices?: readonly string[];
  /** From the variable's value to what the program uses (seconds become milliseconds). */
  readonly toValue: (raw: never, get: (env: string) => unknown) => T;
}

/** The same setting, one value for the whole process (never in a targets file). */
export const processWide = <S extends Setting<unknown>>(setting: S): S => ({
  ...setting,
  scope: 'process',
});
/** The longest wait a Node timer keeps (2³¹−1 ms, ~24.8 days): past it Node waits 1 ms. */
export const TIMER_MAX_MS = 2 ** 31 - 1;
export const MINUTE = 60;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Ids that go into a URL path, a query or a form: far below any server's line limit. */
export const ID_CHARS = 256;
/** URLs and tokens: as long as real ones get, still under a request line's usual 8 KiB. */
export const URL_CHARS = 2048;

/** A variable that only feeds the defaults of others: no field of `Config`. */
export const feedsOthers = (setting: Omit<Setting<never>, 'toValue'>): Setting<never> => ({
  ...setting,
  toValue: () => undefined as never,
});

export const same = <T>(raw: T): T => raw;
export const ms = (seconds: number): number => Math.round(seconds * 1000);
export const stripSlash = (url: string): string => url.replace(/\/+$/, '');

/** Text of at most `maxChars`: required unless `kind` says otherwise. */
export const text = (
  env: string,
  doc: string,
  maxChars: number,
  { kind = 'required', ...extra }: Partial<Setting<string>> & { kind?: TextKind } = {},
): Setting<string> => ({
  env,
  doc,
  format: textFormat(kind, maxChars),
  limits: { min: kind === 'optional' ? 0 : 1, max: maxChars },
  toValue: same<string>,
  ...extra,
});

/** An absolute URL; unset, it follows from other variables (`fallback`). */
export const url = (
  env: string,
  doc: string,
  fallback: (get: (env: string) => unknown) => unknown,
  toValue: (raw: string) => string,
): Setting<string> => ({
  env,
  doc,
  format: textFormat('url-or-null', URL_CHARS),
  limits: { min: 1, max: URL_CHARS },
  userinfoSecret: true,
  fallback,
  toValue,
});

/** A duration: read in seconds (fractions allowed), used in whole milliseconds in its range. */
export const seconds = (
  env: string,
  defaultSeconds: number | undefined,
  doc: string,
  [minSeconds, maxSeconds]: readonly [number, number],
  extra: Partial<Setting<number>> = {},
): Setting<number> => {
  const limits = { min: ms(minSeconds), max: ms(maxSeconds) };
  if (limits.max > TIMER_MAX_MS) throw new Error(`${env}: a ceiling past what a timer can wait`);
  const format = secondsFormat(limits.min, limits.max);
  return {
    env,
    doc,
    format,
    limits,
    default: defaultSeconds,
    unit: 'seconds',
    toValue: ms,
    ...extra,
  };
};

export const whole = (
  env: string,
  defaultValue: number,
  doc: string,
  [min, max]: readonly [number, number],
  what?: string,
): Setting<number> => ({
  env,
  doc,
  format: wholeFormat(min, max, what),
  limits: { min, max },
  default: defaultValue,
  toValue: same<number>,
});

export const flag = (env: string, doc: string): Setting<boolean> => ({
  env,
  doc,
  format: FLAG_FORMAT,
  limits: { min: 0, max: 1 },
  choices: ['true', 'false', '1', '0', 'yes', 'no'],
  default: false,
  toValue: same<boolean>,
});

/** One of a few words, accepted in any case. */
export const choice = <T extends string>(
  env: string,
  choices: readonly T[],
  defaultValue: T,
  doc: string,
): Omit<Setting<T>, 'toValue'> => ({
  env,
  doc,
  format: choiceFormat(choices),
  limits: { min: 1, max: Math.max(...choices.map((c) => c.length)) },
  choices,
  default: defaultValue,
});

export const buckets = (
  env: string,
  defaultValue: number[],
  doc: string,
  maxCount: number,
): Setting<number[]> => ({
  env,
  doc,
  format: bucketsFormat(maxCount),
  limits: { min: 1, max: maxCount },
  default: defaultValue,
  toValue: same<number[]>,
});

/** The value a setting gives the program. */
export type ValueOf<S> = S extends Setting<infer T> ? T : never;
export type Fields<G> = {
  readonly [K in keyof G as [ValueOf<G[K]>] extends [never] ? never : K]: ValueOf<G[K]>;
};
