import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Reply, Route } from '../web/server';
import type { Reload } from './reload';

const text = (status: number, body: string, headers?: Record<string, string>): Reply => ({
  status,
  type: 'text/plain; charset=utf-8',
  body,
  headers,
});

/** The content types a page may send cross-site without asking first (no CORS preflight). */
const SIMPLE_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * Whether a browser may have sent this for a page of another site. A cross-site request a page
 * can make without a preflight (which we never answer, so nothing else gets through) is a form
 * post or a "simple" fetch: browsers send `Origin` with every cross-origin POST and
 * `Sec-Fetch-Site` with every request, and a form's body has one of the simple content types.
 * So any of the three refuses it, while `curl -X POST` (none of them) goes through; a
 * same-origin page has no business reloading either.
 */
export function fromBrowser(request: IncomingMessage): boolean {
  const { origin } = request.headers;
  const site = request.headers['sec-fetch-site'];
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return (
    origin !== undefined || (site !== undefined && site !== 'none') || SIMPLE_TYPES.includes(type)
  );
}

/** Digests compared in constant time: neither the token nor its length leaks by timing. */
const digest = (value: string) => createHash('sha256').update(value).digest();
const sameToken = (sent: string, token: string) => timingSafeEqual(digest(sent), digest(token));

/**
 * `POST /-/reload`: off unless `enabled` (403, saying how to turn it on); refused when a browser
 * may have sent it (403); with a `token`, refused without `Authorization: Bearer <token>` (401,
 * echoing nothing of what was sent). Else a reload: 200 with what it did, 400 with the file's
 * problems, 503 when the load could not finish.
 */
export function reloadEndpoint(
  settings: { enabled: boolean; token?: string },
  reload: Reload,
): Route {
  return async (request) => {
    if (!settings.enabled) {
      return text(
        403,
        'the reload endpoint is off: set RELOAD_ENDPOINT_ENABLED=true to use it (SIGHUP reloads either way)\n',
      );
    }
    if (fromBrowser(request)) {
      return text(
        403,
        'refused: a reload is not taken from a browser (Origin, Sec-Fetch-Site or a form content type); use curl -X POST\n',
      );
    }
    if (settings.token !== undefined) {
      const sent = /^Bearer +(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!sameToken(sent, settings.token)) {
        return text(
          401,
          'unauthorized: send Authorization: Bearer and the token of RELOAD_TOKEN_FILE\n',
          {
            'WWW-Authenticate': 'Bearer realm="reload"',
          },
        );
      }
    }
    const outcome = await reload('POST /-/reload');
    if (outcome.ok) {
      const { added, removed, changed } = outcome;
      return text(200, `reloaded: ${added} added, ${removed} removed, ${changed} changed\n`);
    }
    return text(outcome.failed ? 503 : 400, `${outcome.problems.join('\n')}\n`);
  };
}
