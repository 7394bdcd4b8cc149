import { escapeControls } from './controlChars';
import { spelled, spellsItself } from './spelled';

/**
 * Everything a person or a scraper can read — log lines, the status page and its JSON, the
 * event table, configuration errors, reload answers — passes through one redactor.
 */
/**
 * Masks every given secret in every spelling a far side, an echo of an echo or our own encoders
 * give it — as is; percent-encoded once or more (either case of hex, `%2522`); form-encoded
 * (`+` for a space); backslash-escaped to any depth (JSON once `\"`, twice `\\\"`, `\/`,
 * `\u0022`, a terminal's `\x1b`); HTML-escaped (`&quot;`, `&#34;`, `&#x22;`) — in any mix,
 * character by character (see `spelled`); and the value of any token-like query parameter,
 * bearer tokens, and URL userinfo. Its cost per text does not grow with the number of secrets:
 * each is looked up by its first bytes as spelled.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const index = indexOf(secrets);
  return (text) => {
    let out = index.size > 0 ? maskKnown(text, index) : text;
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

/** A secret is looked up by this many of its first bytes as spelled. */
const KEY = 4;

interface Index {
  readonly size: number;
  readonly buckets: Map<string, string[]>;
  /** The shortest key: secrets spelled shorter than `KEY` are keyed by all they have. */
  readonly shortest: number;
  /** Bytes that begin a key: at any other byte no secret begins, and the lookup is skipped. */
  readonly starts: Uint8Array;
}

/**
 * Each secret as spelled, by its first bytes, longest first (a secret that holds another is
 * masked whole). A secret whose text holds an escape of its own (`%41`, `\u0041`, `&amp;`)
 * spells otherwise once encoded again, so each of the encodings it may meet is indexed too.
 * Secrets shorter than four characters are not masked: they would mangle text.
 */
function indexOf(secrets: readonly string[]): Index {
  const index = new Map<string, string[]>();
  for (const secret of new Set(secrets)) {
    if (secret.length < 4) continue;
    for (const form of new Set(encodings(secret))) {
      const { bytes } = spelled(form);
      // Spelled shorter than the key (mostly backslashes): looked up by all it has.
      const key = bytes.slice(0, KEY);
      if (key === '') continue;
      const bucket = index.get(key) ?? [];
      if (!bucket.includes(bytes)) bucket.push(bytes);
      index.set(key, bucket);
    }
  }
  for (const bucket of index.values()) bucket.sort((a, b) => b.length - a.length);
  const shortest = Math.min(KEY, ...[...index.keys()].map((key) => key.length));
  const starts = new Uint8Array(256);
  for (const key of index.keys()) starts[key.charCodeAt(0)] = 1;
  return { size: index.size, buckets: index, shortest, starts };
}

const json = (text: string): string => JSON.stringify(text).slice(1, -1);

const encodings = (secret: string): string[] => [
  secret,
  encodeURIComponent(secret),
  new URLSearchParams({ v: secret }).toString().slice(2),
  json(secret),
  json(json(secret)),
  secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
  escapeControls(secret),
  escapeControls(json(secret), true),
];

/**
 * The text with every spelling of an indexed secret replaced by `***`. A text that spells
 * itself (most lines) is searched as it stands: each byte is the character where it stands.
 */
function maskKnown(text: string, index: Index): string {
  const read = spellsItself(text) ? undefined : spelled(text);
  const bytes = read?.bytes ?? text;
  let out = '';
  let kept = 0; // the text before this is written to `out`
  let i = 0;
  while (i < bytes.length) {
    const found = lookUp(bytes, i, index);
    if (found === 0) {
      i += 1;
      continue;
    }
    const start = read ? Math.max(read.from[i], kept) : i;
    out += `${text.slice(kept, start)}***`;
    kept = read ? read.to[i + found - 1] : i + found;
    i += found;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

/** The length of the longest secret spelled at `i`, 0 when none is. */
function lookUp(bytes: string, i: number, { buckets, shortest, starts }: Index): number {
  if (starts[bytes.charCodeAt(i)] === 0) return 0;
  for (let length = KEY; length >= shortest; length--) {
    const bucket = buckets.get(bytes.slice(i, i + length));
    if (bucket === undefined) continue;
    for (const secret of bucket) if (bytes.startsWith(secret, i)) return secret.length;
  }
  return 0;
}
