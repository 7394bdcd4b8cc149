/**
 * How long one post may take, every attempt and wait included: each attempt times out on its
 * own, but an answer that trickles in never lets that fire, so the whole post has this deadline.
 * The configuration checks that it stays within what a timer can wait.
 */
export function postDeadlineMs(options: {
  readonly retries: number;
  readonly timeoutMs: number;
  readonly retryMaxDelayMs: number;
}): number {
  return (
    (options.retries + 1) * options.timeoutMs + options.retries * options.retryMaxDelayMs + 1_000
  );
}
