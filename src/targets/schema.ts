import type { Setting } from '../config/settingKinds';
import { CONTROL_CLASS } from '../logs/controlChars';
import { type KeyedSetting, targetSettings } from './keys';

/** A target's id: it becomes the `target` label and a file-name-safe name. */
export const ID_PATTERN = '^[A-Za-z0-9._-]{1,63}$';
/** Prometheus label-name syntax, without the `__` prefix Prometheus keeps for itself. */
export const LABEL_NAME_PATTERN = '^(?!__)[a-zA-Z_][a-zA-Z0-9_]{0,62}$';
export const MAX_LABELS = 5;
export const MAX_LABEL_VALUE_CHARS = 128;
/** The variable syntax POSIX shells accept, for `{env: NAME}`. */
export const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

type JsonSchema = Record<string, unknown>;

/**
 * The JSON value a setting takes in the file: its type follows from the table (durations are
 * numbers of seconds, counts whole numbers, flags booleans, a choice one of its words), so a file
 * and the variables mean the same thing. Ranges are the loader's to check, with the variables'.
 */
export function valueSchema(setting: Setting<unknown>): JsonSchema {
  const described = { description: setting.doc };
  if (setting.secret) return { ...described, $ref: '#/definitions/secret' };
  const withDefault =
    setting.default === undefined || setting.default === ''
      ? described
      : { ...described, default: setting.default };
  if (typeof setting.default === 'boolean') return { ...withDefault, type: 'boolean' };
  if (setting.choices) return { ...withDefault, type: 'string', enum: setting.choices };
  if (setting.unit === 'seconds') return { ...withDefault, type: 'number', minimum: 0 };
  if (typeof setting.default === 'number') return { ...withDefault, type: 'integer', minimum: 0 };
  if (Array.isArray(setting.default)) {
    return { ...withDefault, type: 'array', items: { type: 'number' } };
  }
  if (setting.userinfoSecret) return { ...withDefault, type: 'string', pattern: NO_USERINFO };
  return { ...withDefault, type: 'string' };
}

/** A URL's user and password are secret too: never in the file, so no `@` after the scheme. */
export const NO_USERINFO = '^(?![A-Za-z][A-Za-z0-9+.-]*://.*@)';

const properties = (settings: KeyedSetting[]): JsonSchema =>
  Object.fromEntries(settings.map(({ key, setting }) => [key, valueSchema(setting)]));

/** The targets file's JSON Schema, from the settings table; `deploy/targets.schema.json` is it. */
export function targetsSchema(): JsonSchema {
  const settings = properties(targetSettings());
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'dataplatform-probe targets file',
    description:
      'The datasets one probe process checks (PROBE_TARGETS_FILE). Generated from src/config/settings.ts.',
    type: 'object',
    required: ['targets'],
    additionalProperties: false,
    properties: {
      defaults: {
        description: 'Settings for every target of this file; a target overrides them.',
        type: 'object',
        additionalProperties: false,
        properties: settings,
      },
      targets: { type: 'array', minItems: 1, items: { $ref: '#/definitions/target' } },
    },
    definitions: {
      target: {
        type: 'object',
        required: ['id'],
        additionalProperties: false,
        properties: {
          id: {
            description: 'Unique across all files; the target label of its series.',
            type: 'string',
            pattern: ID_PATTERN,
          },
          labels: { $ref: '#/definitions/labels' },
          ...settings,
        },
      },
      labels: {
        description: 'Labels of probe_target_info for this target.',
        type: 'object',
        maxProperties: MAX_LABELS,
        propertyNames: { pattern: LABEL_NAME_PATTERN, not: { const: 'target' } },
        additionalProperties: {
          type: 'string',
          maxLength: MAX_LABEL_VALUE_CHARS,
          pattern: `^[^${CONTROL_CLASS}]*$`,
        },
      },
      secret: {
        description: 'A secret is never written here: {env: VARIABLE} or {file: PATH}.',
        type: 'object',
        minProperties: 1,
        maxProperties: 1,
        additionalProperties: false,
        properties: {
          env: { type: 'string', pattern: ENV_NAME_PATTERN },
          file: { type: 'string', minLength: 1 },
        },
      },
    },
  };
}
