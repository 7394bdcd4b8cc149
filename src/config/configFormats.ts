import convict from 'convict';
import { Oversized, oversized } from './oversized';

/**
 * The strict value formats of the configuration. convict's own `Number`, `Boolean` and `int`
 * accept NaN, "0" as true and "91x" as 91, so they are not used. Each format keeps the raw
 * string when it cannot parse it, so the error shows what was given; a value too long to show
 * becomes an `Oversized`, shown by its size. Every format has a ceiling as well as a floor.
 * Formats with limits are registered on first use under a name that carries the limits.
 */
export type FormatName = string;

/** A dot segment would be resolved away by the URL and re-path the request. */
export const DOT_SEGMENT = /^\.{1,2}$/;

export function isUrl(text: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

const names = new Set<string>();
export function registered(name: string, format: convict.Format): FormatName {
  if (!names.has(name)) {
    names.add(name);
    convict.addFormat({ ...format, name });
  }
  return name;
}

/** Text longer than this is not a number, whatever it says. */
const NUMBER_CHARS = 32;
export const number = (text: string): number | string | Oversized => {
  if (text.length > NUMBER_CHARS) return oversized(text);
  return /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(text) ? Number(text) : text;
};

/**
 * Durations are used in whole milliseconds, so both limits are checked on the rounded value the
 * program will use: 0.0004 s is 0 ms, refused wherever 0 would mean "never" or "spin", and no
 * duration may pass its ceiling (never above what a Node timer can wait: past it Node waits 1 ms).
 */
export function secondsFormat(minMs: number, maxMs: number): FormatName {
  return registered(`seconds>=${minMs}ms<=${maxMs}ms`, {
    coerce: number,
    validate(x: unknown) {
      if (x === null) return; // unset, with a default that follows from other variables
      const usedMs =
        typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 1000) : Number.NaN;
      if (!(usedMs >= minMs)) {
        throw new Error(
          `expected a number of seconds of at least ${minMs / 1000} (used in whole milliseconds), such as 10 or 0.5`,
        );
      }
      if (usedMs > maxMs) {
        throw new Error(`expected a number of seconds of at most ${maxMs / 1000}`);
      }
    },
  });
}

/** A whole number from `min` to `max`; `what` names it in the message (e.g. "a port"). */
export function wholeFormat(min: number, max: number, what = 'a whole number'): FormatName {
  return registered(`whole ${min}..${max} ${what}`, {
    coerce: (text: string) => {
      if (text.length > NUMBER_CHARS) return oversized(text);
      return /^\s*\d+\s*$/.test(text) ? Number(text) : text;
    },
    validate(x: unknown) {
      // One line for every wrong value (text, empty, negative, out of range): the range says it.
      const ok = typeof x === 'number' && Number.isSafeInteger(x) && x >= min && x <= max;
      if (!ok) throw new Error(`expected ${what} from ${min} to ${max}`);
    },
  });
}

/** Any case and surrounding spaces: `TRUE`, ` Yes `. The one rule for every word-valued setting. */
export const word = (text: string): string => text.trim().toLowerCase();

/** One of `choices`, in any case. */
export function choiceFormat(choices: readonly string[]): FormatName {
  return registered(`one of ${choices.join('|')}`, {
    coerce: (text: string) => (choices.includes(word(text)) ? word(text) : text),
    validate(x: unknown) {
      if (typeof x !== 'string' || !choices.includes(x)) {
        throw new Error(`expected one of ${choices.join(', ')} (any case)`);
      }
    },
  });
}

export const FLAG_FORMAT = registered('flag', {
  validate(x: unknown) {
    if (typeof x !== 'boolean') throw new Error('expected true or false');
  },
  coerce(text: string) {
    if (['true', '1', 'yes'].includes(word(text))) return true;
    if (['false', '0', 'no', ''].includes(word(text))) return false;
    return text;
  },
});

/** Increasing positive seconds, at most `maxCount` of them (each bucket is a series per scrape). */
export function bucketsFormat(maxCount: number): FormatName {
  return registered(`buckets<=${maxCount}`, {
    validate(x: unknown) {
      if (x instanceof Oversized) {
        throw new Error(`expected at most ${maxCount} buckets, each a number such as 0.5`);
      }
      const ok =
        Array.isArray(x) &&
        x.length > 0 &&
        x.every(
          (b, i) =>
            typeof b === 'number' && Number.isFinite(b) && b > 0 && (i === 0 || b > x[i - 1]),
        );
      if (!ok)
        throw new Error(
          'expected increasing positive seconds separated by commas, such as 0.1,1,10',
        );
    },
    coerce(text: string) {
      const parts = text.split(',');
      if (parts.length > maxCount) return oversized(text, `${parts.length} buckets`);
      const numbers = parts.map((p) => number(p));
      if (numbers.some((p) => p instanceof Oversized)) return oversized(text);
      return numbers.every((p) => typeof p === 'number') ? numbers : text;
    },
  });
}
