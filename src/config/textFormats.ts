import { CONTROL } from '../logs/controlChars';
import { DOT_SEGMENT, type FormatName, isUrl, registered } from './configFormats';
import { Oversized, oversized } from './oversized';

/** What a text setting must be besides short: set, one URL path segment, a URL, or anything. */
export type TextKind = 'required' | 'optional' | 'path-segment' | 'url-or-null';

/**
 * Text of at most `maxChars` characters, without control characters. Every text setting ends
 * up in a URL, a header or a log line: an id of 20,000 characters made every post fail (431)
 * and every handshake hang up, and a newline in one would break the lines that show it.
 */
export function textFormat(kind: TextKind, maxChars: number): FormatName {
  return registered(`${kind}<=${maxChars}`, {
    coerce: (text: string) => (text.length > maxChars ? oversized(text) : text),
    validate(x: unknown) {
      if (x instanceof Oversized) throw new Error(`expected at most ${maxChars} characters`);
      if (x === null && (kind === 'optional' || kind === 'url-or-null')) return;
      if (typeof x !== 'string') throw new Error(kind === 'optional' ? 'expected text' : MISSING);
      if (CONTROL.test(x)) {
        throw new Error(
          'expected no control characters (a line break, a tab, an escape, a direction mark)',
        );
      }
      CHECKS[kind](x);
    },
  });
}

const MISSING = 'is required but not set (or empty)';

const CHECKS: Record<TextKind, (x: string) => void> = {
  required(x) {
    if (x.trim() === '') throw new Error(MISSING);
  },
  optional() {},
  'path-segment'(x) {
    if (x.trim() === '') throw new Error(MISSING);
    if (DOT_SEGMENT.test(x)) {
      throw new Error('expected a name other than . or .. (it is one segment of a URL path)');
    }
  },
  'url-or-null'(x) {
    if (!isUrl(x, ['http:', 'https:', 'ws:', 'wss:'])) {
      throw new Error('expected an absolute URL such as https://host/path');
    }
  },
};
