/**
 * Many requests, few runs: `run` is never started while it runs, and every request that comes
 * while it runs joins the ONE run that follows it — so there is at most one running and one
 * waiting, however many ask (500 SIGHUPs are two loads, not 500). A request made while a run is
 * going may have come after that run read its input, so it is answered by the next run, which
 * starts after the request and so covers it; requests that join the waiting run share its outcome.
 */
export function mergeRequests<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let waiting: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const current = Promise.resolve()
      .then(run)
      .finally(() => {
        if (running === current) running = undefined;
      });
    running = current;
    return current;
  };
  return () => {
    if (waiting) return waiting;
    if (!running) return start();
    const after = running.then(
      () => undefined,
      () => undefined,
    );
    waiting = after.then(() => {
      waiting = undefined;
      return start();
    });
    return waiting;
  };
}
