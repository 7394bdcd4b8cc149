import { isUrl } from './configFormats';
import { postDeadlineMs } from './postDeadline';
import { TIMER_MAX_MS } from './settingKinds';

/** A request line past this is refused by common servers (nginx's default, many gateways). */
export const REQUEST_LINE_CHARS = 8192;
/** Events the tracker may hold at once (~840 B each, measured): about 170 MiB. */
export const EVENTS_REMEMBERED = 200_000;

/** A variable's value as read (in its own unit: seconds), defaults applied, by variable name. */
type Raw = Readonly<Record<string, unknown>>;

/**
 * A rule between settings: each variable may be good alone and the values still wrong together
 * (an objective past the lost timeout, a timer past what Node can wait, a URL longer than a
 * server takes). A rule names its variables, so it is checked only when every one of them is
 * read and good: a rule about a bad value would only repeat that value's problem.
 */
export interface SettingRule {
  readonly names: readonly string[];
  /** The problem line, or undefined when the values keep the rule. */
  readonly check: (raw: Raw) => string | undefined;
}

const n = (raw: Raw, name: string) => raw[name] as number;
const ms = (raw: Raw, name: string) => Math.round(n(raw, name) * 1000);
const text = (raw: Raw, name: string) => String(raw[name] ?? '');
const LOST = 'MARK_EVENT_LOST_TIMEOUT_SECONDS';

/** `name` compared with `other` by `holds`; the line says `expected <relation> other (its value)`. */
const compared = (
  name: string,
  other: string,
  relation: string,
  holds: (a: number, b: number) => boolean,
): SettingRule => ({
  names: [name, other],
  check: (raw) =>
    holds(n(raw, name), n(raw, other))
      ? undefined
      : `${name}: expected ${relation} ${other} (${n(raw, other)}), got ${n(raw, name)}`,
});

/** A duration several settings make together, which a Node timer must be able to wait. */
const timer = (what: string, names: string[], valueMs: (raw: Raw) => number): SettingRule => ({
  names,
  check: (raw) =>
    valueMs(raw) > TIMER_MAX_MS
      ? `${names.join(', ')}: together make ${what} ${valueMs(raw) / 1000} s, expected at most ${Math.floor(TIMER_MAX_MS / 1000)} s (the longest a timer waits)`
      : undefined,
});

/** A request line several settings make together; the fixed parts are under 64 characters. */
const requestLine = (what: string, names: string[], length: (raw: Raw) => number): SettingRule => ({
  names,
  check: (raw) =>
    length(raw) + 64 > REQUEST_LINE_CHARS
      ? `${names.join(', ')}: together make ${what} of ${length(raw) + 64} characters (encoded), expected at most ${REQUEST_LINE_CHARS}`
      : undefined,
});

/** As long as the longer of the two encodings the requests use (a path segment, a query). */
const encoded = (value: string): number => {
  const path = encodeURIComponent(value);
  const query = new URLSearchParams({ v: value }).toString().slice(2);
  return Math.max(path.length, query.length);
};

/** Every rule between settings, in the order their problems are told. */
export const SETTING_RULES: readonly SettingRule[] = [
  compared('PURGE_EVENT_TIMEOUT_SECONDS', LOST, 'at least', (a, b) => a >= b),
  compared('MISSING_GRACE_SECONDS', LOST, 'less than', (a, b) => a < b),
  compared('LATENCY_OBJECTIVE_SECONDS', LOST, 'at most', (a, b) => a <= b),
  compared('RECONNECT_MAX_SECONDS', 'RECONNECT_MIN_SECONDS', 'at least', (a, b) => a >= b),
  {
    names: ['WEBSOCKET_URL'],
    check: (raw) =>
      raw.WEBSOCKET_URL === null
        ? 'WEBSOCKET_URL: is required (the subscription URL, such as wss://host/path), unless LOCAL_SERVICES_ONLY=true'
        : undefined,
  },
  {
    names: ['WEBSOCKET_URL'],
    check: ({ WEBSOCKET_URL: url }) =>
      url === null || isUrl(url as string, ['ws:', 'wss:'])
        ? undefined
        : `WEBSOCKET_URL: expected a ws:// or wss:// URL, got ${JSON.stringify(url)}`,
  },
  {
    names: ['OKDATA_CLIENT_ID', 'OKDATA_CLIENT_SECRET'],
    check: (raw) =>
      (raw.OKDATA_CLIENT_ID === '') === (raw.OKDATA_CLIENT_SECRET === '')
        ? undefined
        : 'OKDATA_CLIENT_ID and OKDATA_CLIENT_SECRET: expected both (bearer posting) or neither (webhook posting)',
  },
  timer(
    'the post deadline ((retries + 1) × timeout + retries × max retry delay + 1 s)',
    ['POST_EVENT_RETRIES', 'POST_TIMEOUT_SECONDS', 'POST_RETRY_MAX_DELAY_SECONDS'],
    (raw) =>
      postDeadlineMs({
        retries: n(raw, 'POST_EVENT_RETRIES'),
        timeoutMs: ms(raw, 'POST_TIMEOUT_SECONDS'),
        retryMaxDelayMs: ms(raw, 'POST_RETRY_MAX_DELAY_SECONDS'),
      }),
  ),
  timer(
    "the last listener's start ((listeners − 1) × stagger)",
    ['WEBSOCKET_LISTENERS', 'LISTENER_STAGGER_SECONDS'],
    (raw) => (n(raw, 'WEBSOCKET_LISTENERS') - 1) * ms(raw, 'LISTENER_STAGGER_SECONDS'),
  ),
  {
    names: ['PURGE_EVENT_TIMEOUT_SECONDS', 'POST_EVENT_INTERVAL_SECONDS'],
    check: (raw) => {
      const remembered = Math.ceil(
        ms(raw, 'PURGE_EVENT_TIMEOUT_SECONDS') / ms(raw, 'POST_EVENT_INTERVAL_SECONDS'),
      );
      return remembered > EVENTS_REMEMBERED
        ? `PURGE_EVENT_TIMEOUT_SECONDS, POST_EVENT_INTERVAL_SECONDS: together keep ${remembered} events in memory (purge timeout ÷ interval), expected at most ${EVENTS_REMEMBERED}: shorten the purge timeout or lengthen the interval`
        : undefined;
    },
  },
  requestLine(
    "a post's URL",
    ['EVENT_COLLECTOR_URL', 'PROBE_DATASET_ID', 'PROBE_DATASET_VERSION', 'PROBE_WEBHOOK_TOKEN'],
    (raw) =>
      text(raw, 'EVENT_COLLECTOR_URL').length +
      encoded(text(raw, 'PROBE_DATASET_ID')) +
      encoded(text(raw, 'PROBE_DATASET_VERSION')) +
      encoded(text(raw, 'PROBE_WEBHOOK_TOKEN')),
  ),
  requestLine(
    "the subscription's URL",
    ['WEBSOCKET_URL', 'PROBE_DATASET_ID', 'PROBE_WEBHOOK_TOKEN'],
    (raw) =>
      text(raw, 'WEBSOCKET_URL').length +
      encoded(text(raw, 'PROBE_DATASET_ID')) +
      encoded(text(raw, 'PROBE_WEBHOOK_TOKEN')),
  ),
];

/**
 * The problems of the rules whose variables are all `read` and none `bad`, one line each.
 * `read` leaves out a rule about variables not checked here (the process-wide settings of a
 * targets file are checked apart from any target).
 */
export function ruleProblems(
  raw: Raw,
  bad: ReadonlySet<string> = new Set(),
  read: (name: string) => boolean = () => true,
  rules: readonly SettingRule[] = SETTING_RULES,
): string[] {
  return rules
    .filter(({ names }) => names.every(read) && !names.some((name) => bad.has(name)))
    .flatMap(({ check }) => check(raw) ?? []);
}
