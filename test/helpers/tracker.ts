import type { TrackerInput } from '../../streams/messages';
import type { Receipt } from '../../streams/socketMessages';
import { step } from '../../streams/tracker';
import {
  createTrackerState,
  type TrackerOptions,
  type TrackerState,
} from '../../streams/trackerState';

/** The tracker's rules at a small scale: milliseconds stand for seconds. */
export const APP = 'abcd1234';
export const options: TrackerOptions = {
  appId: APP,
  lostTimeoutMs: 300,
  purgeTimeoutMs: 900,
  missingGraceMs: 10,
  latencyObjectiveMs: 100,
  shareWindows: windows(60, 180, 600),
};

/** The tracker with the probe's own 1m/3m/10m windows, a 5 s purge and no grace. */
export const productionWindows: TrackerOptions = {
  appId: APP,
  lostTimeoutMs: 300,
  purgeTimeoutMs: 5_000,
  missingGraceMs: 0,
  latencyObjectiveMs: 100,
};

/** Share windows of the given lengths, labelled by their length. */
export function windows(...lengthsMs: number[]) {
  return lengthsMs.map((lengthMs) => ({ label: `${lengthMs}ms`, lengthMs }));
}

/** A post started at `sentAt` (`run` stamps it with the clock time it is fed at, as the poster does). */
export const started = (seqno: number, sentAt = 0): TrackerInput => ({
  kind: 'post-started',
  seqno,
  sentAt,
  lagMs: 0,
  running: 1,
});
export const ok = (seqno: number): TrackerInput => ({
  kind: 'post-succeeded',
  seqno,
  durationMs: 1,
  retries: 0,
  running: 0,
});
export const failed = (seqno: number): TrackerInput => ({
  kind: 'post-failed',
  seqno,
  durationMs: 1,
  retries: 3,
  error: 'HTTP 500',
  running: 0,
});
export const frame = (seqno: number, appId = APP) =>
  JSON.stringify({ app_id: appId, seqno, time_sent: '2026-11-27T00:00:00.000Z' });
export const receipt = (
  data: string,
  receivedAt: number,
  connectionId = 1,
  listenerId = 0,
): Receipt => ({
  kind: 'receipt',
  listenerId,
  connectionId,
  data,
  receivedAt,
});

/** Posted at 0, counted lost at the 300 ms clean, received late at 350. */
export const lostThenLate: Array<[number, TrackerInput]> = [
  [0, started(1)],
  [1, ok(1)],
  [300, { kind: 'clean' }],
  [350, receipt(frame(1), 350)],
];

/** Feeds inputs at given clock times into a fresh tracker. */
export function run(
  inputs: Array<[number, TrackerInput]>,
  opts: TrackerOptions = options,
): TrackerState {
  const state = createTrackerState(opts);
  for (const [now, input] of inputs) {
    step(state, input.kind === 'post-started' ? { ...input, sentAt: now } : input, now);
  }
  return state;
}
