import type { ParsedFrame } from './messages';

/** Frames larger than this are not parsed: our events are under 100 bytes. */
export const MAX_FRAME_CHARS = 64 * 1024;
const MAX_APP_ID_CHARS = 256;

/**
 * Reads a probe event `{"app_id": string, "seqno": positive integer, ...}` from a frame.
 * Never throws: whatever comes over the wire ends as a value. JSON.parse builds plain data
 * (a `__proto__` key becomes an own property, not a prototype), and only two fields are read.
 */
export function parseFrame(data: string): ParsedFrame {
  if (data.length > MAX_FRAME_CHARS) return { kind: 'malformed', reason: 'too-large' };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { kind: 'malformed', reason: 'not-json' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'malformed', reason: 'not-an-object' };
  }
  const { app_id: appId, seqno } = value as Record<string, unknown>;
  if (typeof appId !== 'string' || appId.length === 0 || appId.length > MAX_APP_ID_CHARS) {
    return { kind: 'malformed', reason: 'bad-app-id' };
  }
  if (typeof seqno !== 'number' || !Number.isSafeInteger(seqno) || seqno < 1) {
    return { kind: 'malformed', reason: 'bad-seqno' };
  }
  return { kind: 'event', appId, seqno };
}
