import { hash32 } from './hash';

/**
 * Where in each interval a target's posts fall: a fraction of the interval from a hash of its
 * id, so many targets at one interval spread over it instead of posting in one burst, and a
 * target keeps its slot across restarts and reloads.
 */
export function phaseMs(targetId: string, intervalMs: number): number {
  return Math.floor((hash32(targetId) / 2 ** 32) * intervalMs);
}

/**
 * How long from `epochMs` (wall-clock milliseconds, read at the edge) until the target's next
 * slot: slots are at phase + k × interval on the wall clock, so they are the same for every
 * process that runs the target.
 */
export function delayToSlotMs(targetId: string, intervalMs: number, epochMs: number): number {
  if (!(intervalMs > 0) || !Number.isFinite(epochMs)) return 0;
  const into = (((epochMs - phaseMs(targetId, intervalMs)) % intervalMs) + intervalMs) % intervalMs;
  return into === 0 ? 0 : intervalMs - into;
}
