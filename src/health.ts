import { connectedListeners, type TrackerState } from '../streams/tracker';
import type { Config } from './config';
import type { Reply } from './server';

export const text = (status: number, body: string): Reply => ({
  status,
  type: 'text/plain; charset=utf-8',
  body,
});

/**
 * Ready when at least one listener is connected and a post succeeded within the last three
 * intervals (or the probe is younger than that): then the numbers it exports mean something.
 */
export function readiness(state: TrackerState | undefined, config: Config, now: number): Reply {
  const problems: string[] = [];
  if (!state || connectedListeners(state) === 0) problems.push('no listener connected');
  const window = 3 * config.postIntervalMs + config.postTimeoutMs;
  const lastOk = state?.lastPostOkAt;
  if (now > window && (lastOk === undefined || now - lastOk > window)) {
    problems.push(`no successful post in the last ${Math.round(window / 1000)} s`);
  }
  return problems.length === 0
    ? text(200, 'ready\n')
    : text(503, `not ready: ${problems.join('; ')}\n`);
}
