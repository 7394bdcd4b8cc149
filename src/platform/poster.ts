import type { Agent } from 'node:http';
import {
  type AxiosInstance,
  type AxiosRequestConfig,
  type AxiosResponse,
  isAxiosError,
} from 'axios';
import { Observable } from 'rxjs';
import { PostFailure, type PostFn } from '../../streams/posting';
import type { PostProgress } from '../../streams/postMessages';
import type { Config } from '../config/loadConfig';
import { postDeadlineMs } from '../config/postDeadline';
import { TokenError, type TokenSource } from './auth';
import { isCollectorSuccess, NOT_THE_COLLECTORS_ANSWER } from './collectorAnswer';
import { createCollectorClient, wireTransport } from './collectorClient';
import { describeHttpError } from './httpError';
import { pathSegment } from './pathSegment';
import type { PhaseSeconds } from './postAttempt';

export interface PosterOptions
  extends Pick<Config['posting'], 'collectorUrl' | 'retries' | 'timeoutMs' | 'retryMaxDelayMs'> {
  readonly dataset: Config['dataset'];
  readonly appId: string;
  /** Bearer mode when given, webhook mode (token in the query) otherwise. */
  readonly tokens?: TokenSource;
  readonly onRetry?: (retry: number, reason: string) => void;
  readonly wallClock?: () => Date;
  /** The probe's clock (monotonic), for the moment a post goes on the wire. */
  readonly now?: () => number;
  /** The phases of every attempt, as it closes (`postAttempt.ts`). */
  readonly onPhases?: (phases: PhaseSeconds) => void;
  /** The earliest notAfter (unix seconds) of the collector's chain, per TLS connection. */
  readonly onCertificate?: (notAfterSeconds: number) => void;
  /** The keep-alive agent of the collector's origin (one per origin in the process). */
  readonly agent?: Agent;
}

/**
 * The poster adapter: one call posts `{app_id, seqno, time_sent}` (see `collectorClient.ts` for
 * the retries and the lean client), says when the request went on the wire, and reports the
 * answer. Once more on a 401 in bearer mode, after renewing the token. Each attempt times out
 * on its own, and the whole post — waiting for a token included — has a deadline.
 */
export function createPoster(options: PosterOptions): PostFn {
  const client = createCollectorClient({
    ...options,
    onRetry: (retry, error) => options.onRetry?.(retry, describePostError(error)),
  });
  const { tokens } = options;
  const { id, version, webhookToken } = options.dataset;
  const path = tokens
    ? `/event/${pathSegment(id)}/${pathSegment(version)}`
    : `/webhook/event/${pathSegment(id)}/${pathSegment(version)}?token=${encodeURIComponent(webhookToken)}`;
  const secure = options.collectorUrl.startsWith('https:');

  // axios's `timeout` fires when an attempt's connection stays silent; this deadline bounds
  // the whole post (every attempt and wait), so an answer that trickles cannot hold it open.
  const deadlineMs = postDeadlineMs(options);
  const wallClock = options.wallClock ?? (() => new Date());
  const now = options.now ?? (() => performance.now());
  const hooks = { now, onPhases: options.onPhases, onCertificate: options.onCertificate };
  return (seqno) =>
    new Observable<PostProgress>((subscriber) => {
      const body = JSON.stringify({
        app_id: options.appId,
        seqno,
        time_sent: wallClock().toISOString(),
      });
      const controller = new AbortController();
      let done = false;
      const fail = (error: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        subscriber.error(error);
      };
      // Aborting ends the attempt or the wait for a token with its own error at once; should
      // anything still hold on, the post fails on the next turn regardless.
      const deadline = setTimeout(() => {
        controller.abort();
        setImmediate(() => fail(new PostFailure('timeout', 0)));
      }, deadlineMs);
      const transport = wireTransport(
        secure,
        options.timeoutMs,
        () => {
          if (!done) subscriber.next({ kind: 'on-the-wire', at: now() });
        },
        hooks,
      );
      send(client, path, tokens, body, { signal: controller.signal, transport }).then((retries) => {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        subscriber.next({ kind: 'answered', retries });
        subscriber.complete();
      }, fail);
      // Unsubscribed while running (shutdown): abort, and no retry follows.
      return () => {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        controller.abort();
      };
    });
}

/** Posts until answered; resolves with the retries it took. */
async function send(
  client: AxiosInstance,
  path: string,
  tokens: TokenSource | undefined,
  body: string,
  config: AxiosRequestConfig,
): Promise<number> {
  let renewed = 0;
  for (;;) {
    let response: AxiosResponse;
    try {
      response = await client.post(path, body, config);
    } catch (error) {
      const retries =
        renewed + (isAxiosError(error) ? (error.config?.['axios-retry']?.retryCount ?? 0) : 0);
      // A 401 in bearer mode: the token may have been revoked or have expired early. Renew it
      // and try once more, whatever POST_EVENT_RETRIES says.
      if (tokens && renewed === 0 && isAxiosError(error) && error.response?.status === 401) {
        tokens.invalidate();
        renewed = 1;
        continue;
      }
      throw new PostFailure(describePostError(error), retries);
    }
    const retries = renewed + (response.config['axios-retry']?.retryCount ?? 0);
    if (!isCollectorSuccess(response.status, response.data)) {
      throw new PostFailure(NOT_THE_COLLECTORS_ANSWER, retries);
    }
    return retries;
  }
}

/** Why a post failed, in words safe to log and count. */
export function describePostError(error: unknown): string {
  if (error instanceof TokenError) return error.message;
  return describeHttpError(error) ?? 'post failed';
}
