import { isAxiosError } from 'axios';
import { answerOf } from './postAttempt';

/**
 * A short reason for a failed axios request that never carries the URL (it may hold the
 * webhook token) or a header: the status of a whole answer, an answer cut short (the status
 * said, if it came), one Node could not parse, "answer too large", "timeout" or the network
 * error code. Undefined for anything that is not an axios error.
 */
export function describeHttpError(error: unknown): string | undefined {
  if (!isAxiosError(error)) return undefined;
  if (error.code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(error.message)) {
    return 'answer too large';
  }
  if (error.code?.startsWith('HPE_')) return `malformed answer (${error.code})`;
  // Watched attempts (the collector's) know whether the answer came whole.
  const answer = answerOf(error.request);
  const partial = answer?.received === 'partial';
  const status = error.response?.status ?? answer?.status;
  if (status !== undefined) return `HTTP ${status}${partial ? ' cut short' : ''}`;
  if (partial) return 'answer cut short';
  if (error.code === 'ERR_CANCELED' || error.code === 'ECONNABORTED') return 'timeout';
  return error.code ?? 'network error';
}
