/**
 * Everything a person or a scraper can read — log lines, the status page and its JSON, the
 * event table, configuration errors — passes through one redactor.
 */
/**
 * Masks every given secret in every form a far side or our own encoders give it — as is,
 * percent-encoded (`encodeURIComponent`, `encodeURI`, either case of hex), form-encoded (`+`
 * for a space), JSON-escaped, or escaped for a terminal (`\x1b`), in any mix — and the value
 * of any token-like query parameter, bearer tokens, and URL userinfo.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  // Secrets shorter than four characters are not masked word by word: they would mangle text.
  const known = [...new Set(secrets)].filter((s) => s.length >= 4);
  // Longest first, so a secret that holds another is masked whole.
  known.sort((a, b) => b.length - a.length);
  const patterns = known.map((s) => (s.length <= MAX_PATTERN_CHARS ? inAnyForm(s) : inFewForms(s)));
  const anyKnown = known.length > 0 ? new RegExp(patterns.join('|'), 'g') : undefined;
  return (text) => {
    let out = anyKnown ? text.replace(anyKnown, '***') : text;
    out = out.replace(
      /([?&](?:token|webhook_token|access_token|client_secret)=)[^&\s"']*/gi,
      '$1***',
    );
    out = out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1***');
    // user:password@ in a URL; a JSON-escaped quote (\") does not end it.
    out = out.replace(/(\/\/)(?:[^/?#\s@\\]|\\.)+@/g, '$1***@');
    return out;
  };
}

/**
 * Past this a secret is matched in its whole forms only: the configuration refuses a secret
 * that long, but its error is masked with the secret as given, and a pattern per character of
 * 20,000 characters is more than a regular expression may hold.
 */
const MAX_PATTERN_CHARS = 4096;

const inFewForms = (secret: string): string =>
  [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ]
    .map(escapeRegExp)
    .join('|');

/** A pattern that matches `secret` with each character in any of the forms it may take. */
function inAnyForm(secret: string): string {
  return [...secret].map((c) => `(?:${formsOf(c).join('|')})`).join('');
}

function formsOf(c: string): string[] {
  const forms = [escapeRegExp(c)];
  const bytes = [...Buffer.from(c, 'utf8')];
  forms.push(bytes.map((b) => `%${hex(b, 2)}`).join(''));
  if (c === ' ') forms.push('\\+');
  const json = JSON.stringify(c).slice(1, -1);
  if (json !== c) forms.push(escapeRegExp(json));
  // Any character may be written \uXXXX in JSON (a surrogate pair for one past U+FFFF).
  forms.push([...Array(c.length).keys()].map((i) => `\\\\u${hex(c.charCodeAt(i), 4)}`).join(''));
  if (c.charCodeAt(0) < 0x100) forms.push(`\\\\x${hex(c.charCodeAt(0), 2)}`);
  return forms;
}

/** A number in hex digits of either case. */
const hex = (value: number, digits: number): string =>
  [...value.toString(16).padStart(digits, '0')]
    .map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d))
    .join('');

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
