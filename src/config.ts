import convict from 'convict';

/**
 * The probe's configuration, from environment variables only. Every value is checked
 * strictly before anything starts (convict's own `Number`, `Boolean` and `int` formats
 * accept NaN, "0" as true and "91x" as 91, so they are not used), and a bad value becomes
 * one line that names the variable, what is wrong and the expected form.
 */
export interface Config {
  websocketUrl: string;
  webhookToken: string;
  datasetId: string;
  datasetVersion: string;
  postIntervalMs: number;
  postRetries: number;
  postTimeoutMs: number;
  postRetryMaxDelayMs: number;
  maxPostsInFlight: number;
  lostTimeoutMs: number;
  purgeTimeoutMs: number;
  cleanIntervalMs: number;
  missingGraceMs: number;
  clientId?: string;
  clientSecret?: string;
  environment: 'dev' | 'prod';
  collectorUrl: string;
  keycloakUrl: string;
  keycloakRealm: string;
  tokenTimeoutMs: number;
  listeners: number;
  listenerStaggerMs: number;
  connectTimeoutMs: number;
  pingIntervalMs: number;
  maxConnectionMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  latencyBucketsSeconds: number[];
  metricsPort: number;
  metricsHost: string;
  runLocal: boolean;
  localServicesOnly: boolean;
  logLevel: LogLevel;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const ENVIRONMENTS = {
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

const DEFAULT_LATENCY_BUCKETS = '0.025,0.05,0.1,0.25,0.5,1,2.5,5,10,30,60,120,300';

// Each format keeps the raw string when it cannot parse it, so the error shows what was given.
const number = (text: string): number | string =>
  /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(text) ? Number(text) : text;

function seconds(min: number, inclusive: boolean) {
  return (x: unknown) => {
    const ok = typeof x === 'number' && Number.isFinite(x) && (inclusive ? x >= min : x > min);
    if (!ok) {
      throw new Error(
        `expected a number of seconds ${inclusive ? '≥' : '>'} ${min}, such as 10 or 0.5`,
      );
    }
  };
}

convict.addFormats({
  seconds: { validate: seconds(0, false), coerce: number },
  'seconds-or-zero': { validate: seconds(0, true), coerce: number },
  whole: {
    validate(x: unknown) {
      if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) {
        throw new Error('expected a whole number such as 3');
      }
    },
    coerce: (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : text),
  },
  flag: {
    validate(x: unknown) {
      if (typeof x !== 'boolean') throw new Error('expected true or false');
    },
    coerce(text: string) {
      const t = text.trim().toLowerCase();
      if (['true', '1', 'yes'].includes(t)) return true;
      if (['false', '0', 'no', ''].includes(t)) return false;
      return text;
    },
  },
  required: {
    validate(x: unknown) {
      if (typeof x !== 'string' || x.trim() === '')
        throw new Error('is required but not set (or empty)');
    },
  },
  optional: {
    validate(x: unknown) {
      if (x !== null && typeof x !== 'string') throw new Error('expected text');
    },
  },
  'url-or-null': {
    validate(x: unknown) {
      if (x === null) return;
      if (typeof x !== 'string' || !isUrl(x, ['http:', 'https:', 'ws:', 'wss:'])) {
        throw new Error('expected an absolute URL such as https://host/path');
      }
    },
  },
  buckets: {
    validate(x: unknown) {
      const ok =
        Array.isArray(x) &&
        x.length > 0 &&
        x.every((b, i) => typeof b === 'number' && b > 0 && (i === 0 || b > x[i - 1]));
      if (!ok)
        throw new Error(
          'expected increasing positive seconds separated by commas, such as 0.1,1,10',
        );
    },
    coerce(text: string) {
      const parts = text.split(',').map((p) => number(p));
      return parts.every((p) => typeof p === 'number') ? parts : text;
    },
  },
});

function isUrl(text: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

const schema = {
  WEBSOCKET_URL: {
    doc: 'subscription URL, without query',
    format: 'url-or-null',
    default: null as string | null,
    env: 'WEBSOCKET_URL',
  },
  PROBE_WEBHOOK_TOKEN: {
    doc: 'webhook token',
    format: 'required',
    default: null as string | null,
    env: 'PROBE_WEBHOOK_TOKEN',
    sensitive: true,
  },
  PROBE_DATASET_ID: {
    doc: 'dataset id',
    format: 'required',
    default: null as string | null,
    env: 'PROBE_DATASET_ID',
  },
  PROBE_DATASET_VERSION: {
    doc: 'dataset version',
    format: 'required',
    default: '1',
    env: 'PROBE_DATASET_VERSION',
  },
  POST_EVENT_INTERVAL_SECONDS: {
    doc: 'time between posts',
    format: 'seconds',
    default: 10,
    env: 'POST_EVENT_INTERVAL_SECONDS',
  },
  POST_EVENT_RETRIES: {
    doc: 'retries of one post',
    format: 'whole',
    default: 3,
    env: 'POST_EVENT_RETRIES',
  },
  POST_TIMEOUT_SECONDS: {
    doc: 'timeout of one post attempt',
    format: 'seconds',
    default: 5,
    env: 'POST_TIMEOUT_SECONDS',
  },
  POST_RETRY_MAX_DELAY_SECONDS: {
    doc: 'longest wait between retries',
    format: 'seconds-or-zero',
    default: 5,
    env: 'POST_RETRY_MAX_DELAY_SECONDS',
  },
  MAX_POSTS_IN_FLIGHT: {
    doc: 'posts running at once',
    format: 'whole',
    default: 50,
    env: 'MAX_POSTS_IN_FLIGHT',
  },
  MARK_EVENT_LOST_TIMEOUT_SECONDS: {
    doc: 'lost timeout',
    format: 'seconds',
    default: 300,
    env: 'MARK_EVENT_LOST_TIMEOUT_SECONDS',
  },
  PURGE_EVENT_TIMEOUT_SECONDS: {
    doc: 'purge timeout',
    format: 'seconds',
    default: 900,
    env: 'PURGE_EVENT_TIMEOUT_SECONDS',
  },
  CLEAN_EVENTS_INTERVAL_SECONDS: {
    doc: 'lost/purge interval',
    format: 'seconds',
    default: 30,
    env: 'CLEAN_EVENTS_INTERVAL_SECONDS',
  },
  MISSING_GRACE_SECONDS: {
    doc: 'grace before an event counts in the shares',
    format: 'seconds-or-zero',
    default: 10,
    env: 'MISSING_GRACE_SECONDS',
  },
  OKDATA_CLIENT_ID: {
    doc: 'client id',
    format: 'optional',
    default: null as string | null,
    env: 'OKDATA_CLIENT_ID',
  },
  OKDATA_CLIENT_SECRET: {
    doc: 'client secret',
    format: 'optional',
    default: null as string | null,
    env: 'OKDATA_CLIENT_SECRET',
    sensitive: true,
  },
  OKDATA_ENVIRONMENT: {
    doc: 'dev or prod',
    format: ['dev', 'prod'],
    default: 'prod',
    env: 'OKDATA_ENVIRONMENT',
  },
  EVENT_COLLECTOR_URL: {
    doc: 'collector base URL',
    format: 'url-or-null',
    default: null as string | null,
    env: 'EVENT_COLLECTOR_URL',
  },
  KEYCLOAK_SERVER_URL: {
    doc: 'Keycloak server',
    format: 'url-or-null',
    default: null as string | null,
    env: 'KEYCLOAK_SERVER_URL',
  },
  KEYCLOAK_REALM: {
    doc: 'Keycloak realm',
    format: 'required',
    default: 'api-catalog',
    env: 'KEYCLOAK_REALM',
  },
  TOKEN_TIMEOUT_SECONDS: {
    doc: 'timeout of a token request',
    format: 'seconds',
    default: 10,
    env: 'TOKEN_TIMEOUT_SECONDS',
  },
  WEBSOCKET_LISTENERS: {
    doc: 'subscription connections',
    format: 'whole',
    default: 2,
    env: 'WEBSOCKET_LISTENERS',
  },
  LISTENER_STAGGER_SECONDS: {
    doc: 'delay between listener starts',
    format: 'seconds-or-zero',
    default: 1,
    env: 'LISTENER_STAGGER_SECONDS',
  },
  WEBSOCKET_CONNECT_TIMEOUT_SECONDS: {
    doc: 'handshake timeout',
    format: 'seconds',
    default: 10,
    env: 'WEBSOCKET_CONNECT_TIMEOUT_SECONDS',
  },
  WEBSOCKET_PING_INTERVAL_SECONDS: {
    doc: 'ping interval',
    format: 'seconds',
    default: 30,
    env: 'WEBSOCKET_PING_INTERVAL_SECONDS',
  },
  WEBSOCKET_MAX_CONNECTION_SECONDS: {
    doc: 'rotate connections after',
    format: 'seconds',
    default: 6600,
    env: 'WEBSOCKET_MAX_CONNECTION_SECONDS',
  },
  RECONNECT_MIN_SECONDS: {
    doc: 'first reconnect delay',
    format: 'seconds',
    default: 0.5,
    env: 'RECONNECT_MIN_SECONDS',
  },
  RECONNECT_MAX_SECONDS: {
    doc: 'longest reconnect delay',
    format: 'seconds',
    default: 30,
    env: 'RECONNECT_MAX_SECONDS',
  },
  LATENCY_BUCKETS_SECONDS: {
    doc: 'latency histogram buckets',
    format: 'buckets',
    default: DEFAULT_LATENCY_BUCKETS.split(',').map(Number),
    env: 'LATENCY_BUCKETS_SECONDS',
  },
  METRICS_PORT: { doc: 'metrics port', format: 'whole', default: 8000, env: 'METRICS_PORT' },
  METRICS_HOST: {
    doc: 'metrics bind address',
    format: 'required',
    default: '0.0.0.0',
    env: 'METRICS_HOST',
  },
  RUN_LOCAL: { doc: 'local run', format: 'flag', default: false, env: 'RUN_LOCAL' },
  LOCAL_SERVICES_ONLY: {
    doc: 'use local stand-ins',
    format: 'flag',
    default: false,
    env: 'LOCAL_SERVICES_ONLY',
  },
  LOG_LEVEL: {
    doc: 'log level',
    format: ['debug', 'info', 'warn', 'error', 'auto'],
    default: 'auto',
    env: 'LOG_LEVEL',
  },
};

type Raw = { [K in keyof typeof schema]: (typeof schema)[K]['default'] };

/** Reads and checks the configuration from `env`; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = convict(schema, { env, args: [] });
  try {
    config.validate({ allowed: 'strict' });
  } catch (error) {
    throw new ConfigError(
      String((error as Error).message)
        .split('\n')
        .map(tidy),
    );
  }
  const raw = config.getProperties() as unknown as Raw;
  const problems = crossCheck(raw);
  if (problems.length > 0) throw new ConfigError(problems);
  return toConfig(raw);
}

// convict says `NAME: problem: value was "x"`; keep that order but say "got" for the value.
const tidy = (line: string): string => line.replace(/: value was /, ', got ');

function crossCheck(raw: Raw): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, line: string) => {
    if (!ok) problems.push(line);
  };
  need(
    raw.PURGE_EVENT_TIMEOUT_SECONDS >= raw.MARK_EVENT_LOST_TIMEOUT_SECONDS,
    `PURGE_EVENT_TIMEOUT_SECONDS: expected at least MARK_EVENT_LOST_TIMEOUT_SECONDS (${raw.MARK_EVENT_LOST_TIMEOUT_SECONDS}), got ${raw.PURGE_EVENT_TIMEOUT_SECONDS}`,
  );
  need(
    raw.MISSING_GRACE_SECONDS < raw.MARK_EVENT_LOST_TIMEOUT_SECONDS,
    `MISSING_GRACE_SECONDS: expected less than MARK_EVENT_LOST_TIMEOUT_SECONDS (${raw.MARK_EVENT_LOST_TIMEOUT_SECONDS}), got ${raw.MISSING_GRACE_SECONDS}`,
  );
  need(
    raw.WEBSOCKET_LISTENERS >= 1 && raw.WEBSOCKET_LISTENERS <= 16,
    `WEBSOCKET_LISTENERS: expected a whole number from 1 to 16, got ${raw.WEBSOCKET_LISTENERS}`,
  );
  need(
    raw.POST_EVENT_RETRIES <= 10,
    `POST_EVENT_RETRIES: expected a whole number from 0 to 10, got ${raw.POST_EVENT_RETRIES}`,
  );
  need(
    raw.MAX_POSTS_IN_FLIGHT >= 1,
    `MAX_POSTS_IN_FLIGHT: expected a whole number of at least 1, got ${raw.MAX_POSTS_IN_FLIGHT}`,
  );
  need(
    raw.METRICS_PORT <= 65535,
    `METRICS_PORT: expected a port from 0 to 65535 (0 picks a free one), got ${raw.METRICS_PORT}`,
  );
  need(
    raw.RECONNECT_MAX_SECONDS >= raw.RECONNECT_MIN_SECONDS,
    `RECONNECT_MAX_SECONDS: expected at least RECONNECT_MIN_SECONDS (${raw.RECONNECT_MIN_SECONDS}), got ${raw.RECONNECT_MAX_SECONDS}`,
  );
  need(
    raw.WEBSOCKET_MAX_CONNECTION_SECONDS >= 1,
    `WEBSOCKET_MAX_CONNECTION_SECONDS: expected at least 1 second, got ${raw.WEBSOCKET_MAX_CONNECTION_SECONDS}`,
  );
  if (!raw.LOCAL_SERVICES_ONLY) {
    need(
      raw.WEBSOCKET_URL !== null,
      'WEBSOCKET_URL: is required (the subscription URL, such as wss://host/path), unless LOCAL_SERVICES_ONLY=true',
    );
    need(
      raw.WEBSOCKET_URL === null || isUrl(raw.WEBSOCKET_URL, ['ws:', 'wss:']),
      `WEBSOCKET_URL: expected a ws:// or wss:// URL, got ${JSON.stringify(raw.WEBSOCKET_URL)}`,
    );
  }
  const id = raw.OKDATA_CLIENT_ID ?? '';
  const secret = raw.OKDATA_CLIENT_SECRET ?? '';
  need(
    (id === '') === (secret === ''),
    'OKDATA_CLIENT_ID and OKDATA_CLIENT_SECRET: expected both (bearer posting) or neither (webhook posting)',
  );
  return problems;
}

function toConfig(raw: Raw): Config {
  const ms = (s: number) => Math.round(s * 1000);
  const environment = raw.OKDATA_ENVIRONMENT as 'dev' | 'prod';
  const local = raw.LOCAL_SERVICES_ONLY;
  const stripSlash = (url: string) => url.replace(/\/+$/, '');
  return {
    websocketUrl: local ? LOCAL_WEBSOCKET_URL : (raw.WEBSOCKET_URL as string),
    webhookToken: raw.PROBE_WEBHOOK_TOKEN as string,
    datasetId: raw.PROBE_DATASET_ID as string,
    datasetVersion: raw.PROBE_DATASET_VERSION,
    postIntervalMs: ms(raw.POST_EVENT_INTERVAL_SECONDS),
    postRetries: raw.POST_EVENT_RETRIES,
    postTimeoutMs: ms(raw.POST_TIMEOUT_SECONDS),
    postRetryMaxDelayMs: ms(raw.POST_RETRY_MAX_DELAY_SECONDS),
    maxPostsInFlight: raw.MAX_POSTS_IN_FLIGHT,
    lostTimeoutMs: ms(raw.MARK_EVENT_LOST_TIMEOUT_SECONDS),
    purgeTimeoutMs: ms(raw.PURGE_EVENT_TIMEOUT_SECONDS),
    cleanIntervalMs: ms(raw.CLEAN_EVENTS_INTERVAL_SECONDS),
    missingGraceMs: ms(raw.MISSING_GRACE_SECONDS),
    clientId: raw.OKDATA_CLIENT_ID || undefined,
    clientSecret: raw.OKDATA_CLIENT_SECRET || undefined,
    environment,
    collectorUrl: stripSlash(
      raw.EVENT_COLLECTOR_URL ??
        (local ? LOCAL_COLLECTOR_URL : ENVIRONMENTS[environment].collector),
    ),
    keycloakUrl: stripSlash(
      raw.KEYCLOAK_SERVER_URL ?? (local ? LOCAL_KEYCLOAK_URL : ENVIRONMENTS[environment].keycloak),
    ),
    keycloakRealm: raw.KEYCLOAK_REALM,
    tokenTimeoutMs: ms(raw.TOKEN_TIMEOUT_SECONDS),
    listeners: raw.WEBSOCKET_LISTENERS,
    listenerStaggerMs: ms(raw.LISTENER_STAGGER_SECONDS),
    connectTimeoutMs: ms(raw.WEBSOCKET_CONNECT_TIMEOUT_SECONDS),
    pingIntervalMs: ms(raw.WEBSOCKET_PING_INTERVAL_SECONDS),
    maxConnectionMs: ms(raw.WEBSOCKET_MAX_CONNECTION_SECONDS),
    reconnectMinMs: ms(raw.RECONNECT_MIN_SECONDS),
    reconnectMaxMs: ms(raw.RECONNECT_MAX_SECONDS),
    latencyBucketsSeconds: raw.LATENCY_BUCKETS_SECONDS,
    metricsPort: raw.METRICS_PORT,
    metricsHost: raw.METRICS_HOST,
    runLocal: raw.RUN_LOCAL,
    localServicesOnly: local,
    logLevel:
      raw.LOG_LEVEL === 'auto' ? (raw.RUN_LOCAL ? 'debug' : 'info') : (raw.LOG_LEVEL as LogLevel),
  };
}
