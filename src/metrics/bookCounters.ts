import type { Totals } from '../../streams/books';

/** A book of the fold that one counter exports as it is. */
export type CountedBook = Exclude<keyof Totals, 'malformed'>;

/** The counters whose value is one of the fold's books: name, the book, help. */
export const FROM_TOTALS: ReadonlyArray<readonly [string, CountedBook, string]> = [
  ['probe_events_posted_total', 'posted', 'Events whose post succeeded (or that arrived).'],
  [
    'probe_events_received_total',
    'received',
    'Events of this probe received (first receipt of each, before the lost timeout).',
  ],
  ['probe_events_lost_total', 'lost', 'Posted events not received within the lost timeout.'],
  ['probe_event_post_errors_total', 'postErrors', 'Posts that failed after all retries.'],
  ['probe_events_duplicates_total', 'duplicates', 'Events received again on the same connection.'],
  ['probe_wrong_appid_total', 'wrongAppId', "Events received that carry another probe's app_id."],
  ['probe_events_late_total', 'late', 'Events received after they had been counted lost.'],
  [
    'probe_events_out_of_order_total',
    'outOfOrder',
    'Events received after an event with a higher seqno.',
  ],
  [
    'probe_unknown_seqno_total',
    'unknownSeqno',
    "Receipts with this probe's app_id but a seqno not tracked (never sent, or already purged).",
  ],
  ['probe_event_post_retries_total', 'retries', 'Post attempts that were retries.'],
  [
    'probe_events_drained_total',
    'drained',
    'Posted events still in flight when their pipeline stopped and its drain deadline passed: neither received nor lost.',
  ],
  [
    'probe_sibling_events_total',
    'siblings',
    "Events of another probe of the same target (a replica, or this target's pipeline before a change), told apart by the app_id's target digits: not counted as another probe's.",
  ],
  [
    'probe_events_within_objective_total',
    'withinObjective',
    'SLI: events received within the latency objective (good).',
  ],
  [
    'probe_events_settled_total',
    'settled',
    'SLI: events settled good or bad (received, or their objective passed without a receipt); failed posts and events in flight are not.',
  ],
];
