import { filter, map, Observable, share } from 'rxjs';
import type { Effect, LateEvent, LostEvents } from './effects';
import { trackedCount } from './eventStore';
import { connectedListeners } from './listenerView';
import { type MissingShare, missingShares, type ShareWindows } from './shareWindows';
import type { TrackerStep } from './tracker';
import { inFlight, type TrackerState } from './trackerState';

/** The point-in-time numbers a sink shows, read after every step. */
export interface Gauges {
  readonly inFlight: number;
  readonly postsRunning: number;
  readonly tracked: number;
  readonly listenersConnected: number;
  /** Latency of the latest received event; undefined before the first. */
  readonly latestLatencyMs: number | undefined;
}

/** What the probe's core tells its sinks, each as a stream of its own. */
export interface ProbeStreams {
  /** Everything every step did, one effect at a time. */
  readonly effects$: Observable<Effect>;
  /** The missing share of every window, whenever one changes (time moves them too). */
  readonly shares$: Observable<readonly MissingShare[]>;
  readonly lost$: Observable<LostEvents>;
  readonly late$: Observable<LateEvent>;
  readonly gauges$: Observable<Gauges>;
  /** The tracker state after each step, for views that list recent events. */
  readonly state$: Observable<TrackerState>;
}

/** Derives the named streams from the tracker's steps (which must be shared). */
export function derivedStreams(step$: Observable<TrackerStep>): ProbeStreams {
  // Flattened by hand: mergeMap would subscribe to an inner stream at every step.
  const effects$ = new Observable<Effect>((subscriber) =>
    step$.subscribe({
      next: ({ effects }) => {
        for (const effect of effects) subscriber.next(effect);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }),
  ).pipe(share());
  return {
    effects$,
    // Both are compared before anything is allocated: most steps change neither.
    shares$: step$.pipe(
      filter(changedSince(({ state }) => windowCounts(state.windows))),
      map(({ state }) => missingShares(state.windows)),
    ),
    lost$: effects$.pipe(filter((effect): effect is LostEvents => effect.kind === 'lost')),
    late$: effects$.pipe(filter((effect): effect is LateEvent => effect.kind === 'late')),
    gauges$: step$.pipe(
      filter(changedSince(({ state }) => gaugeValues(state))),
      map(({ state }) => gaugesOf(state)),
    ),
    state$: step$.pipe(map(({ state }) => state)),
  };
}

function gaugesOf(state: TrackerState): Gauges {
  return {
    inFlight: inFlight(state),
    postsRunning: state.postsRunning,
    tracked: trackedCount(state),
    listenersConnected: connectedListeners(state.listeners),
    latestLatencyMs: state.latestLatencyMs,
  };
}

const scratch: number[] = [];

/** The running counts of every window, in a reused array. */
function windowCounts(shares: ShareWindows): readonly number[] {
  scratch.length = 0;
  for (const window of shares.windows) scratch.push(window.counted, window.missing);
  return scratch;
}

/** The numbers behind `gaugesOf`, in a reused array. */
function gaugeValues(state: TrackerState): readonly number[] {
  scratch.length = 0;
  scratch.push(
    inFlight(state),
    state.postsRunning,
    trackedCount(state),
    connectedListeners(state.listeners),
    state.latestLatencyMs ?? -1,
  );
  return scratch;
}

/** A filter that passes when the numbers read differ from those of the last pass. */
function changedSince<T>(read: (value: T) => readonly number[]): (value: T) => boolean {
  let last: number[] | undefined;
  return (value) => {
    const now = read(value);
    if (last !== undefined && last.length === now.length && last.every((x, i) => x === now[i])) {
      return false;
    }
    last = [...now];
    return true;
  };
}
