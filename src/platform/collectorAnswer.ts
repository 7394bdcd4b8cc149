/** The post error of a 2xx that is not the collector's answer. */
export const NOT_THE_COLLECTORS_ANSWER = "not the collector's answer";

/**
 * Whether an answer is the collector's success: a 2xx whose body is a JSON object, as its
 * `{"message":"Ok"}` is. A proxy's or a login portal's page, an empty body, a list or a bare
 * value under a 2xx did not come from the collector, and the event was likely never taken: a
 * post error, though its status says success. Only the shape is checked, not the message, so
 * a collector that words its answer differently still counts.
 */
export function isCollectorSuccess(status: number, body: unknown): boolean {
  if (status < 200 || status > 299 || typeof body !== 'string') return false;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
