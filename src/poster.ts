import axios, { AxiosError, type AxiosInstance, isAxiosError } from 'axios';
import axiosRetry, { exponentialDelay } from 'axios-retry';
import { Observable } from 'rxjs';
import type { PostReport } from '../streams/messages';
import type { PostFn } from '../streams/posting';
import { TokenError, type TokenSource } from './auth';
import type { Config } from './config';
import { describeHttpError } from './httpError';
import { pathSegment } from './pathSegment';

export interface PosterOptions
  extends Pick<Config['posting'], 'collectorUrl' | 'retries' | 'timeoutMs' | 'retryMaxDelayMs'> {
  readonly dataset: Config['dataset'];
  readonly appId: string;
  /** Bearer mode when given, webhook mode (token in the query) otherwise. */
  readonly tokens?: TokenSource;
  readonly onRetry?: (retry: number, reason: string) => void;
  readonly wallClock?: () => Date;
}

/** Collector answers are tiny JSON; anything larger is cut off as an error. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The poster adapter: one call posts `{app_id, seqno, time_sent}` with axios, retrying with
 * axios-retry on network errors, timeouts, 429 and 5xx (exponential, jittered, honouring
 * Retry-After up to a cap), and once more on a 401 in bearer mode after renewing the token. Each
 * attempt times out on its own, and the whole post has a deadline.
 */
export function createPoster(options: PosterOptions): PostFn {
  const http = axios.create({
    baseURL: options.collectorUrl,
    timeout: options.timeoutMs,
    maxContentLength: MAX_RESPONSE_BYTES,
    maxBodyLength: MAX_RESPONSE_BYTES,
    maxRedirects: 0,
    headers: { 'Content-Type': 'application/json' },
  });
  const { tokens } = options;
  const { id, version } = options.dataset;
  const path = `${tokens ? '' : '/webhook'}/event/${pathSegment(id)}/${pathSegment(version)}`;

  if (tokens) {
    // Runs before every attempt, retries included, so each carries a current token.
    http.interceptors.request.use(async (config) => {
      config.headers.Authorization = `Bearer ${await tokens.token()}`;
      return config;
    });
  }
  axiosRetry(http, {
    retries: options.retries,
    shouldResetTimeout: true,
    retryCondition: shouldRetry,
    retryDelay: (retry, error) =>
      Math.min(options.retryMaxDelayMs, exponentialDelay(retry, error, 200)),
    onRetry: (retry, error) => options.onRetry?.(retry, describePostError(error)),
  });

  // axios's `timeout` fires when an attempt's connection stays silent; this deadline bounds
  // the whole post (every attempt and wait), so an answer that trickles cannot hold it open.
  const deadlineMs =
    (options.retries + 1) * options.timeoutMs + options.retries * options.retryMaxDelayMs + 1_000;
  const wallClock = options.wallClock ?? (() => new Date());
  return (seqno) =>
    new Observable<PostReport>((subscriber) => {
      const body = { app_id: options.appId, seqno, time_sent: wallClock().toISOString() };
      const controller = new AbortController();
      let done = false;
      const deadline = setTimeout(() => controller.abort(), deadlineMs);
      send(http, path, options, body, controller.signal).then(
        (report) => {
          done = true;
          clearTimeout(deadline);
          subscriber.next(report);
          subscriber.complete();
        },
        (error: unknown) => {
          done = true;
          clearTimeout(deadline);
          subscriber.error(error);
        },
      );
      // Unsubscribed while running (shutdown): abort, and no retry follows.
      return () => {
        if (done) return;
        clearTimeout(deadline);
        controller.abort();
      };
    });
}

async function send(
  http: AxiosInstance,
  path: string,
  options: PosterOptions,
  body: { app_id: string; seqno: number; time_sent: string },
  signal: AbortSignal,
): Promise<PostReport> {
  const params = options.tokens ? undefined : { token: options.dataset.webhookToken };
  let renewed = 0;
  for (;;) {
    try {
      const response = await http.post(path, body, { params, signal });
      return { retries: renewed + (response.config['axios-retry']?.retryCount ?? 0) };
    } catch (error) {
      const retries =
        renewed + (isAxiosError(error) ? (error.config?.['axios-retry']?.retryCount ?? 0) : 0);
      // A 401 in bearer mode: the token may have been revoked or have expired early. Renew it
      // and try once more, whatever POST_EVENT_RETRIES says.
      if (
        options.tokens &&
        renewed === 0 &&
        isAxiosError(error) &&
        error.response?.status === 401
      ) {
        options.tokens.invalidate();
        renewed = 1;
        continue;
      }
      throw Object.assign(new Error(describePostError(error)), { retries });
    }
  }
}

/**
 * Retried: a network error (reset, DNS, the attempt's timeout), 429 and 5xx. Never an answer
 * the collector gave with another status — an answer cut off or too large included: the
 * collector may have taken the event, and a retry would make the probe count duplicates of
 * its own making.
 */
function shouldRetry(error: AxiosError): boolean {
  if (error.config?.signal?.aborted) return false; // shutdown or the post's deadline
  const status = error.response?.status;
  if (status !== undefined) return status === 429 || status >= 500;
  return error.code !== AxiosError.ERR_BAD_RESPONSE;
}

/** Why a post failed, in words safe to log and count. */
export function describePostError(error: unknown): string {
  if (error instanceof TokenError) return error.message;
  return describeHttpError(error) ?? 'post failed';
}
