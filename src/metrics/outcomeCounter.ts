import { Counter, type Registry } from 'prom-client';

/**
 * A counter of something that ends in one of a closed set of outcomes, every outcome's series
 * exported at 0 from the start, so `increase()` sees the first of each too.
 */
export function outcomeCounter<O extends string>(
  registry: Registry,
  name: string,
  help: string,
  outcomes: readonly O[],
): (outcome: O) => void {
  const counter = new Counter({ name, help, labelNames: ['outcome'], registers: [registry] });
  for (const outcome of outcomes) counter.labels(outcome).inc(0);
  return (outcome) => counter.labels(outcome).inc();
}
