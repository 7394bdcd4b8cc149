import { isAxiosError } from 'axios';

/**
 * A short reason for a failed axios request — the status, "timeout", "answer too large" or the
 * network error code — that never carries the URL (it may hold the webhook token) or a header.
 * Undefined for anything that is not an axios error.
 */
export function describeHttpError(error: unknown): string | undefined {
  if (!isAxiosError(error)) return undefined;
  if (error.response) return `HTTP ${error.response.status}`;
  if (error.code === 'ERR_CANCELED' || error.code === 'ECONNABORTED') return 'timeout';
  if (error.code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(error.message)) {
    return 'answer too large';
  }
  return error.code ?? 'network error';
}
