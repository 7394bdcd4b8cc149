import { PROCESS_SETTINGS } from './processSettings';
import type { Fields, Setting } from './settingKinds';
import { TARGET_SETTINGS } from './targetSettings';

export type { LogLevel } from '../logs/logger';

/**
 * Every variable the probe reads, grouped by the part that uses it: first what each target may
 * set, then what holds for the whole process (the order of `--help` and of the README's table).
 */
export const SETTINGS = { ...TARGET_SETTINGS, ...PROCESS_SETTINGS };

/** The configuration, grouped as the table is; seconds are milliseconds here. */
export type Config = { readonly [G in keyof typeof SETTINGS]: Fields<(typeof SETTINGS)[G]> };

/** Every setting of the table, flat, in its order. */
export function allSettings(): Array<{ group: string; field: string; setting: Setting<unknown> }> {
  return Object.entries(SETTINGS).flatMap(([group, fields]) =>
    Object.entries(fields).map(([field, setting]) => ({
      group,
      field,
      setting: setting as Setting<unknown>,
    })),
  );
}
