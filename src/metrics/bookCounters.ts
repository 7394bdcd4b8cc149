import type { Totals } from '../../streams/books';

/** The counters whose value is one of the fold's books: name, help, which one. */
export const FROM_TOTALS: ReadonlyArray<readonly [string, string, (t: Totals) => number]> = [
  ['probe_events_posted_total', 'Events whose post succeeded (or that arrived).', (t) => t.posted],
  [
    'probe_events_received_total',
    'Events of this probe received (first receipt of each, before the lost timeout).',
    (t) => t.received,
  ],
  ['probe_events_lost_total', 'Posted events not received within the lost timeout.', (t) => t.lost],
  ['probe_event_post_errors_total', 'Posts that failed after all retries.', (t) => t.postErrors],
  [
    'probe_events_duplicates_total',
    'Events received again on the same connection.',
    (t) => t.duplicates,
  ],
  [
    'probe_wrong_appid_total',
    "Events received that carry another probe's app_id.",
    (t) => t.wrongAppId,
  ],
  ['probe_events_late_total', 'Events received after they had been counted lost.', (t) => t.late],
  [
    'probe_events_out_of_order_total',
    'Events received after an event with a higher seqno.',
    (t) => t.outOfOrder,
  ],
  [
    'probe_unknown_seqno_total',
    "Receipts with this probe's app_id but a seqno not tracked (never sent, or already purged).",
    (t) => t.unknownSeqno,
  ],
  ['probe_event_post_retries_total', 'Post attempts that were retries.', (t) => t.retries],
  [
    'probe_events_within_objective_total',
    'SLI: events received within the latency objective (good).',
    (t) => t.withinObjective,
  ],
  [
    'probe_events_settled_total',
    'SLI: events settled good or bad (received, or their objective passed without a receipt); failed posts and events in flight are not.',
    (t) => t.settled,
  ],
];
