import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The provisioned Grafana dashboard. */
export const DASHBOARD_FILE = join(
  __dirname,
  '..',
  '..',
  '..',
  'local',
  'grafana',
  'dashboards',
  'probe.json',
);

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { x: number; y: number; w: number; h: number };
  readonly targets?: ReadonlyArray<{ refId: string; expr: string; legendFormat?: string }>;
}

export interface Dashboard {
  readonly panels: readonly Panel[];
  readonly templating: { list: ReadonlyArray<Record<string, unknown>> };
}

export const readDashboard = (): Dashboard =>
  JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;

/** The filter on the `target` variable every per-target selector of the dashboard carries. */
export const TARGET_FILTER = 'target=~"$target"';

/**
 * Every query of the dashboard as Grafana sends it with `target` set to `selection`: its
 * values regex-escaped and joined, or the variable's `allValue` (`.+`) for All.
 */
export const dashboardQueries = (selection = '.+'): string[] =>
  readDashboard().panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => target.expr.replaceAll('$target', selection)),
  );

/** A query of the dashboard as the existing dashboards wrote it: without the target filter. */
export const unfiltered = (expr: string): string =>
  expr
    .replaceAll(`{${TARGET_FILTER}}`, '')
    .replaceAll(`${TARGET_FILTER},`, '')
    .replaceAll(`,${TARGET_FILTER}`, '');

/**
 * Grafana's built-in variables, as it would fill them in over a Prometheus scraped every
 * second: `$__interval` one step, `$__rate_interval` four scrapes (its floor), `$__range` the
 * last minute.
 */
const BUILT_IN: Record<string, string> = {
  __rate_interval: '4s',
  __interval: '1s',
  __range: '1m',
  __range_s: '60',
  __interval_ms: '1000',
};

/** Each query of every panel, with its variables filled in as Grafana sends it. */
export const panelQueries = (selection = '.+') =>
  readDashboard().panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      panel: panel.title,
      refId: target.refId,
      expr: target.expr
        .replace(/\$\{?(__\w+)\}?/g, (whole, name: string) => BUILT_IN[name] ?? whole)
        .replaceAll('$target', selection),
    })),
  );
