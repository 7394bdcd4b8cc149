import { postDeadlineMs } from './postDeadline';
import { TIMER_MAX_MS } from './setting';

/** A request line past this is refused by common servers (nginx's default, many gateways). */
export const REQUEST_LINE_CHARS = 8192;
/** Events the tracker may hold at once (~840 B each, measured): about 170 MiB. */
export const EVENTS_REMEMBERED = 200_000;

/**
 * The limits on values that several settings make together: each setting within its own range
 * can still make a timer wait past what Node can (it then fires after 1 ms, in a loop), a URL
 * longer than a server takes, or a tracker that holds too many events. `raw` holds each
 * variable's value in its own unit (seconds), defaults applied.
 */
export function derivedLimitProblems(raw: Readonly<Record<string, unknown>>): string[] {
  const n = (name: string) => raw[name] as number;
  const ms = (name: string) => Math.round(n(name) * 1000);
  const problems: string[] = [];
  const timer = (what: string, names: string[], valueMs: number) => {
    if (valueMs > TIMER_MAX_MS) {
      problems.push(
        `${names.join(', ')}: together make ${what} ${valueMs / 1000} s, expected at most ${Math.floor(TIMER_MAX_MS / 1000)} s (the longest a timer waits)`,
      );
    }
  };
  timer(
    'the post deadline ((retries + 1) × timeout + retries × max retry delay + 1 s)',
    ['POST_EVENT_RETRIES', 'POST_TIMEOUT_SECONDS', 'POST_RETRY_MAX_DELAY_SECONDS'],
    postDeadlineMs({
      retries: n('POST_EVENT_RETRIES'),
      timeoutMs: ms('POST_TIMEOUT_SECONDS'),
      retryMaxDelayMs: ms('POST_RETRY_MAX_DELAY_SECONDS'),
    }),
  );
  timer(
    "the last listener's start ((listeners − 1) × stagger)",
    ['WEBSOCKET_LISTENERS', 'LISTENER_STAGGER_SECONDS'],
    (n('WEBSOCKET_LISTENERS') - 1) * ms('LISTENER_STAGGER_SECONDS'),
  );

  const remembered = Math.ceil(
    ms('PURGE_EVENT_TIMEOUT_SECONDS') / ms('POST_EVENT_INTERVAL_SECONDS'),
  );
  if (remembered > EVENTS_REMEMBERED) {
    problems.push(
      `PURGE_EVENT_TIMEOUT_SECONDS, POST_EVENT_INTERVAL_SECONDS: together keep ${remembered} events in memory (purge timeout ÷ interval), expected at most ${EVENTS_REMEMBERED}: shorten the purge timeout or lengthen the interval`,
    );
  }

  const text = (name: string) => String(raw[name] ?? '');
  const id = encoded(text('PROBE_DATASET_ID'));
  const token = encoded(text('PROBE_WEBHOOK_TOKEN'));
  const line = (names: string[], what: string, length: number) => {
    if (length > REQUEST_LINE_CHARS) {
      problems.push(
        `${names.join(', ')}: together make ${what} of ${length} characters (encoded), expected at most ${REQUEST_LINE_CHARS}`,
      );
    }
  };
  // The fixed parts (`/webhook/event/`, `?token=`, `?dataset_id=`, …) are under 64 characters.
  line(
    ['EVENT_COLLECTOR_URL', 'PROBE_DATASET_ID', 'PROBE_DATASET_VERSION', 'PROBE_WEBHOOK_TOKEN'],
    "a post's URL",
    text('EVENT_COLLECTOR_URL').length +
      id.length +
      encoded(text('PROBE_DATASET_VERSION')).length +
      token.length +
      64,
  );
  line(
    ['WEBSOCKET_URL', 'PROBE_DATASET_ID', 'PROBE_WEBHOOK_TOKEN'],
    "the subscription's URL",
    text('WEBSOCKET_URL').length + id.length + token.length + 64,
  );
  return problems;
}

/** As long as the longer of the two encodings the requests use (a path segment, a query). */
const encoded = (value: string): string => {
  const path = encodeURIComponent(value);
  const query = new URLSearchParams({ v: value }).toString().slice(2);
  return path.length >= query.length ? path : query;
};
