import type { LogLevel } from '../logs/logger';
import { DNS_NAME_FORMAT, RESOLVER_FORMAT } from './dnsFormats';
import {
  buckets,
  choice,
  feedsOthers,
  flag,
  processWide,
  type Setting,
  seconds,
  text,
  whole,
} from './settingKinds';

/** The groups that are one value for the whole process, set only by variable (never per target). */
export const PROCESS_SETTINGS = {
  server: {
    port: processWide(
      whole(
        'METRICS_PORT',
        8000,
        'port of the metrics and status server (0: any free one)',
        [0, 65535],
        'a port',
      ),
    ),
    // A host name is at most 253 characters.
    host: processWide(
      text('METRICS_HOST', 'address the metrics server binds to', 253, {
        default: '0.0.0.0',
      }),
    ),
    // Each bucket is one more series in every scrape: 10,000 made a 514 KB scrape.
    latencyBucketsSeconds: processWide(
      buckets(
        'LATENCY_BUCKETS_SECONDS',
        [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
        'buckets of the latency histogram',
        50,
      ),
    ),
  },
  targets: {
    file: processWide(
      text(
        'PROBE_TARGETS_FILE',
        'a targets file (YAML or JSON), or a directory of them; unset, the one target these variables describe',
        4096,
        { kind: 'optional', default: '' },
      ),
    ),
    shards: processWide(
      whole(
        'PROBE_SHARDS',
        1,
        'processes sharing one targets file; each runs the targets it wins (rendezvous hashing)',
        [1, 1000],
      ),
    ),
    shardIndex: processWide(
      text(
        'PROBE_SHARD_INDEX',
        'which of the shards this process is (0-based); unset, the trailing -N of HOSTNAME (a StatefulSet pod), else 0',
        4,
        { kind: 'optional', default: '' },
      ),
    ),
  },
  peers: {
    // Every DNS name fits in 253 characters.
    srv: processWide(
      text(
        'PROBE_PEERS_SRV',
        'a DNS name whose SRV records list the live shards (a headless Service); set, ownership is rendezvous over their names',
        253,
        { kind: 'optional', default: '', format: DNS_NAME_FORMAT },
      ),
    ),
    dnsServer: processWide(
      text(
        'PROBE_DNS_SERVER',
        "IP address and port of the resolver to ask for PROBE_PEERS_SRV; unset, the system's",
        64,
        { kind: 'optional', default: '', format: RESOLVER_FORMAT },
      ),
    ),
    refreshMs: processWide(
      seconds('PROBE_PEERS_REFRESH_SECONDS', 5, 'how often the peers are read again', [0.5, 300]),
    ),
    replicas: processWide(
      whole('PROBE_TARGET_REPLICAS', 1, 'how many live shards probe each target', [1, 10]),
    ),
  },
  // How the targets are reloaded (see src/reload/reload.ts).
  reload: {
    // Off by default, as Prometheus's --web.enable-lifecycle: a reload costs a full load.
    endpointEnabled: processWide(
      flag(
        'RELOAD_ENDPOINT_ENABLED',
        'answer POST /-/reload (off: 403; SIGHUP and a change of the file reload either way)',
      ),
    ),
    // A path, never the token itself: the token stays out of the environment and the table.
    tokenFile: processWide(
      text(
        'RELOAD_TOKEN_FILE',
        'a file whose content (trimmed) is the token POST /-/reload must send as Authorization: Bearer; unset, none is asked',
        4096,
        { kind: 'optional', default: '' },
      ),
    ),
    timeoutMs: processWide(
      seconds(
        'RELOAD_TIMEOUT_SECONDS',
        10,
        'the longest a load of the targets file may take; past it the load is stopped, fails, and the running targets stay',
        [0.1, 600],
      ),
    ),
  },
  run: {
    // Kubernetes waits 30 s (its default grace) before it kills a pod: 20 s of drain leave the
    // rest for the last scrape and the exit.
    drainMs: processWide(
      seconds(
        'STOP_DRAIN_SECONDS',
        20,
        'how long a stop (and a changed, removed or moved target) listens for its events in flight before they end drained',
        [0, 3600],
      ),
    ),
    local: processWide(
      flag('RUN_LOCAL', 'debug logging, readable logs, and a table of events every 30 s'),
    ),
    localServicesOnly: feedsOthers({
      ...flag(
        'LOCAL_SERVICES_ONLY',
        'use the local stand-ins: collector :8081, token server :8082, hub :8765',
      ),
      scope: 'process',
    }),
    logLevel: processWide({
      ...choice(
        'LOG_LEVEL',
        ['debug', 'info', 'warn', 'error', 'auto'] as const,
        'auto',
        'debug, info, warn or error; auto is debug with RUN_LOCAL, else info',
      ),
      toValue: (level: LogLevel | 'auto', get) =>
        level !== 'auto' ? level : get('RUN_LOCAL') === true ? 'debug' : 'info',
    } as Setting<LogLevel>),
  },
} satisfies Record<string, Record<string, Setting<unknown>>>;
