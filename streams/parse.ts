/** What a subscription frame turned out to be. */
export type ParsedFrame =
  | { readonly ok: true; readonly appId: string; readonly seqno: number }
  | { readonly ok: false; readonly reason: MalformedReason };

export type MalformedReason =
  | 'binary'
  | 'too-large'
  | 'not-json'
  | 'not-an-object'
  | 'bad-app-id'
  | 'bad-seqno';

/** Frames larger than this are not parsed: our events are under 100 bytes. */
export const MAX_FRAME_CHARS = 64 * 1024;
const MAX_APP_ID_CHARS = 256;

/**
 * Reads a probe event `{"app_id": string, "seqno": positive integer, ...}` from a frame.
 * Never throws: whatever comes over the wire ends as a value. JSON.parse builds plain data
 * (a `__proto__` key becomes an own property, not a prototype), and only two fields are read.
 */
export function parseFrame(data: string): ParsedFrame {
  if (data.length > MAX_FRAME_CHARS) return { ok: false, reason: 'too-large' };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not-an-object' };
  }
  const { app_id: appId, seqno } = value as Record<string, unknown>;
  if (typeof appId !== 'string' || appId.length === 0 || appId.length > MAX_APP_ID_CHARS) {
    return { ok: false, reason: 'bad-app-id' };
  }
  if (typeof seqno !== 'number' || !Number.isSafeInteger(seqno) || seqno < 1) {
    return { ok: false, reason: 'bad-seqno' };
  }
  return { ok: true, appId, seqno };
}
