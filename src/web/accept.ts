/** One media range of an `Accept` header, with its weight. */
export interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  /** 0 to 1; 0 means "not acceptable". */
  readonly q: number;
}

// RFC 9110 grammar pieces. Each is a sticky regex with no nested repetition, so a scan is linear
// in the header's length however hostile the header is.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const OWS = /[ \t]*/y;
const RANGE = new RegExp(`(${TOKEN})/(${TOKEN})`, 'y');
const PARAM = new RegExp(`;[ \\t]*(${TOKEN})=(?:(${TOKEN})|"((?:[^"\\\\]|\\\\.)*)")`, 'y');
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The media ranges of an `Accept` header, or undefined when it does not follow the grammar
 * (a bad range, a `*` type with a concrete subtype, a q-value out of range, junk between
 * elements). Empty list elements are allowed, as RFC 9110 says a recipient must.
 */
export function parseAccept(header: string): MediaRange[] | undefined {
  const ranges: MediaRange[] = [];
  let at = 0;
  const skip = (pattern: RegExp) => {
    pattern.lastIndex = at;
    const match = pattern.exec(header);
    if (match) at = pattern.lastIndex;
    return match;
  };
  for (;;) {
    skip(OWS);
    if (at === header.length) return ranges;
    if (header[at] === ',') {
      at += 1;
      continue;
    }
    const range = skip(RANGE);
    if (!range) return undefined;
    const [type, subtype] = [range[1].toLowerCase(), range[2].toLowerCase()];
    if (type === '*' && subtype !== '*') return undefined;
    let q = 1;
    for (;;) {
      skip(OWS);
      const param = skip(PARAM);
      if (!param) break;
      if (param[1].toLowerCase() === 'q') {
        const value = param[2] ?? '';
        if (!QVALUE.test(value)) return undefined;
        q = Number(value);
      }
    }
    ranges.push({ type, subtype, q });
    skip(OWS);
    if (at < header.length && header[at] !== ',') return undefined;
  }
}

/** 3 for `type/subtype`, 2 for `type/*`, 1 for `*\/*`; 0 when the range does not match. */
function specificity(range: MediaRange, type: string, subtype: string): number {
  if (range.type === '*') return 1;
  if (range.type !== type) return 0;
  if (range.subtype === '*') return 2;
  return range.subtype === subtype ? 3 : 0;
}

/**
 * Which of `offers` (media types, `type/subtype`) the client prefers. Each offer weighs the q of
 * the most specific range that matches it (the highest, if several are as specific: parameters
 * other than q are not compared, as the server has one version of each format); the heaviest
 * offer above 0 wins, then the one matched more specifically, then the first offer. A missing
 * or malformed header, or one that accepts none of the offers, gets `fallback`: a scraper is
 * better served with the plain format than with an error.
 */
export function preferredType<T extends string>(
  header: string | undefined,
  offers: readonly T[],
  fallback: T,
): T {
  const ranges = header === undefined ? undefined : parseAccept(header);
  if (!ranges) return fallback;
  let best: { offer: T; q: number; specificity: number } | undefined;
  for (const offer of offers) {
    const [type, subtype] = offer.toLowerCase().split('/');
    let q = 0;
    let most = 0;
    for (const range of ranges) {
      const s = specificity(range, type, subtype);
      if (s > most) [most, q] = [s, range.q];
      else if (s === most && s > 0) q = Math.max(q, range.q);
    }
    if (q > 0 && (!best || q > best.q || (q === best.q && most > best.specificity))) {
      best = { offer, q, specificity: most };
    }
  }
  return best?.offer ?? fallback;
}
