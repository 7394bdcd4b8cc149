import type { CollectorTuning } from './collectorTuning';

/** The variable naming the demo's one broken target, and its default. */
export const BROKEN_VARIABLE = 'LOCAL_BROKEN_TARGET';
export const DEFAULT_BROKEN = 'probe-local-2';

export interface DemoTuning {
  readonly all: Partial<CollectorTuning>;
  readonly byDataset: Readonly<Record<string, Partial<CollectorTuning>>>;
}

/**
 * What the demo's collector does (`npm run local`, the compose file): a healthy pipeline with
 * one broken target. Every dataset's events arrive, some held up to 3 s so the latency charts
 * have a shape, none dropped: at rest every target is green (5 % dropped made half the rows
 * amber). The dataset of `LOCAL_BROKEN_TARGET` (`probe-local-2`, the second of
 * `LOCAL_TARGETS=3`; one target runs `probe-local`, so it is healthy) has every event taken
 * and none delivered: red, and its alerts go off. Set it empty for none.
 */
export function demoTuning(env: NodeJS.ProcessEnv): DemoTuning {
  const broken = (env[BROKEN_VARIABLE] ?? DEFAULT_BROKEN).trim();
  return {
    all: { NO_EMIT_PERCENT: 0 },
    byDataset: broken === '' ? {} : { [broken]: { NO_EMIT_PERCENT: 100 } },
  };
}
