import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

/** The endpoints whose certificates the probe reports. */
export type TlsEndpoint = 'collector' | 'subscription' | 'token';

/** Told the earliest notAfter (unix seconds) of the chain an endpoint presented. */
export type CertificateReport = (endpoint: TlsEndpoint, notAfterSeconds: number) => void;

/**
 * The earliest notAfter (unix seconds) of the certificate chain a TLS socket was given: the
 * leaf and every issuer up to the root, which is its own issuer (the walk stops where a
 * certificate repeats). Any of them expiring breaks the connection, the CA as much as the
 * leaf. Undefined for a socket with no peer certificate or dates that do not parse.
 */
export function earliestNotAfter(socket: TLSSocket): number | undefined {
  let certificate: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  let earliest: number | undefined;
  while (certificate?.raw && !seen.has(certificate.fingerprint256)) {
    seen.add(certificate.fingerprint256);
    const notAfter = Date.parse(certificate.valid_to) / 1000;
    if (Number.isFinite(notAfter) && (earliest === undefined || notAfter < earliest)) {
      earliest = notAfter;
    }
    certificate = certificate.issuerCertificate;
  }
  return earliest;
}
