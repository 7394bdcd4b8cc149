import type { Disconnect } from './socketMessages';

/** Statuses a gateway refuses a handshake with that get a label of their own. */
const KNOWN_REFUSALS = new Set([400, 401, 403, 404, 408, 409, 410, 429, 500, 502, 503, 504]);

/**
 * The reconnect label: the cause, and for a refused handshake its HTTP status — from a fixed
 * set, so whatever a server answers cannot grow the series.
 */
export function causeLabel(disconnect: Disconnect): string {
  if (disconnect.cause !== 'refused') return disconnect.cause;
  const status = disconnect.status ?? 0;
  return KNOWN_REFUSALS.has(status) ? `refused_${status}` : 'refused_other';
}
