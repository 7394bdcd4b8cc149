import { asyncScheduler, defer, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { scan } from 'rxjs/operators';
import { updateListener } from './listenerView';
import { markLost } from './lost';
import type { Effect, TrackerInput } from './messages';
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
    case 'tick':
      break;
  }
  settleOverdue(state, now, effects);
  moveWindows(state.windows, now - state.options.missingGraceMs);
  return effects.length === 0 ? NO_EFFECTS : effects;
}

/** `step`, but a step that throws (a bug) is counted and skipped, so one input cannot end it. */
function safeStep(state: TrackerState, input: TrackerInput, now: number): TrackerStep {
  try {
    return { state, effects: step(state, input, now) };
  } catch (error) {
    const effects: Effect[] = [];
    internalError(state, String(error), effects);
    return { state, effects };
  }
}

/**
 * The tracker actor: a fold of post outcomes, receipts, listener changes and ticks into one
 * state, reading time from `scheduler.now()`. Each subscription folds into a fresh state.
 */
export function track(
  options: TrackerOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<TrackerInput, TrackerStep> {
  return (input$) =>
    defer(() =>
      input$.pipe(
        scan(
          (last: TrackerStep, input: TrackerInput) => safeStep(last.state, input, scheduler.now()),
          { state: createTrackerState(options), effects: NO_EFFECTS },
        ),
      ),
    );
}
