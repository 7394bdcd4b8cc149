import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { nearest } from './didYouMean';
import { ID_KEY, keyOf, LABELS_KEY, processSettings, targetSettings } from './keys';
import type { Parsed } from './parseSource';
import { type TargetProblem, targetEntry } from './problem';
import { ID_PATTERN, MAX_LABEL_VALUE_CHARS, MAX_LABELS, targetsSchema } from './schema';

let compiled: ValidateFunction | undefined;
const validator = () => {
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile(targetsSchema());
  return compiled;
};

/** A target's id when it is a good one, to name the entry by. */
export function goodId(entry: unknown): string | undefined {
  const id = (entry as Record<string, unknown> | null)?.[ID_KEY];
  return typeof id === 'string' && new RegExp(ID_PATTERN).test(id) ? id : undefined;
}

/** Every way the file departs from the schema, each in the file's words, no value repeated. */
export function schemaProblems(file: string, parsed: Parsed): TargetProblem[] {
  const validate = validator();
  if (validate(parsed.value)) return [];
  return (validate.errors ?? []).flatMap((error) => {
    // propertyNames reports its own failure; its inner rule's errors would say it again.
    if ((error as { propertyName?: string }).propertyName !== undefined) return [];
    const path = error.instancePath.split('/').slice(1).map(fromPointer);
    const prop = (error.params as { additionalProperty?: string }).additionalProperty;
    const name = (error.params as { propertyName?: string }).propertyName;
    const full = [...path, ...(prop !== undefined ? [prop] : name !== undefined ? [name] : [])];
    const [entry, keys] = place(full, parsed.value);
    const missing = (error.params as { missingProperty?: string }).missingProperty;
    return [
      {
        file,
        line: parsed.lineOf(full),
        entry,
        key: shownKey([...keys, ...(missing ? [missing] : [])]),
        message: messageOf(error, entry, keys, value(parsed.value, path)),
      },
    ];
  });
}

const fromPointer = (part: string) => part.replace(/~1/g, '/').replace(/~0/g, '~');

function value(root: unknown, path: string[]): unknown {
  return path.reduce<unknown>((at, step) => (at as Record<string, unknown> | null)?.[step], root);
}

/** The entry a path is in, and the keys within it. */
function place(path: string[], root: unknown): [string | undefined, string[]] {
  if (path[0] === 'targets' && path.length >= 2) {
    const index = Number(path[1]);
    return [targetEntry(index, goodId(value(root, path.slice(0, 2)))), path.slice(2)];
  }
  if (path[0] === 'defaults' && path.length >= 2) return ['defaults', path.slice(1)];
  return [undefined, path];
}

const SECRET_KEYS = new Set(
  targetSettings()
    .filter((s) => s.setting.secret)
    .map((s) => s.key),
);
const USERINFO_KEYS = new Set(
  targetSettings()
    .filter((s) => s.setting.userinfoSecret)
    .map((s) => s.key),
);
const PROCESS_KEYS = new Map(processSettings().map((s) => [s.key, s.setting.env]));

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a map of keys',
  array: 'a list',
  null: 'nothing',
};
const kindOf = (x: unknown): string => {
  // YAML's .nan and .inf (and 1e400, which overflows to it) are numbers no setting can take.
  if (Number.isNaN(x)) return 'not a number (.nan)';
  if (x === Number.POSITIVE_INFINITY) return 'infinity (.inf, or a number too large)';
  if (x === Number.NEGATIVE_INFINITY) return 'minus infinity (-.inf, or a number too large)';
  const kind = x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x;
  return Object.hasOwn(KINDS, kind) ? KINDS[kind] : kind;
};

/**
 * A key path as a problem line shows it: plain words as written, anything else quoted with every
 * character past printable ASCII escaped, so no key can break the line or turn its text around.
 */
const shownKey = (keys: readonly string[]): string | undefined =>
  keys.length === 0
    ? undefined
    : keys.map((key) => (/^[A-Za-z0-9_-]+$/.test(key) ? key : quoted(key))).join('.');
const quoted = (key: string): string =>
  JSON.stringify(key).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

function messageOf(
  error: ErrorObject,
  entry: string | undefined,
  keys: string[],
  found: unknown,
): string {
  const params = error.params as Record<string, unknown>;
  const where = keys.join('.');
  switch (error.keyword) {
    case 'additionalProperties':
      return unknownKey(String(params.additionalProperty), entry === undefined ? 0 : keys.length);
    case 'type': {
      if (SECRET_KEYS.has(where)) {
        return 'a secret is never written in the file: write {env: VARIABLE} or {file: PATH}';
      }
      const quote = params.type === 'string' && typeof found !== 'object' ? ' (quote it)' : '';
      const expected = KINDS[String(params.type)] ?? String(params.type);
      // .nan and .inf are numbers to YAML, and none a setting can take: say it is the finiteness.
      const finite = typeof found === 'number' && !Number.isFinite(found);
      return `expected ${finite ? expected.replace(/^an? /, 'a finite ') : expected}, got ${kindOf(found)}${quote}`;
    }
    case 'enum':
      return `expected one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'required':
      return params.missingProperty === 'targets'
        ? 'is required: a list of targets'
        : 'is required';
    case 'minItems':
      return 'expected at least one target';
    case 'pattern':
      if (where === ID_KEY) return 'expected 1 to 63 of the characters A-Z a-z 0-9 . _ -';
      if (keys[0] === LABELS_KEY)
        return 'expected no control characters (a line break, a direction mark)';
      if (USERINFO_KEYS.has(where)) {
        return "a URL's user and password are secret, never written in the file: set the variable";
      }
      return 'expected a variable name such as PROBE_WEBHOOK_TOKEN';
    case 'propertyNames':
      return params.propertyName === 'target'
        ? 'is the label every series of the target has, from its id'
        : 'expected a Prometheus label name: up to 63 of A-Z a-z 0-9 _, not first a digit or __';
    case 'maxProperties':
      return keys[0] === LABELS_KEY
        ? `expected at most ${MAX_LABELS} labels`
        : 'expected one of env or file, not both';
    case 'minProperties':
      return 'expected {env: VARIABLE} or {file: PATH}';
    case 'maxLength':
      return `expected at most ${MAX_LABEL_VALUE_CHARS} characters`;
    case 'minLength':
      return 'expected a path';
    default:
      return error.message ?? error.keyword;
  }
}

const TOP_KEYS = ['defaults', 'targets'];
const SETTING_KEYS = targetSettings().map((s) => s.key);

/** An unknown key at the top (depth 0), of an entry (1) or of a secret (2): what was meant. */
function unknownKey(key: string, depth: number): string {
  const processVariable = PROCESS_KEYS.get(key) ?? PROCESS_KEYS.get(keyOf(key.toUpperCase()));
  if (processVariable && depth === 1) {
    return `is one value for the whole process: set ${processVariable} in the environment instead`;
  }
  const known =
    depth === 0 ? TOP_KEYS : depth === 1 ? [ID_KEY, LABELS_KEY, ...SETTING_KEYS] : ['env', 'file'];
  const meant = nearest(key, known, keyOf);
  return meant === undefined ? 'unknown key' : `unknown key; did you mean ${meant}?`;
}
