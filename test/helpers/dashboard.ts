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
