/**
 * Where the stand-ins listen, from the environment: every port a variable (0: any free one),
 * and loopback unless told otherwise. A demo on a laptop is no service for the network; the
 * compose file sets `LOCAL_BIND_HOST=0.0.0.0`, where the other containers call them.
 */
export interface StandInSettings {
  readonly host: string;
  readonly collectorPort: number;
  readonly hubPort: number;
  readonly tokenPort: number;
}

type Port = 'collectorPort' | 'hubPort' | 'tokenPort';

/** Each port's variable, its default, and the older name the stand-ins still read. */
export const PORT_VARIABLES: Record<Port, { name: string; fallback: number; older?: string }> = {
  collectorPort: { name: 'LOCAL_COLLECTOR_PORT', fallback: 8081, older: 'COLLECTOR_PORT' },
  hubPort: { name: 'LOCAL_HUB_PORT', fallback: 8765, older: 'HUB_PORT' },
  tokenPort: { name: 'LOCAL_TOKEN_PORT', fallback: 8082 },
};

export const HOST_VARIABLE = 'LOCAL_BIND_HOST';
export const DEFAULT_HOST = '127.0.0.1';

/** A value for a message: quoted, its control characters escaped, cut short. */
const shown = (value: string) =>
  JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/** The settings, or a one-line problem naming the variable (thrown as an Error). */
export function standInSettings(env: NodeJS.ProcessEnv): StandInSettings {
  const port = (which: Port): number => {
    const { name, fallback, older } = PORT_VARIABLES[which];
    const given = env[name] ?? (older === undefined ? undefined : env[older]);
    if (given === undefined || given.trim() === '') return fallback;
    const number = Number(given);
    if (!/^\s*\d+\s*$/.test(given) || number > 65535) {
      const spelt = env[name] === undefined ? `${older} (the older name of ${name})` : name;
      throw new Error(
        `${spelt}: expected a port, 0 to 65535 (0: any free one), got ${shown(given)}`,
      );
    }
    return number;
  };
  const host = env[HOST_VARIABLE]?.trim() || DEFAULT_HOST;
  if (!/^[A-Za-z0-9.:[\]%_-]+$/.test(host)) {
    throw new Error(`${HOST_VARIABLE}: expected an address or host name, got ${shown(host)}`);
  }
  return {
    host: host.replace(/^\[(.*)\]$/, '$1'),
    collectorPort: port('collectorPort'),
    hubPort: port('hubPort'),
    tokenPort: port('tokenPort'),
  };
}

/**
 * The host a client on this machine calls a stand-in at: loopback for a wildcard address
 * (which is not one to connect to), brackets around an IPv6 address.
 */
export function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
