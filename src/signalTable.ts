/**
 * What each signal does, decided once: `signals.ts` and `userSignals.ts` act on it, `--help`
 * says it, and a test holds the README to it.
 *
 * - Stop: SIGTERM (Kubernetes, Docker), SIGINT (Ctrl-C) and SIGQUIT (Ctrl-\, the graceful stop
 *   of some process managers, without its core dump) stop the probe cleanly, exit code 0.
 * - Reload: SIGHUP reads the targets file again, as Prometheus and most daemons do.
 * - Ignored: SIGUSR1 (it would open Node's inspector) and SIGUSR2 (it would end the process
 *   without a word), heard and logged only.
 */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;
export const RELOAD_SIGNAL = 'SIGHUP';
export const IGNORED_SIGNALS = ['SIGUSR1', 'SIGUSR2'] as const;

/** `a, b or c`: a list as a sentence says it. */
export const spoken = (words: readonly string[], and = 'or'): string =>
  words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} ${and} ${words.at(-1)}`;
