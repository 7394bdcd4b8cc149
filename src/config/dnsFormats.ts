import { type FormatName, registered } from './configFormats';
import { DNS_NAME_CHARS, isDnsName, resolverAddress } from './dnsNames';
import { oversized } from './oversized';

/**
 * The formats of the peer discovery's settings. Unset (empty) is off; anything else must be
 * what the resolver is given as it is, so a typo is refused at the start, not found as an
 * empty peer list later.
 */
const optional = (
  name: string,
  maxChars: number,
  ok: (text: string) => boolean,
  expected: string,
): FormatName =>
  registered(name, {
    coerce: (text: string) => (text.length > maxChars ? oversized(text) : text.trim()),
    validate(x: unknown) {
      if (x === null || x === '') return;
      if (typeof x !== 'string' || !ok(x)) throw new Error(expected);
    },
  });

export const DNS_NAME_FORMAT = optional(
  'dns-name-or-empty',
  DNS_NAME_CHARS,
  isDnsName,
  `expected a DNS name of at most ${DNS_NAME_CHARS} characters, labels of letters, digits, - and _, such as _metrics._tcp.probe.monitoring.svc.cluster.local`,
);

export const RESOLVER_FORMAT = optional(
  'resolver-or-empty',
  64,
  (text) => resolverAddress(text) !== undefined,
  'expected an IP address with an optional port, such as 10.96.0.10, 127.0.0.1:5353 or [::1]:5353',
);
