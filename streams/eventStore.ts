/**
 * Where an event stands. `posting`: the post has left, no answer and no receipt yet.
 * `late`: received after it was marked lost (stays lost in the books). `drained`: posted, and
 * still neither received nor lost when its pipeline's drain ended (see `drain.ts`).
 */
export type EventState = 'posting' | 'posted' | 'received' | 'lost' | 'late' | 'failed' | 'drained';

export interface TrackedEvent {
  readonly seqno: number;
  readonly sentAt: number;
  /** When the post's first attempt was handed to the socket: latency counts from here. */
  wireAt?: number;
  state: EventState;
  latencyMs?: number;
  /** Settled bad because its latency objective passed before a receipt (see `objective.ts`). */
  overdue?: true;
  /** Position among this probe's first receipts (1, 2, …): shows reordering. */
  receiptOrder?: number;
  /** Connections that delivered this event and their copies (see `duplicates.ts`). */
  deliveries?: number[];
  /** Duplicates counted for this event: the most extra copies on any one connection. */
  duplicates?: number;
  postError?: string;
}

/**
 * The events still remembered, indexed by seqno. Seqnos are consecutive and their send times
 * sorted, so lookup is an index and the oldest event is always at the front: every timeout
 * is a cursor that only moves forward, and no step scans the store.
 */
export interface EventStore {
  /** events[head + i] holds seqno firstSeqno + i. */
  events: TrackedEvent[];
  head: number;
  /** The oldest seqno still remembered. */
  firstSeqno: number;
  /** The seqno the next post must carry. */
  nextSeqno: number;
}

export function createEventStore(): EventStore {
  return { events: [], head: 0, firstSeqno: 1, nextSeqno: 1 };
}

/** The event with this seqno, if it is still remembered. */
export function eventAt(store: EventStore, seqno: number): TrackedEvent | undefined {
  if (seqno < store.firstSeqno || seqno >= store.nextSeqno) return undefined;
  return store.events[store.head + seqno - store.firstSeqno];
}

export function trackedCount(store: EventStore): number {
  return store.nextSeqno - store.firstSeqno;
}

/** Remembers the next event; its seqno must be `nextSeqno`. */
export function appendEvent(store: EventStore, event: TrackedEvent): void {
  store.events.push(event);
  store.nextSeqno += 1;
}

/** The oldest remembered event, if any. */
export function oldestEvent(store: EventStore): TrackedEvent | undefined {
  return store.firstSeqno < store.nextSeqno ? store.events[store.head] : undefined;
}

/** Forgets the oldest event. */
export function forgetOldest(store: EventStore): void {
  store.events[store.head] = undefined as unknown as TrackedEvent; // let it be collected
  store.head += 1;
  store.firstSeqno += 1;
  // Drop the forgotten prefix now and then: amortised O(1), and the array never holds more
  // than twice what is remembered.
  if (store.head > 1024 && store.head * 2 > store.events.length) {
    store.events = store.events.slice(store.head);
    store.head = 0;
  }
}
