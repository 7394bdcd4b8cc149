import { DOT_SEGMENT } from '../config/configFormats';

/**
 * One segment of a URL path, encoded. `.` and `..` are refused (the configuration refuses them
 * first): a URL resolves them away, encoded (`%2e`) or not, and the request would go to
 * another path — with the client secret, in the token request's case.
 */
export function pathSegment(value: string): string {
  if (value === '' || DOT_SEGMENT.test(value)) {
    throw new Error(`refusing ${JSON.stringify(value)} as a URL path segment`);
  }
  return encodeURIComponent(value);
}
