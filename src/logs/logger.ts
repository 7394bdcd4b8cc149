import { escapeControls } from './controlChars';
import { redactor } from './redact';
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
  /** Masked wherever they appear in a line. */
  readonly secrets?: readonly string[];
  readonly write?: (line: string) => void;
  /** Fields every line carries first (a target's id). */
  readonly fields?: LogFields;
}

const toStdout = (line: string): void => writeStdout(`${line}\n`);

export function createLogger(level: LogLevel, options: LoggerOptions = {}): Logger {
  const { human = false, secrets = [], write = toStdout, fields: fixed = {} } = options;
  const redact = redactor(secrets);
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
        fields: { ...fixed, ...fields },
        secrets: [...secrets, ...more],
      }),
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
};
