import type { EventState } from '../../../streams/eventStore';
import type { Totals } from '../../../streams/trackerState';

/** Something wrong now, in words for a person; `bad` is red, `warn` amber. */
export interface Problem {
  readonly level: 'bad' | 'warn';
  readonly text: string;
}

/** What the status page shows, computed from the tracker state on request. */
export interface StatusView {
  readonly appId: string;
  /** What is wrong now, worst first; empty when nothing is. */
  readonly problems: readonly Problem[];
  readonly listeners: {
    readonly configured: number;
    readonly connected: number;
    readonly each: ReadonlyArray<{
      readonly id: number;
      readonly status: string;
      readonly reason: string | null;
      readonly connects: number;
      readonly disconnects: number;
      readonly forSeconds: number;
    }>;
  };
  readonly posting: {
    readonly ok: boolean;
    readonly lastOkSecondsAgo: number | null;
    readonly inProgress: number;
    /** The newest failed post's error, if one is among the events shown. */
    readonly lastError: string | null;
  };
  readonly delivery: {
    /** Seconds since the newest receipt of an own event; null when none is tracked. */
    readonly lastReceiptSecondsAgo: number | null;
    /** Seconds without a receipt: since the newest, else since the oldest event tracked. */
    readonly quietSeconds: number | null;
    /** True when no receipt is tracked at all, so `quietSeconds` is a lower bound. */
    /** The post interval seen in the send times; null before the second post. */
    readonly expectedEverySeconds: number;
    /** Quiet longer than this (a few intervals, at least the objective) is an outage. */
    readonly silenceLimitSeconds: number;
    /** Quiet too long while posts succeed: the pipeline delivers nothing. */
    readonly silent: boolean;
    readonly objectiveSeconds: number;
    readonly lostAfterSeconds: number;
    /** Events past the objective without a receipt, not yet lost (see `overdue.ts`). */
    readonly overdue: number;
  };
  readonly shares: ReadonlyArray<{ readonly window: string; readonly percent: number }>;
  readonly latency: {
    readonly latestMs: number | null;
    /** Seconds since the receipt that gave `latestMs`. */
    readonly latestAgeSeconds: number | null;
    /** The latest value is older than the silence limit: not a current value. */
    readonly stale: boolean;
    readonly p50Ms: number | null;
    readonly p99Ms: number | null;
    readonly samples: number;
  };
  readonly totals: Totals;
  readonly inFlight: number;
  readonly tracked: number;
  /** Newest first. */
  readonly events: ReadonlyArray<{
    readonly seqno: number;
    readonly state: EventState;
    readonly overdue: boolean;
    readonly ageSeconds: number;
    readonly latencyMs: number | null;
    readonly receiptOrder: number | null;
    readonly error: string | null;
  }>;
  /** Oldest first: one point per event in the chart window (latency null while not received). */
  readonly chart: {
    readonly spanSeconds: number;
    readonly points: ReadonlyArray<{
      readonly ageSeconds: number;
      readonly latencyMs: number | null;
      readonly state: EventState;
      readonly overdue: boolean;
    }>;
  };
  readonly lastForeignAppId: string | null;
}

/** How one target is, at a glance: `bad` red, `warn` amber, `ok` green, `starting` grey. */
export type TargetLevel = 'bad' | 'warn' | 'starting' | 'ok';

/** One row of the overview. */
export interface TargetRow {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly appId: string;
  readonly level: TargetLevel;
  /** The worst problem now, in words; null when there is none. */
  readonly problem: string | null;
  /** How many problems there are now (the first is `problem`). */
  readonly problems: number;
  readonly shares: ReadonlyArray<{ readonly window: string; readonly percent: number }>;
  /** Over the newest `SUMMARY_EVENTS` events at most. */
  readonly latency: {
    readonly p50Ms: number | null;
    readonly p99Ms: number | null;
    readonly samples: number;
  };
  readonly listeners: { readonly connected: number; readonly configured: number };
}

/** An element's text and, when given, its whole class. */
export interface Part {
  readonly text: string;
  readonly cls?: string;
}
/** An element made afresh on each update: a list item, a table row or cell, a link. */
export interface Item {
  readonly tag: string;
  readonly cls?: string;
  readonly text?: string;
  readonly href?: string;
  readonly dataId?: string;
  readonly kids?: readonly Item[];
}
/** A page's texts: the parts by element id, and the lists (their items) by element id. */
export interface PageText {
  readonly parts: Readonly<Record<string, Part>>;
  readonly lists: Readonly<Record<string, readonly Item[]>>;
}
