import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readBody } from './body';
import { listen } from './listen';

export interface TokenServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly expiresInSeconds?: number;
  /** Answer this status instead of a token (for fault tests); null answers normally. */
  failWith?: number | null;
}

export interface TokenServer {
  readonly port: number;
  /** Tokens issued so far, in order. */
  readonly issued: string[];
  /** A token is valid until its expiry. */
  isValid(token: string): boolean;
  /** Forget every token at once (as a key rotation would). */
  revokeAll(): void;
  setFailure(status: number | null): void;
  close(): Promise<void>;
}

/**
 * A stand-in for Keycloak's client-credentials grant:
 * `POST /realms/{realm}/protocol/openid-connect/token` with a form body, answering
 * `{access_token, expires_in, token_type}` or 401 for wrong credentials.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const expiresIn = options.expiresInSeconds ?? 300;
  const valid = new Map<string, number>();
  const issued: string[] = [];
  let failWith = options.failWith ?? null;

  const server = createServer((request, response) => {
    const send = (status: number, body: unknown) =>
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (
      request.method !== 'POST' ||
      !/^\/realms\/[^/]+\/protocol\/openid-connect\/token$/.test(request.url ?? '')
    ) {
      return send(404, { error: 'not_found' });
    }
    readBody(request, 64 * 1024).then(
      (body) => {
        if (failWith !== null) return send(failWith, { error: 'server_error' });
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'client_credentials')
          return send(400, { error: 'unsupported_grant_type' });
        if (
          form.get('client_id') !== options.clientId ||
          form.get('client_secret') !== options.clientSecret
        ) {
          return send(401, { error: 'invalid_client' });
        }
        const token = randomBytes(24).toString('base64url');
        valid.set(token, Date.now() + expiresIn * 1000);
        issued.push(token);
        send(200, { access_token: token, expires_in: expiresIn, token_type: 'Bearer' });
      },
      () => send(413, { error: 'too_large' }),
    );
  });
  const listening = await listen(server, options.port, options.host);
  return {
    port: listening.port,
    issued,
    isValid: (token) => (valid.get(token) ?? 0) > Date.now(),
    revokeAll: () => valid.clear(),
    setFailure(status) {
      failWith = status;
    },
    close: () => listening.close(),
  };
}
