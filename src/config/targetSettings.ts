import {
  byEnvironment,
  LOCAL_COLLECTOR_URL,
  LOCAL_KEYCLOAK_URL,
  LOCAL_WEBSOCKET_URL,
  local,
} from './environments';
import {
  choice,
  DAY,
  HOUR,
  ID_CHARS,
  type Setting,
  same,
  seconds,
  stripSlash,
  text,
  URL_CHARS,
  url,
  whole,
} from './settingKinds';

/**
 * The groups each target may set: in a targets file, per target or in its defaults; without
 * one, the one target's own variables.
 */
export const TARGET_SETTINGS = {
  dataset: {
    id: text('PROBE_DATASET_ID', 'dataset to post to and listen on', ID_CHARS, {
      kind: 'path-segment',
    }),
    version: text('PROBE_DATASET_VERSION', 'dataset version', ID_CHARS, {
      kind: 'path-segment',
      default: '1',
    }),
    webhookToken: text(
      'PROBE_WEBHOOK_TOKEN',
      'token for the subscription (and for webhook posting)',
      URL_CHARS,
      { secret: true },
    ),
  },
  posting: {
    collectorUrl: url(
      'EVENT_COLLECTOR_URL',
      "collector base URL, overriding the environment's",
      byEnvironment('collector', LOCAL_COLLECTOR_URL),
      stripSlash,
    ),
    intervalMs: seconds(
      'POST_EVENT_INTERVAL_SECONDS',
      10,
      'time between posts, on a fixed schedule',
      [0.001, DAY],
    ),
    retries: whole(
      'POST_EVENT_RETRIES',
      3,
      'retries of one post (network errors, timeouts, 429, 5xx)',
      [0, 10],
    ),
    timeoutMs: seconds('POST_TIMEOUT_SECONDS', 5, 'timeout of one post attempt', [0.05, HOUR]),
    retryMaxDelayMs: seconds('POST_RETRY_MAX_DELAY_SECONDS', 5, 'longest wait between retries', [
      0,
      HOUR,
    ]),
    maxInFlight: whole(
      'MAX_POSTS_IN_FLIGHT',
      50,
      'posts running at once; past it a post fails',
      [1, 10_000],
    ),
  },
  auth: {
    environment: {
      ...choice(
        'OKDATA_ENVIRONMENT',
        ['dev', 'prod'],
        'prod',
        'dev or prod: picks the collector and Keycloak defaults',
      ),
      toValue: same,
    },
    clientId: text(
      'OKDATA_CLIENT_ID',
      'client id; with the secret, posts use bearer auth',
      ID_CHARS,
      { kind: 'optional', default: '' },
    ),
    clientSecret: text('OKDATA_CLIENT_SECRET', 'client secret', URL_CHARS, {
      kind: 'optional',
      default: '',
      secret: true,
    }),
    keycloakUrl: url(
      'KEYCLOAK_SERVER_URL',
      "token server, overriding the environment's",
      byEnvironment('keycloak', LOCAL_KEYCLOAK_URL),
      stripSlash,
    ),
    realm: text('KEYCLOAK_REALM', 'Keycloak realm', ID_CHARS, {
      kind: 'path-segment',
      default: 'api-catalog',
    }),
    tokenTimeoutMs: seconds('TOKEN_TIMEOUT_SECONDS', 10, 'timeout of one token request', [
      0.1,
      HOUR,
    ]),
  },
  subscription: {
    url: url(
      'WEBSOCKET_URL',
      'subscription URL, without query (not needed with LOCAL_SERVICES_ONLY)',
      (get) => (local(get) ? LOCAL_WEBSOCKET_URL : null),
      same<string>,
    ),
    listeners: whole(
      'WEBSOCKET_LISTENERS',
      2,
      'independent subscription connections, staggered',
      [1, 16],
    ),
    listenerStaggerMs: seconds('LISTENER_STAGGER_SECONDS', 1, 'delay between listener starts', [
      0,
      HOUR,
    ]),
    connectTimeoutMs: seconds('WEBSOCKET_CONNECT_TIMEOUT_SECONDS', 10, 'handshake timeout', [
      0.1,
      HOUR,
    ]),
    pingIntervalMs: seconds('WEBSOCKET_PING_INTERVAL_SECONDS', 30, 'heartbeat interval', [
      0.05,
      HOUR,
    ]),
    maxConnectionMs: seconds(
      'WEBSOCKET_MAX_CONNECTION_SECONDS',
      6600,
      'replace a connection, make-before-break, once it is this old',
      [1, DAY],
    ),
    reconnectMinMs: seconds('RECONNECT_MIN_SECONDS', 0.5, 'first reconnect delay', [0.05, HOUR]),
    reconnectMaxMs: seconds('RECONNECT_MAX_SECONDS', 5, 'longest reconnect delay', [0.05, HOUR]),
  },
  tracker: {
    lostTimeoutMs: seconds(
      'MARK_EVENT_LOST_TIMEOUT_SECONDS',
      300,
      'an event not received this long after its post is lost',
      [0.1, DAY],
    ),
    purgeTimeoutMs: seconds(
      'PURGE_EVENT_TIMEOUT_SECONDS',
      900,
      'an event is forgotten this long after its post',
      [0.1, 7 * DAY],
    ),
    cleanIntervalMs: seconds(
      'CLEAN_EVENTS_INTERVAL_SECONDS',
      30,
      'how often lost marking and purging run',
      [0.01, HOUR],
    ),
    // 10 s, or half a lost timeout shorter than 20 s: a default must not refuse a valid setting.
    missingGraceMs: seconds(
      'MISSING_GRACE_SECONDS',
      undefined,
      'an event counts in the missing shares only once it is this old',
      [0, HOUR],
      { fallback: (get) => Math.min(10, (get('MARK_EVENT_LOST_TIMEOUT_SECONDS') as number) / 2) },
    ),
    // 30 s, or the lost timeout when that is shorter: an event later than that is lost anyway.
    latencyObjectiveMs: seconds(
      'LATENCY_OBJECTIVE_SECONDS',
      undefined,
      'an event received within this long of its post is good for the SLI; later or lost is bad',
      [0.01, DAY],
      { fallback: (get) => Math.min(30, get('MARK_EVENT_LOST_TIMEOUT_SECONDS') as number) },
    ),
  },
} satisfies Record<string, Record<string, Setting<unknown>>>;
