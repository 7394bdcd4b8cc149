import type { Setting } from '../config/settingKinds';
import { allSettings } from '../config/settings';

/**
 * How a setting is named in a targets file: its variable in camelCase, without the `PROBE_`
 * prefix that only keeps the variables apart from other programs' (`PROBE_DATASET_ID` →
 * `datasetId`, `POST_EVENT_INTERVAL_SECONDS` → `postEventIntervalSeconds`).
 */
export function keyOf(env: string): string {
  const words = env
    .replace(/^PROBE_/, '')
    .toLowerCase()
    .split('_');
  return words
    .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

/** The keys of an entry that are not settings. */
export const ID_KEY = 'id';
export const LABELS_KEY = 'labels';

export interface KeyedSetting {
  readonly key: string;
  readonly setting: Setting<unknown>;
}

const keyed = (): KeyedSetting[] =>
  allSettings().map(({ setting }) => ({ key: keyOf(setting.env), setting }));

/** The settings a target may set, in the table's order. */
export const targetSettings = (): KeyedSetting[] =>
  keyed().filter(({ setting }) => setting.scope !== 'process');

/** The settings that are one value for the whole process: variables only. */
export const processSettings = (): KeyedSetting[] =>
  keyed().filter(({ setting }) => setting.scope === 'process');
