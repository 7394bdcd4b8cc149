/**
 * SIGUSR1 and SIGUSR2 are heard and ignored, from the moment this module loads (main.ts
 * imports it first, so the window is Node's own start-up only).
 *
 * - SIGUSR1 would open Node's inspector on 127.0.0.1:9229, and then anything on the pod's
 *   loopback could run code inside the probe, secrets in reach. A listener of our own takes
 *   the signal from Node (Node 20 has no `--disable-sigusr1`).
 * - SIGUSR2 would end the process at once, without a word or a clean stop. It means nothing
 *   to this probe, and a stray one (a tool that uses it to ask for a report or a restart)
 *   must not take the monitoring down: ignored, and logged so it is seen.
 *
 * SIGQUIT, by contrast, says "quit": it stops the probe cleanly like SIGTERM (see signals.ts).
 */
import { IGNORED_SIGNALS } from './signalTable';

export { IGNORED_SIGNALS };
export type IgnoredSignal = (typeof IGNORED_SIGNALS)[number];

const WHY: Record<IgnoredSignal, string> = {
  SIGUSR1: 'the inspector stays closed',
  SIGUSR2: 'it has no meaning here',
};

let report: (signal: IgnoredSignal, why: string) => void = () => {};

/** From now on each ignored signal is told to `to` (the logger, once there is one). */
export function reportIgnoredSignals(to: (signal: IgnoredSignal, why: string) => void): void {
  report = to;
}

for (const signal of IGNORED_SIGNALS) {
  process.on(signal, () => report(signal, WHY[signal]));
}
