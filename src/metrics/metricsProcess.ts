import { Gauge, type Registry } from 'prom-client';
import { outcomeCounter } from './outcomeCounter';

/** What the info series says of a target. */
interface TargetSpec {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly config: {
    readonly dataset: { readonly id: string; readonly version: string };
    readonly auth: { readonly environment: unknown };
  };
}

export interface ProcessMetrics {
  /** The targets this process runs now, and how many the file holds for all shards. */
  configured(running: readonly TargetSpec[], inFile?: number): void;
  /** A load of the targets came to an end: applied, refused for problems, or failed to finish. */
  reloaded(outcome: ReloadResult): void;
}

/** How a load ended: `refused`, a file with problems; `failed`, one that could not finish. */
export type ReloadResult = 'applied' | 'refused' | 'failed';
const RESULTS: readonly ReloadResult[] = ['applied', 'refused', 'failed'];

/**
 * The process's own series: the targets configured and owned, each target's info (dataset,
 * version, environment and the file's labels, so the per-target series need carry only
 * `target`), and how the last reload went (the shard's are in `shards/shardMetrics.ts`) — named as Prometheus names its own.
 */
export function registerProcessMetrics(registry: Registry): ProcessMetrics {
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers });
  const configured = gauge(
    'probe_targets_configured',
    'Targets in the loaded targets file (all shards), or 1 for the one-target form.',
  );
  const owned = gauge('probe_targets_owned', 'Targets this process runs (its shard of them).');
  const reloadOk = gauge(
    'probe_config_last_reload_successful',
    'Whether the last reload of the targets applied (1) or was refused (0).',
  );
  const reloadAt = gauge(
    'probe_config_last_reload_success_timestamp_seconds',
    'When the targets were last loaded successfully (unix seconds).',
  );
  const reload = outcomeCounter(
    registry,
    'probe_config_reloads_total',
    'Loads of the targets after the start, by outcome: applied, refused (problems) or failed (too slow, too big).',
    RESULTS,
  );
  let specs: readonly TargetSpec[] = [];
  // Its label names follow the targets' own labels, so it is made again when they change.
  let info: Gauge | undefined;
  let infoLabels = '';
  const refreshInfo = () => {
    const own = [...new Set(specs.flatMap((spec) => Object.keys(spec.labels)))].sort();
    const names = ['target', 'dataset', 'version', 'environment', ...own.filter(free)];
    if (info === undefined || names.join() !== infoLabels) {
      if (info) registry.removeSingleMetric('probe_target_info');
      info = gauge('probe_target_info', 'Constant 1, labelled with what each target is.', names);
      infoLabels = names.join();
    }
    info.reset();
    for (const spec of specs) {
      const { dataset, auth } = spec.config;
      info.set(
        {
          target: spec.id,
          dataset: dataset.id,
          version: dataset.version,
          environment: String(auth.environment),
          ...Object.fromEntries(own.filter(free).map((name) => [name, spec.labels[name] ?? ''])),
        },
        1,
      );
    }
  };
  reloadOk.set(1);
  reloadAt.set(Date.now() / 1000);
  return {
    configured(running, inFile = running.length) {
      specs = running;
      configured.set(inFile);
      owned.set(running.length);
      refreshInfo();
    },
    reloaded(outcome) {
      reload(outcome);
      const ok = outcome === 'applied';
      reloadOk.set(ok ? 1 : 0);
      if (ok) reloadAt.set(Date.now() / 1000);
    },
  };
}

/** A file's label may not take the name of one the info series sets itself. */
const free = (name: string) => !['target', 'dataset', 'version', 'environment'].includes(name);
