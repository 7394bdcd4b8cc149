import convict from 'convict';

/**
 * The strict value formats of the configuration. convict's own `Number`, `Boolean` and `int`
 * accept NaN, "0" as true and "91x" as 91, so they are not used. Each format keeps the raw
 * string when it cannot parse it, so the error shows what was given.
 */
export type FormatName =
  | SecondsFormat
  | 'whole'
  | 'flag'
  | 'required'
  | 'optional'
  | 'url-or-null'
  | 'path-segment'
  | 'buckets';

/** A duration in seconds whose value in whole milliseconds must be at least `min`. */
export type SecondsFormat = `seconds>=${number}ms`;

export const number = (text: string): number | string =>
  /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(text) ? Number(text) : text;

/**
 * Durations are used in whole milliseconds, so the floor is checked on the rounded value the
 * program will use: 0.0004 s is 0 ms, and is refused wherever 0 would mean "never" or "spin".
 */
export function secondsFormat(minMs: number): SecondsFormat {
  const name: SecondsFormat = `seconds>=${minMs}ms`;
  if (!registered.has(name)) {
    registered.add(name);
    convict.addFormat({
      name,
      coerce: number,
      validate(x: unknown) {
        if (x === null) return; // unset, with a default that follows from other variables
        const ok = typeof x === 'number' && Number.isFinite(x) && Math.round(x * 1000) >= minMs;
        if (!ok) {
          throw new Error(
            `expected a number of seconds of at least ${minMs / 1000} (used in whole milliseconds), such as 10 or 0.5`,
          );
        }
      },
    });
  }
  return name;
}
const registered = new Set<string>();

/** A dot segment would be resolved away by the URL and re-path the request. */
export const DOT_SEGMENT = /^\.{1,2}$/;

export function isUrl(text: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

const FORMATS: Record<Exclude<FormatName, SecondsFormat>, convict.Format> = {
  whole: {
    validate(x: unknown) {
      if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) {
        throw new Error('expected a whole number such as 3');
      }
    },
    coerce: (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : text),
  },
  flag: {
    validate(x: unknown) {
      if (typeof x !== 'boolean') throw new Error('expected true or false');
    },
    coerce(text: string) {
      const t = text.trim().toLowerCase();
      if (['true', '1', 'yes'].includes(t)) return true;
      if (['false', '0', 'no', ''].includes(t)) return false;
      return text;
    },
  },
  required: {
    validate(x: unknown) {
      if (typeof x !== 'string' || x.trim() === '')
        throw new Error('is required but not set (or empty)');
    },
  },
  'path-segment': {
    validate(x: unknown) {
      if (typeof x !== 'string' || x.trim() === '')
        throw new Error('is required but not set (or empty)');
      if (DOT_SEGMENT.test(x)) {
        throw new Error('expected a name other than . or .. (it is one segment of a URL path)');
      }
    },
  },
  optional: {
    validate(x: unknown) {
      if (x !== null && typeof x !== 'string') throw new Error('expected text');
    },
  },
  'url-or-null': {
    validate(x: unknown) {
      if (x === null) return;
      if (typeof x !== 'string' || !isUrl(x, ['http:', 'https:', 'ws:', 'wss:'])) {
        throw new Error('expected an absolute URL such as https://host/path');
      }
    },
  },
  buckets: {
    validate(x: unknown) {
      const ok =
        Array.isArray(x) &&
        x.length > 0 &&
        x.every((b, i) => typeof b === 'number' && b > 0 && (i === 0 || b > x[i - 1]));
      if (!ok)
        throw new Error(
          'expected increasing positive seconds separated by commas, such as 0.1,1,10',
        );
    },
    coerce(text: string) {
      const parts = text.split(',').map((p) => number(p));
      return parts.every((p) => typeof p === 'number') ? parts : text;
    },
  },
};

convict.addFormats(FORMATS as Record<string, convict.Format>);
