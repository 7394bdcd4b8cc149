import { escapeControls } from './controlChars';
import { redactor } from './redact';
import { createSecretBook, type SecretBook } from './secretBook';
import { writeStdout } from './stdout';

export type LogFields = Record<string, unknown>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  /** False when debug lines are dropped, so callers can skip building their fields. */
  readonly debugEnabled: boolean;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines carry `fields` first and mask `secrets` as well (a target's). */
  child(fields: LogFields, secrets?: readonly string[]): Logger;
  /**
   * Every secret of the process, shared by this logger and all its children, and by whatever
   * else shows text (pages, answers): told of each target set loaded.
   */
  readonly secrets: SecretBook;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * One line per event worth telling: JSON when deployed, `time level message k=v` when run
 * locally. Every line passes through `redact`, so a secret handed in by mistake (in a URL, an
 * error message) is masked before it is written, and then through `escapeControls`, so text
 * from the wire (a close reason with `\x1b[2J` or a CR/LF) cannot clear a terminal or forge
 * a line: every line is one line of visible characters, in both formats.
 */
export interface LoggerOptions {
  /** `time LEVEL message k=v` instead of JSON. */
  readonly human?: boolean;
  /** Masked wherever they appear in a line: the process's own, for its secret book. */
  readonly secrets?: readonly string[];
  /** The secret book to share (a child's parent's); made from `secrets` when not given. */
  readonly book?: SecretBook;
  readonly write?: (line: string) => void;
  /** Fields every line carries first (a target's id). */
  readonly fields?: LogFields;
}

const toStdout = (line: string): void => writeStdout(`${line}\n`);

export function createLogger(level: LogLevel, options: LoggerOptions = {}): Logger {
  const { human = false, secrets = [], write = toStdout, fields: fixed = {} } = options;
  const book = options.book ?? createSecretBook(secrets);
  // A child's own secrets, masked in its lines even before the book is told of them.
  // A pass of their own only for those the book does not know yet: one pass a line, not two.
  const own =
    options.book && !options.book.covers(secrets) ? redactor(secrets) : (text: string) => text;
  const redact = (text: string) => own(book.redact(text));
  const log =
    (at: LogLevel) =>
    (message: string, own: LogFields = {}) => {
      if (RANK[at] < RANK[level]) return;
      const fields = { ...fixed, ...own };
      const time = new Date().toISOString();
      const line = human
        ? `${time} ${at.toUpperCase().padEnd(5)} ${message}${Object.entries(fields)
            // A field without a value is left out, as JSON leaves it out: never `k=undefined`.
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join('')}`
        : JSON.stringify({ time, level: at, message, ...fields });
      // Masked first, while a secret is still in the form it came in; then made one line.
      write(escapeControls(redact(line), !human));
    };
  return {
    debugEnabled: RANK.debug >= RANK[level],
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (fields, more = []) =>
      createLogger(level, {
        ...options,
        book,
        fields: { ...fixed, ...fields },
        secrets: options.book ? [...secrets, ...more] : more,
      }),
    secrets: book,
  };
}

/** A logger that writes nothing, for tests and tools. */
export const silentLogger: Logger = {
  debugEnabled: false,
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
  secrets: createSecretBook(),
};
