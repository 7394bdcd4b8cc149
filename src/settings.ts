import {
  type Fields,
  feedsOthers,
  flag,
  processWide,
  type Setting,
  same,
  seconds,
  stripSlash,
  text,
  whole,
} from './setting';

export const ENVIRONMENTS = {
  dev: {
    collector: 'https://api.data-dev.oslo.systems/event-collector',
    keycloak: 'https://login-test.oslo.kommune.no/auth',
  },
  prod: {
    collector: 'https://api.data.oslo.systems/event-collector',
    keycloak: 'https://login.oslo.kommune.no/auth',
  },
} as const;

export const LOCAL_COLLECTOR_URL = 'http://localhost:8081';
export const LOCAL_WEBSOCKET_URL = 'ws://localhost:8765';
export const LOCAL_KEYCLOAK_URL = 'http://localhost:8082';

type Environment = keyof typeof ENVIRONMENTS;
const local = (get: (env: string) => unknown): boolean => get('LOCAL_SERVICES_ONLY') === true;
const byEnvironment =
  (service: 'collector' | 'keycloak', localUrl: string) => (get: (env: string) => unknown) =>
    local(get) ? localUrl : ENVIRONMENTS[get('OKDATA_ENVIRONMENT') as Environment][service];

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Every variable the probe reads, grouped by the part that uses it. */
export const SETTINGS = {
  dataset: {
    id: text('PROBE_DATASET_ID', 'dataset to post to and listen on', { format: 'path-segment' }),
    version: text('PROBE_DATASET_VERSION', 'dataset version', {
      format: 'path-segment',
      default: '1',
    }),
    webhookToken: text(
      'PROBE_WEBHOOK_TOKEN',
      'token for the subscription (and for webhook posting)',
      { secret: true },
    ),
  },
  posting: {
    collectorUrl: {
      env: 'EVENT_COLLECTOR_URL',
      doc: "collector base URL, overriding the environment's",
      format: 'url-or-null',
      fallback: byEnvironment('collector', LOCAL_COLLECTOR_URL),
      toValue: stripSlash,
    } as Setting<string>,
    intervalMs: seconds(
      'POST_EVENT_INTERVAL_SECONDS',
      10,
      'time between posts, on a fixed schedule',
      0.001,
    ),
    retries: whole(
      'POST_EVENT_RETRIES',
      3,
      'retries of one post (network errors, timeouts, 429, 5xx)',
    ),
    timeoutMs: seconds('POST_TIMEOUT_SECONDS', 5, 'timeout of one post attempt', 0.05),
    retryMaxDelayMs: seconds('POST_RETRY_MAX_DELAY_SECONDS', 5, 'longest wait between retries', 0),
    maxInFlight: whole('MAX_POSTS_IN_FLIGHT', 50, 'posts running at once; past it a post fails'),
  },
  auth: {
    environment: feedsOthers({
      env: 'OKDATA_ENVIRONMENT',
      doc: 'dev or prod: picks the collector and Keycloak defaults',
      format: ['dev', 'prod'],
      default: 'prod',
    }),
    clientId: text('OKDATA_CLIENT_ID', 'client id; with the secret, posts use bearer auth', {
      format: 'optional',
      default: '',
    }),
    clientSecret: text('OKDATA_CLIENT_SECRET', 'client secret', {
      format: 'optional',
      default: '',
      secret: true,
    }),
    keycloakUrl: {
      env: 'KEYCLOAK_SERVER_URL',
      doc: "token server, overriding the environment's",
      format: 'url-or-null',
      fallback: byEnvironment('keycloak', LOCAL_KEYCLOAK_URL),
      toValue: stripSlash,
    } as Setting<string>,
    realm: text('KEYCLOAK_REALM', 'Keycloak realm', {
      format: 'path-segment',
      default: 'api-catalog',
    }),
    tokenTimeoutMs: seconds('TOKEN_TIMEOUT_SECONDS', 10, 'timeout of one token request', 0.1),
  },
  subscription: {
    url: {
      env: 'WEBSOCKET_URL',
      doc: 'subscription URL, without query (not needed with LOCAL_SERVICES_ONLY)',
      format: 'url-or-null',
      fallback: (get) => (local(get) ? LOCAL_WEBSOCKET_URL : null),
      toValue: same<string>,
    } as Setting<string>,
    listeners: whole('WEBSOCKET_LISTENERS', 2, 'independent subscription connections, staggered'),
    listenerStaggerMs: seconds('LISTENER_STAGGER_SECONDS', 1, 'delay between listener starts', 0),
    connectTimeoutMs: seconds('WEBSOCKET_CONNECT_TIMEOUT_SECONDS', 10, 'handshake timeout', 0.1),
    pingIntervalMs: seconds('WEBSOCKET_PING_INTERVAL_SECONDS', 30, 'heartbeat interval', 0.05),
    maxConnectionMs: seconds(
      'WEBSOCKET_MAX_CONNECTION_SECONDS',
      6600,
      'replace a connection, make-before-break, once it is this old',
      1,
    ),
    reconnectMinMs: seconds('RECONNECT_MIN_SECONDS', 0.5, 'first reconnect delay', 0.05),
    reconnectMaxMs: seconds('RECONNECT_MAX_SECONDS', 5, 'longest reconnect delay', 0.05),
  },
  tracker: {
    lostTimeoutMs: seconds(
      'MARK_EVENT_LOST_TIMEOUT_SECONDS',
      300,
      'an event not received this long after its post is lost',
      0.1,
    ),
    purgeTimeoutMs: seconds(
      'PURGE_EVENT_TIMEOUT_SECONDS',
      900,
      'an event is forgotten this long after its post',
      0.1,
    ),
    cleanIntervalMs: seconds(
      'CLEAN_EVENTS_INTERVAL_SECONDS',
      30,
      'how often lost marking and purging run',
      0.01,
    ),
    // 10 s, or half a lost timeout shorter than 20 s: a default must not refuse a valid setting.
    missingGraceMs: seconds(
      'MISSING_GRACE_SECONDS',
      undefined,
      'an event counts in the missing shares only once it is this old',
      0,
      { fallback: (get) => Math.min(10, (get('MARK_EVENT_LOST_TIMEOUT_SECONDS') as number) / 2) },
    ),
    // 30 s, or the lost timeout when that is shorter: an event later than that is lost anyway.
    latencyObjectiveMs: seconds(
      'LATENCY_OBJECTIVE_SECONDS',
      undefined,
      'an event received within this long of its post is good for the SLI; later or lost is bad',
      0.01,
      { fallback: (get) => Math.min(30, get('MARK_EVENT_LOST_TIMEOUT_SECONDS') as number) },
    ),
  },
  server: {
    port: processWide(
      whole('METRICS_PORT', 8000, 'port of the metrics and status server (0: any free one)'),
    ),
    host: processWide(
      text('METRICS_HOST', 'address the metrics server binds to', { default: '0.0.0.0' }),
    ),
    latencyBucketsSeconds: processWide({
      env: 'LATENCY_BUCKETS_SECONDS',
      doc: 'buckets of the latency histogram',
      format: 'buckets',
      default: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      toValue: same<number[]>,
    } as Setting<number[]>),
  },
  run: {
    local: processWide(
      flag('RUN_LOCAL', 'debug logging, readable logs, and a table of events every 30 s'),
    ),
    localServicesOnly: feedsOthers({
      scope: 'process',
      env: 'LOCAL_SERVICES_ONLY',
      doc: 'use the local stand-ins: collector :8081, token server :8082, hub :8765',
      format: 'flag',
      default: false,
    }),
    logLevel: processWide({
      env: 'LOG_LEVEL',
      doc: 'debug, info, warn or error; auto is debug with RUN_LOCAL, else info',
      format: ['debug', 'info', 'warn', 'error', 'auto'],
      default: 'auto',
      toValue: (level: LogLevel | 'auto', get) =>
        level !== 'auto' ? level : get('RUN_LOCAL') === true ? 'debug' : 'info',
    } as Setting<LogLevel>),
  },
} satisfies Record<string, Record<string, Setting<unknown>>>;

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
