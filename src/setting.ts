import { type FormatName, secondsFormat } from './configFormats';

/**
 * One configuration variable, declared once. Everything else — the convict schema, the
 * conversion to the value the program uses, the `Config` type, the README check and the
 * `--check-config` listing — is derived from the table in `settings.ts`. The helpers below build the common kinds.
 */
export interface Setting<T> {
  readonly env: string;
  /** One line for people: what it means. */
  readonly doc: string;
  readonly format: FormatName | readonly string[];
  /** The value when unset, in the variable's own unit; undefined when it has no fixed one. */
  readonly default?: unknown;
  /** When unset and without a fixed default: the value follows from other variables. */
  readonly fallback?: (get: (env: string) => unknown) => unknown;
  readonly unit?: 'seconds';
  readonly secret?: boolean;
  /** 'process': one value for the whole process, set only by variable; else each target's own. */
  readonly scope?: 'target' | 'process';
  /** From the variable's value to what the program uses (seconds become milliseconds). */
  readonly toValue: (raw: never, get: (env: string) => unknown) => T;
}

/** The same setting, one value for the whole process (never in a targets file). */
export const processWide = <S extends Setting<unknown>>(setting: S): S => ({
  ...setting,
  scope: 'process',
});

/** A variable that only feeds the defaults of others: no field of `Config`. */
export const feedsOthers = (setting: Omit<Setting<never>, 'toValue'>): Setting<never> => ({
  ...setting,
  toValue: () => undefined as never,
});

export const same = <T>(raw: T): T => raw;
export const ms = (seconds: number): number => Math.round(seconds * 1000);
export const stripSlash = (url: string): string => url.replace(/\/+$/, '');

export const text = (env: string, doc: string, extra: Partial<Setting<string>> = {}) =>
  ({ env, doc, format: 'required', toValue: same<string>, ...extra }) as Setting<string>;

/** A duration: read in seconds (fractions allowed), used in whole milliseconds ≥ `minSeconds`. */
export const seconds = (
  env: string,
  defaultSeconds: number | undefined,
  doc: string,
  minSeconds: number,
  extra: Partial<Setting<number>> = {},
): Setting<number> => {
  const format = secondsFormat(Math.round(minSeconds * 1000));
  return { env, doc, format, default: defaultSeconds, unit: 'seconds', toValue: ms, ...extra };
};

export const whole = (env: string, defaultValue: number, doc: string): Setting<number> => ({
  env,
  doc,
  format: 'whole',
  default: defaultValue,
  toValue: same<number>,
});

export const flag = (env: string, doc: string): Setting<boolean> => ({
  env,
  doc,
  format: 'flag',
  default: false,
  toValue: same<boolean>,
});

/** The value a setting gives the program. */
export type ValueOf<S> = S extends Setting<infer T> ? T : never;
export type Fields<G> = {
  readonly [K in keyof G as [ValueOf<G[K]>] extends [never] ? never : K]: ValueOf<G[K]>;
};
