import { distinctUntilChanged, filter, map, Observable, share } from 'rxjs';
import { trackedCount } from './eventStore';
import { connectedListeners } from './listenerView';
import type { Effect, LateEvent, LostEvents } from './messages';
import { type MissingShare, missingShares } from './shareWindows';
import type { TrackerStep } from './tracker';
import { inFlight, type TrackerState } from './trackerState';

/** The point-in-time numbers a sink shows, read after every step. */
export interface Gauges {
  readonly inFlight: number;
  readonly postsInProgress: number;
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
    shares$: step$.pipe(
      map(({ state }) => missingShares(state.windows)),
      distinctUntilChanged(sameShares),
    ),
    lost$: effects$.pipe(filter((effect): effect is LostEvents => effect.kind === 'lost')),
    late$: effects$.pipe(filter((effect): effect is LateEvent => effect.kind === 'late')),
    gauges$: step$.pipe(map(({ state }) => gaugesOf(state))),
    state$: step$.pipe(map(({ state }) => state)),
  };
}

export function gaugesOf(state: TrackerState): Gauges {
  return {
    inFlight: inFlight(state),
    postsInProgress: state.postsInProgress,
    tracked: trackedCount(state),
    listenersConnected: connectedListeners(state.listeners),
    latestLatencyMs: state.latestLatencyMs,
  };
}

function sameShares(a: readonly MissingShare[], b: readonly MissingShare[]): boolean {
  return a.length === b.length && a.every((share, i) => share.percent === b[i].percent);
}
