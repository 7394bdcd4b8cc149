import type { MalformedReason, ParsedFrame } from './parsedFrame';
import { type Frame, WIRE_TEXT_CHARS } from './socketMessages';

/** Frames larger than this are not parsed: our events are under 100 bytes. */
export const MAX_FRAME_CHARS = 64 * 1024;
const MAX_APP_ID_CHARS = 256;

/**
 * Reads a probe event `{"app_id": string, "seqno": positive integer, ...}` from a frame; the
 * one place that judges a frame (a binary one is never ours). Never throws: whatever comes
 * over the wire ends as a value. JSON.parse builds plain data (a `__proto__` key becomes an
 * own property, not a prototype), and only two fields are read.
 */
export function parseFrame(data: Frame): ParsedFrame {
  if (typeof data !== 'string') {
    return { kind: 'malformed', reason: 'binary', sample: `(${data.binaryBytes} bytes)` };
  }
  const malformed = (reason: MalformedReason): ParsedFrame => ({
    kind: 'malformed',
    reason,
    sample: data.slice(0, WIRE_TEXT_CHARS),
  });
  if (data.length > MAX_FRAME_CHARS) return malformed('too-large');
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return malformed('not-json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return malformed('not-an-object');
  }
  const { app_id: appId, seqno } = value as Record<string, unknown>;
  if (typeof appId !== 'string' || appId.length === 0 || appId.length > MAX_APP_ID_CHARS) {
    return malformed('bad-app-id');
  }
  if (typeof seqno !== 'number' || !Number.isSafeInteger(seqno) || seqno < 1) {
    return malformed('bad-seqno');
  }
  return { kind: 'event', appId, seqno };
}
