import { redactor } from './redact';

/**
 * The one place that knows every secret of the process: the process's own (its variables) and
 * every target's loaded now, so that a line, a page or an answer masks each of them whichever
 * target it is about — a hub may echo one target's token on another target's connection.
 */
export interface SecretBook {
  /** The text with every secret known, now or before, masked in every spelling. */
  redact(text: string): string;
  /**
   * The secrets of the targets loaded now, replacing the last ones told. One that is no longer
   * among them stays masked: a connection, a page or a peer may still echo it.
   */
  loaded(secrets: readonly string[]): void;
  /** Whether every one of these is masked already (a child logger's own need no pass of theirs). */
  covers(secrets: readonly string[]): boolean;
}

/**
 * How many secrets that left the targets stay masked, the newest kept: bounded, so that a file
 * rotated every minute for a year does not grow the process without end.
 */
export const MAX_RETIRED_SECRETS = 4096;

export function createSecretBook(
  own: readonly string[] = [],
  maxRetired = MAX_RETIRED_SECRETS,
): SecretBook {
  const fixed = new Set(own);
  let current = new Set<string>();
  // Oldest first: a Map keeps the order keys were set in.
  const retired = new Map<string, true>();
  let redact = redactor([...fixed]);
  return {
    redact: (text) => redact(text),
    covers: (secrets) =>
      secrets.every((secret) => fixed.has(secret) || current.has(secret) || retired.has(secret)),
    loaded(secrets) {
      const next = new Set(secrets);
      let changed = next.size !== current.size;
      for (const secret of current) {
        if (next.has(secret)) continue;
        changed = true;
        if (!fixed.has(secret)) retired.set(secret, true);
      }
      if (!changed) return;
      for (const secret of next) retired.delete(secret);
      for (const oldest of retired.keys()) {
        if (retired.size <= maxRetired) break;
        retired.delete(oldest);
      }
      current = next;
      redact = redactor([...fixed, ...current, ...retired.keys()]);
    },
  };
}
