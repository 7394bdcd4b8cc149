/** How many foreign events (app id and seqno) are remembered to tell copies apart. */
export const FOREIGN_REMEMBERED = 1024;

/**
 * Whether a foreign event — one carrying another probe's app id — counts. Every listener gets
 * it, so it counts once across listeners, like our own; a copy on the same connection counts
 * again. `seen` maps `appId seqno` to the connections that delivered it, and is bounded: the
 * oldest key is forgotten first.
 */
export function countsAsForeign(
  seen: Map<string, number[]>,
  key: string,
  connectionId: number,
): boolean {
  const connections = seen.get(key);
  if (connections === undefined) {
    if (seen.size >= FOREIGN_REMEMBERED) seen.delete(seen.keys().next().value as string);
    seen.set(key, [connectionId]);
    return true;
  }
  if (connections.includes(connectionId)) return true;
  connections.push(connectionId);
  return false;
}
