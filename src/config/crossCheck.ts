import { isUrl } from './configFormats';

/** A variable's value as read (in its own unit), by variable name. */
type Raw = Record<string, unknown>;

/** The rules that involve more than one variable, each checked only when its variables are good. */
export function crossCheck(raw: Raw, bad: ReadonlySet<string>): string[] {
  const n = (name: string) => raw[name] as number;
  const problems: string[] = [];
  const need = (names: string[], ok: () => boolean, line: () => string) => {
    if (!names.some((name) => bad.has(name)) && !ok()) problems.push(line());
  };
  const atLeast = (name: string, other: string) =>
    need(
      [name, other],
      () => n(name) >= n(other),
      () => `${name}: expected at least ${other} (${n(other)}), got ${n(name)}`,
    );
  const lost = 'MARK_EVENT_LOST_TIMEOUT_SECONDS';

  atLeast('PURGE_EVENT_TIMEOUT_SECONDS', lost);
  need(
    ['MISSING_GRACE_SECONDS', lost],
    () => n('MISSING_GRACE_SECONDS') < n(lost),
    () =>
      `MISSING_GRACE_SECONDS: expected less than ${lost} (${n(lost)}), got ${n('MISSING_GRACE_SECONDS')}`,
  );
  need(
    ['LATENCY_OBJECTIVE_SECONDS', lost],
    () => n('LATENCY_OBJECTIVE_SECONDS') <= n(lost),
    () =>
      `LATENCY_OBJECTIVE_SECONDS: expected at most ${lost} (${n(lost)}), got ${n('LATENCY_OBJECTIVE_SECONDS')}`,
  );
  atLeast('RECONNECT_MAX_SECONDS', 'RECONNECT_MIN_SECONDS');
  const url = raw.WEBSOCKET_URL as string | null;
  need(
    ['WEBSOCKET_URL'],
    () => url !== null,
    () =>
      'WEBSOCKET_URL: is required (the subscription URL, such as wss://host/path), unless LOCAL_SERVICES_ONLY=true',
  );
  need(
    ['WEBSOCKET_URL'],
    () => url === null || isUrl(url, ['ws:', 'wss:']),
    () => `WEBSOCKET_URL: expected a ws:// or wss:// URL, got ${JSON.stringify(url)}`,
  );
  need(
    ['OKDATA_CLIENT_ID', 'OKDATA_CLIENT_SECRET'],
    () => (raw.OKDATA_CLIENT_ID === '') === (raw.OKDATA_CLIENT_SECRET === ''),
    () =>
      'OKDATA_CLIENT_ID and OKDATA_CLIENT_SECRET: expected both (bearer posting) or neither (webhook posting)',
  );
  return problems;
}
