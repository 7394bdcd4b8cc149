import { asyncScheduler, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { filter, map, scan } from 'rxjs/operators';
import { endDrainAtDeadline, endSettledDrain, startDrain } from './drain';
import type { Effect } from './effects';
import { updateListener } from './listenerView';
import { markLost } from './lost';
import type { TrackerInput } from './messages';
import { settleOverdue } from './objective';
import { answerPost, onTheWire, startPost } from './postAnswers';
import { purge } from './purge';
import { receive } from './receipts';
import { moveWindows } from './shareWindows';
import {
  createTrackerState,
  internalError,
  type TrackerOptions,
  type TrackerState,
} from './trackerState';

export interface TrackerStep {
  readonly state: TrackerState;
  readonly effects: readonly Effect[];
}

const NO_EFFECTS: readonly Effect[] = [];

/**
 * Applies one input at clock time `now` and says what happened. It only dispatches: each rule
 * lives in the file named after it. Cost per call is O(1) amortised: each event enters and
 * leaves each window once and passes each cursor once.
 */
export function step(state: TrackerState, input: TrackerInput, now: number): readonly Effect[] {
  const effects: Effect[] = [];
  switch (input.kind) {
    case 'post-started':
      startPost(state, input, effects);
      break;
    case 'post-sent':
      onTheWire(state, input);
      break;
    case 'post-succeeded':
    case 'post-failed':
      answerPost(state, input, now, effects);
      break;
    case 'receipt':
      receive(state, input, effects);
      break;
    case 'listener':
      updateListener(state.listeners, input, now, effects);
      break;
    case 'clean':
      settleOverdue(state, now, effects);
      markLost(state, now, effects);
      purge(state, now, effects);
      break;
    case 'drain-started':
      startDrain(state, now, effects);
      break;
    case 'drain-deadline':
      endDrainAtDeadline(state, effects);
      break;
    case 'tick':
      break;
  }
  settleOverdue(state, now, effects);
  moveWindows(state.windows, now - state.options.missingGraceMs);
  endSettledDrain(state, effects);
  return effects.length === 0 ? NO_EFFECTS : effects;
}

/**
 * `step`, but a step that throws (a bug) is counted and skipped, so one input cannot end it.
 * Undefined for a quiet tick: one that settled nothing and changed no window's counts, which
 * no sink could tell from no step at all (counters read the books at scrape). Most ticks are
 * quiet, and a process of many targets ticks each of them every second.
 */
function safeStep(state: TrackerState, input: TrackerInput, now: number): TrackerStep | undefined {
  try {
    const changes = state.windows.changes;
    const effects = step(state, input, now);
    const quiet =
      input.kind === 'tick' && effects === NO_EFFECTS && state.windows.changes === changes;
    return quiet ? undefined : { state, effects };
  } catch (error) {
    const effects: Effect[] = [];
    internalError(state, String(error), effects);
    return { state, effects };
  }
}

/** The fold's accumulator: the state, mutated in place, and what the latest input did. */
interface Fold {
  readonly state: TrackerState;
  step: TrackerStep | undefined;
}

/**
 * The tracker actor: a `scan` of post outcomes, receipts, listener changes and ticks into one
 * state, reading time from `scheduler.now()`. The accumulator is made at the first input, so
 * each subscription folds into a fresh state; a quiet tick leaves no step to emit.
 */
export function track(
  options: TrackerOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<TrackerInput, TrackerStep> {
  return (input$) =>
    input$.pipe(
      scan((fold: Fold | undefined, input: TrackerInput): Fold => {
        const folded = fold ?? { state: createTrackerState(options), step: undefined };
        folded.step = safeStep(folded.state, input, scheduler.now());
        return folded;
      }, undefined),
      map((fold) => fold?.step),
      filter((step): step is TrackerStep => step !== undefined),
    );
}
