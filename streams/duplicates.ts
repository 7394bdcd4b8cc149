import type { TrackedEvent } from './eventStore';

/**
 * What one copy of an own event is: the `first` receipt of it; the first copy on
 * `another-connection` (every listener gets every event: expected); a `duplicate`; or a
 * `counted-copy`, an extra copy already counted as a duplicate on another connection.
 */
export type Delivery = 'first' | 'another-connection' | 'duplicate' | 'counted-copy';

/**
 * Records a copy of `event` on `connectionId`. A second copy on one connection is a duplicate,
 * counted as copies the pipeline sent too many, not per listener: with two listeners a
 * doubled event arrives twice on each connection, and is one duplicate.
 *
 * The deliveries are kept as pairs (connection id, copies) in one small exact-size array:
 * most events never need more than one pair per listener.
 */
export function recordDelivery(event: TrackedEvent, connectionId: number): Delivery {
  const deliveries = event.deliveries;
  if (deliveries === undefined) {
    event.deliveries = [connectionId, 1];
    return 'first';
  }
  for (let i = 0; i < deliveries.length; i += 2) {
    if (deliveries[i] !== connectionId) continue;
    deliveries[i + 1] += 1;
    if (deliveries[i + 1] - 1 <= (event.duplicates ?? 0)) return 'counted-copy';
    event.duplicates = (event.duplicates ?? 0) + 1;
    return 'duplicate';
  }
  deliveries.push(connectionId, 1);
  return 'another-connection';
}
