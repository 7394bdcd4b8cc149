import { eventAt } from '../../streams/eventStore';
import { missingShares } from '../../streams/shareWindows';
import { inFlight, type TrackerState } from '../../streams/trackerState';
import { escapeControls } from './controlChars';

const ROWS = 15;

/** The RUN_LOCAL table: the newest tracked events and the books, as plain text. */
export function eventTable(state: TrackerState, now: number): string {
  const lines = ['', ' seqno  state      age s   latency ms  order'];
  for (
    let seqno = state.nextSeqno - 1;
    seqno >= Math.max(state.firstSeqno, state.nextSeqno - ROWS);
    seqno--
  ) {
    const event = eventAt(state, seqno);
    if (!event) continue;
    const latency = event.latencyMs === undefined ? '' : event.latencyMs.toFixed(1);
    lines.push(
      `${String(seqno).padStart(6)}  ${event.state.padEnd(9)} ${((now - event.sentAt) / 1000).toFixed(1).padStart(6)}  ${latency.padStart(11)}  ${String(event.receiptOrder ?? '').padStart(5)}`,
    );
  }
  const t = state.totals;
  const windows = missingShares(state.windows);
  const labels = windows.map((share) => share.label).join('/');
  const shares = windows.map((share) => `${share.percent.toFixed(1)}%`).join(' / ');
  lines.push(
    `posted ${t.posted} = received ${t.received} + lost ${t.lost} + in flight ${inFlight(state)}; post errors ${t.postErrors}; duplicates ${t.duplicates}; missing ${labels} ${shares}`,
    '',
  );
  // Each row one line of visible characters, as the log lines are, whatever a row comes to hold.
  return lines.map((line) => escapeControls(line)).join('\n');
}
