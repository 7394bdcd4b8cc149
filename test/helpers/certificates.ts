import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  readonly caFile: string;
  readonly ca: string;
  readonly key: string;
  /** The leaf, then the CA: the chain a server presents. */
  readonly chain: string;
  /** notAfter of each, unix seconds, as openssl prints it. */
  readonly caNotAfter: number;
  readonly leafNotAfter: number;
  remove(): void;
}

/**
 * A CA and a leaf for `localhost` and 127.0.0.1 it signed, made with the openssl CLI in a temp
 * directory. The CA expires first (`caDays` < `leafDays`), so a reader that looks only at the
 * leaf gets the chain's expiry wrong.
 */
export function makeCertificates(openssl: string, caDays = 30, leafDays = 400): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'probe-tls-'));
  const at = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync(openssl, args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-days',
    String(caDays),
    '-subj',
    '/CN=probe-test-ca',
  );
  run('req', ...ec, '-keyout', at('leaf.key'), '-out', at('leaf.csr'), '-subj', '/CN=localhost');
  writeFileSync(
    at('leaf.ext'),
    [
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature',
      'extendedKeyUsage=serverAuth',
    ].join('\n'),
  );
  run(
    'x509',
    '-req',
    '-in',
    at('leaf.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-set_serial',
    '2',
    '-days',
    String(leafDays),
    '-extfile',
    at('leaf.ext'),
    '-out',
    at('leaf.pem'),
  );
  const notAfter = (file: string) => {
    const out = run('x509', '-in', file, '-noout', '-enddate', '-dateopt', 'iso_8601').toString();
    const match = /notAfter=(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)Z/.exec(out);
    if (!match) throw new Error(`no notAfter in ${out}`);
    return Date.parse(`${match[1]}T${match[2]}Z`) / 1000;
  };
  const ca = readFileSync(at('ca.pem'), 'utf8');
  return {
    caFile: at('ca.pem'),
    ca,
    key: readFileSync(at('leaf.key'), 'utf8'),
    chain: readFileSync(at('leaf.pem'), 'utf8') + ca,
    caNotAfter: notAfter(at('ca.pem')),
    leafNotAfter: notAfter(at('leaf.pem')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
