import { isIP } from 'node:net';

/**
 * What a DNS name may be, for the peers' SRV name (ours) and for every host an answer names
 * (anyone's, so hostile until checked): labels of letters, digits, `-` and `_` (SRV's
 * `_metrics._tcp`), 1–63 characters each, 253 in all (RFC 1035), an optional final dot.
 */
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
export const DNS_NAME_CHARS = 253;

export function isDnsName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  return name.length > 0 && name.length <= DNS_NAME_CHARS && name.split('.').every(isLabel);
}

export const isLabel = (text: string): boolean => LABEL.test(text);

/**
 * A peer's name: the first label of a host (`probe-1.probe.ns.svc.cluster.local` → `probe-1`),
 * lower case as DNS compares; undefined when the host is not a DNS name, or its first label is
 * not one a pod could have (no `_`: that is a service label, never a host's).
 */
export function peerNameOf(host: string): string | undefined {
  if (!isDnsName(host)) return undefined;
  const first = host.split('.')[0].toLowerCase();
  return first.includes('_') ? undefined : first;
}

/**
 * A resolver's address as `Resolver.setServers` takes it: an IP address (it takes no host
 * name), with an optional port — `10.96.0.10`, `127.0.0.1:5353`, `[::1]:5353`. Undefined when
 * it is not one.
 */
export function resolverAddress(text: string): string | undefined {
  if (isIP(text) !== 0) return text; // 10.96.0.10, ::1: port 53
  const [, host, port] =
    /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:]+):(\d{1,5})$/.exec(text) ?? [];
  if (host === undefined || isIP(host) === 0) return undefined;
  return Number(port) >= 1 && Number(port) <= 65535 ? text : undefined;
}
