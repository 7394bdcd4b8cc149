/**
 * Everything a person or a scraper can read — log lines, the status page and its JSON, the
 * event table, configuration errors — passes through one redactor.
 */
/** Masks every given secret, and the value of any token-like query parameter. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const known = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.replace(
      /([?&](?:token|webhook_token|access_token|client_secret)=)[^&\s"']*/gi,
      '$1***',
    );
    out = out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1***');
    out = out.replace(/(\/\/)[^/\s@"']+@/g, '$1***@'); // user:password@ in a URL
    for (const secret of known) out = out.split(secret).join('***');
    return out;
  };
}
