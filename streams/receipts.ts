import { isSibling } from './appId';
import { recordDelivery } from './duplicates';
import type { Effect } from './effects';
import { eventAt } from './eventStore';
import { countsAsForeign } from './foreignEvents';
import { settleReceived } from './objective';
import { parseFrame } from './parse';
import type { ParsedFrame } from './parsedFrame';
import { type Receipt, WIRE_TEXT_CHARS } from './socketMessages';
import { setEventState, type TrackerState } from './trackerState';

/**
 * A frame arrived on a listener. It is malformed, another probe's event (or a sibling's: another
 * pipeline of this target, see `appId.ts`), an own event no
 * longer (or never) tracked, a copy (see `duplicates.ts`), or the first receipt of an own
 * event: received, or late when it was already counted lost.
 */
export function receive(state: TrackerState, receipt: Receipt, effects: Effect[]): void {
  const { listenerId } = receipt;
  const frame: ParsedFrame = parseFrame(receipt.data);
  if (frame.kind === 'malformed') {
    state.totals.malformed[frame.reason] += 1;
    effects.push({ kind: 'malformed', reason: frame.reason, sample: frame.sample, listenerId });
    return;
  }
  if (frame.appId !== state.options.appId) {
    if (!countsAsForeign(state.foreign, `${frame.appId} ${frame.seqno}`, receipt.connectionId))
      return;
    if (isSibling(frame.appId, state.options.appId)) {
      state.totals.siblings += 1;
      return;
    }
    state.totals.wrongAppId += 1;
    state.lastForeignAppId = frame.appId.slice(0, WIRE_TEXT_CHARS);
    effects.push({ kind: 'wrong-app-id', appId: state.lastForeignAppId, listenerId });
    return;
  }
  const event = eventAt(state, frame.seqno);
  if (event === undefined) {
    state.totals.unknownSeqno += 1;
    effects.push({ kind: 'unknown-seqno', seqno: frame.seqno, listenerId });
    return;
  }
  const delivery = recordDelivery(event, receipt.connectionId);
  if (delivery === 'duplicate') {
    state.totals.duplicates += 1;
    effects.push({ kind: 'duplicate', seqno: event.seqno, listenerId });
  }
  if (delivery !== 'first') return;

  const latencyMs = receipt.receivedAt - (event.wireAt ?? event.sentAt);
  event.latencyMs = latencyMs;
  state.receiptCount += 1;
  state.lastReceiptAt = Math.max(state.lastReceiptAt ?? receipt.receivedAt, receipt.receivedAt);
  event.receiptOrder = state.receiptCount;
  const outOfOrder = event.seqno < state.highestReceivedSeqno;
  if (outOfOrder) state.totals.outOfOrder += 1;
  else state.highestReceivedSeqno = event.seqno;
  if (event.state === 'lost') {
    setEventState(state, event, 'late');
    effects.push({ kind: 'late', seqno: event.seqno, latencyMs, listenerId, outOfOrder });
    return;
  }
  // From `posting` or `failed` too: a receipt proves the post (see `books.ts`).
  state.latestLatencyMs = latencyMs;
  setEventState(state, event, 'received');
  const withinObjective = settleReceived(state, event, latencyMs);
  effects.push({
    kind: 'received',
    seqno: event.seqno,
    latencyMs,
    listenerId,
    outOfOrder,
    withinObjective,
  });
}
