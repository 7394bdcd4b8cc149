import * as http from 'node:http';
import * as https from 'node:https';
import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import axiosRetry, { exponentialDelay } from 'axios-retry';
import type { Config } from '../config/loadConfig';
import { type TokenSource, untilAborted } from './auth';
import { type AttemptHooks, answerOf, watchedTransport } from './postAttempt';

/** Collector answers are tiny JSON; anything larger is cut off as an error. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface CollectorClientOptions
  extends Pick<Config['posting'], 'collectorUrl' | 'retries' | 'timeoutMs' | 'retryMaxDelayMs'> {
  readonly tokens?: TokenSource;
  readonly onRetry?: (retry: number, error: AxiosError) => void;
  /** The keep-alive agent of the collector's origin, shared by every target posting there. */
  readonly agent?: http.Agent;
}

/** A keep-alive agent for `url`'s scheme. */
export const keepAliveAgent = (url: string): http.Agent =>
  new (url.startsWith('https:') ? https.Agent : http.Agent)({ keepAlive: true });

/**
 * The axios instance that posts to the collector, lean on its hot path: the body comes as a
 * string and the answer stays one (no transforms, no decompression: the body is never read),
 * the adapter is named, and sockets are kept alive between posts by an agent of our own, so a
 * post every 10 s does not open a connection (and a TLS session) each time. axios-retry retries
 * by `shouldRetry`; in bearer mode an interceptor puts a current token on every attempt.
 */
export function createCollectorClient(options: CollectorClientOptions): AxiosInstance {
  const secure = options.collectorUrl.startsWith('https:');
  const agent = options.agent ?? keepAliveAgent(options.collectorUrl);
  const client = axios.create({
    baseURL: options.collectorUrl,
    adapter: 'http',
    timeout: options.timeoutMs,
    maxContentLength: MAX_RESPONSE_BYTES,
    maxBodyLength: MAX_RESPONSE_BYTES,
    maxRedirects: 0,
    decompress: false,
    responseType: 'text',
    transformRequest: [],
    transformResponse: [],
    ...(secure ? { httpsAgent: agent } : { httpAgent: agent }),
    headers: { 'Content-Type': 'application/json' },
  });
  const { tokens } = options;
  if (tokens) {
    client.interceptors.request.use(async (config) => {
      // Waiting for a token is part of the post: its deadline ends the wait too.
      config.headers.Authorization = `Bearer ${await untilAborted(tokens.token(), config.signal)}`;
      return config;
    });
  }
  axiosRetry(client, {
    retries: options.retries,
    shouldResetTimeout: true,
    retryCondition: shouldRetry,
    retryDelay: (retry, error) =>
      Math.min(options.retryMaxDelayMs, exponentialDelay(retry, error, 200)),
    onRetry: (retry, error) => options.onRetry?.(retry, error),
  });
  return client;
}

/**
 * Retried: a failure before any byte of an answer came (refused, reset, DNS, a connect or
 * silence timeout), and a whole answer with status 429 or 5xx (500–599). Never anything else
 * the collector sent — another status, an answer cut short, stalled, too large or one Node
 * cannot parse: the collector may have taken the event, and a retry would make the probe
 * count duplicates of its own making.
 */
function shouldRetry(error: AxiosError): boolean {
  if (error.config?.signal?.aborted) return false; // shutdown or the post's deadline
  const received = answerOf(error.request)?.received;
  if (received === 'partial') return false;
  const status = error.response?.status;
  if (status !== undefined) return status === 429 || (status >= 500 && status <= 599);
  return received === 'none' && error.code !== AxiosError.ERR_BAD_RESPONSE;
}

/**
 * A transport for one post that says when its first attempt's request has been handed to the
 * socket ('finish': written to the OS): the event's send time, so the client's own work before
 * it is not counted as the pipeline's latency. Each attempt is watched (`postAttempt.ts`) for
 * its phases, its certificate and how much of an answer came. With a transport of our own
 * axios arms no connect timer, so this one does: a connect that hangs ends after `timeoutMs`,
 * as a timeout.
 */
export function wireTransport(
  secure: boolean,
  timeoutMs: number,
  onWire: () => void,
  hooks: AttemptHooks,
): AxiosRequestConfig['transport'] {
  let wired = false;
  const watched = watchedTransport(secure, hooks);
  return {
    request(requestOptions: http.RequestOptions, callback: (res: http.IncomingMessage) => void) {
      const request = watched.request(requestOptions, callback);
      request.once('finish', () => {
        if (wired) return;
        wired = true;
        onWire();
      });
      request.once('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(
          () =>
            request.destroy(Object.assign(new Error('connect timeout'), { code: 'ECONNABORTED' })),
          timeoutMs,
        );
        socket.once('connect', () => clearTimeout(timer));
        request.once('close', () => clearTimeout(timer));
      });
      return request;
    },
  };
}
