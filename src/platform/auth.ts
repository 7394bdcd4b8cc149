import axios, { type GenericAbortSignal } from 'axios';
import { backoffDelay } from '../../streams/backoff';
import type { Config } from '../config/loadConfig';
import { describeHttpError } from './httpError';
import { pathSegment } from './pathSegment';
import { watchedTransport } from './postAttempt';

/** Hands out a current access token; `invalidate` forces the next call to fetch a new one. */
export interface TokenSource {
  token(): Promise<string>;
  invalidate(): void;
}

export interface ClientCredentialsOptions
  extends Pick<
    Config['auth'],
    'keycloakUrl' | 'realm' | 'clientId' | 'clientSecret' | 'tokenTimeoutMs'
  > {
  readonly now?: () => number;
  /** Told of every token request, for metrics and logs; never given the token. */
  readonly onRequest?: (result: 'ok' | 'error', detail: string) => void;
  /** The earliest notAfter (unix seconds) of the token server's chain, per TLS connection. */
  readonly onCertificate?: (notAfterSeconds: number) => void;
}

export class TokenError extends Error {
  override readonly name = 'TokenError';
}

/** Renew when this share of the token's life is left, so no post waits on a renewal. */
const RENEW_AT_REMAINING = 0.2;
const MAX_TOKEN_ANSWER_BYTES = 256 * 1024;
const BACKOFF = { initialMs: 1_000, maxMs: 60_000 };

/**
 * OAuth2 client-credentials grant against Keycloak, cached. A token is renewed in the background
 * once 80 % of its life has passed, while posts keep using the current one; only an expired
 * or invalidated token makes a post wait. Concurrent callers share one request. After a
 * failed request the next waits a jittered, growing backoff; in between, callers get the
 * cached token if it is still valid, or a TokenError at once.
 */
export function clientCredentials(options: ClientCredentialsOptions): TokenSource {
  const now = options.now ?? (() => performance.now());
  const transport = watchedTransport(options.keycloakUrl.startsWith('https:'), {
    now,
    onCertificate: options.onCertificate,
  });
  const url = `${options.keycloakUrl}/realms/${pathSegment(options.realm)}/protocol/openid-connect/token`;
  let cached: { token: string; renewAt: number; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let failures = 0;
  let notBefore = 0;

  const fetchToken = (): Promise<string> => {
    if (pending) return pending;
    if (now() < notBefore) {
      return Promise.reject(new TokenError('token server failing, waiting to retry'));
    }
    pending = request()
      .then((answer) => {
        const issuedAt = now();
        const lifeMs = answer.expiresIn * 1000;
        cached = {
          token: answer.token,
          renewAt: issuedAt + lifeMs * (1 - RENEW_AT_REMAINING),
          expiresAt: issuedAt + lifeMs,
        };
        failures = 0;
        options.onRequest?.('ok', `expires in ${answer.expiresIn}s`);
        return answer.token;
      })
      .catch((error: unknown) => {
        notBefore = now() + backoffDelay(failures, BACKOFF);
        failures += 1;
        const detail = describeTokenError(error);
        options.onRequest?.('error', detail);
        throw new TokenError(`token request failed: ${detail}`);
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  const request = async (): Promise<{ token: string; expiresIn: number }> => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
    });
    const response = await axios.post(url, form.toString(), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      timeout: options.tokenTimeoutMs,
      signal: AbortSignal.timeout(options.tokenTimeoutMs),
      maxContentLength: MAX_TOKEN_ANSWER_BYTES,
      maxRedirects: 0,
      responseType: 'json',
      transport,
    });
    const body = response.data as { access_token?: unknown; expires_in?: unknown } | null;
    const token = body?.access_token;
    const expiresIn = Number(body?.expires_in);
    if (typeof token !== 'string' || token === '')
      throw new TokenError('answer has no access_token');
    if (!Number.isFinite(expiresIn) || expiresIn <= 0)
      throw new TokenError('answer has no valid expires_in');
    return { token, expiresIn };
  };

  return {
    async token() {
      const at = now();
      if (cached && at < cached.expiresAt) {
        if (at >= cached.renewAt) fetchToken().catch(() => undefined); // renew in the background
        return cached.token;
      }
      return fetchToken();
    },
    invalidate() {
      cached = undefined;
    },
  };
}

function describeTokenError(error: unknown): string {
  if (error instanceof TokenError) return error.message;
  return describeHttpError(error) ?? 'unexpected error';
}

/**
 * The token, unless `signal` aborts first (the post's deadline): then a TokenError at once,
 * whatever the token server is doing, so no post outlives its deadline waiting for a token.
 */
export function untilAborted<T>(promise: Promise<T>, signal?: GenericAbortSignal): Promise<T> {
  if (!signal?.addEventListener) return promise;
  const unavailable = () => new TokenError('token unavailable');
  if (signal.aborted) return Promise.reject(unavailable());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(unavailable());
    signal.addEventListener?.('abort', abort);
    promise.then(resolve, reject).finally(() => signal.removeEventListener?.('abort', abort));
  });
}
