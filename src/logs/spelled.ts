/**
 * Text read as the bytes it spells, whatever the escaping: what makes one secret look alike in
 * every encoding an echo gives it, so that it can be found by a plain lookup however many
 * secrets there are (a pattern per secret in every form does not scale past a few hundred).
 *
 * Read as one unit each: a character as is; `%XX` percent-encoding, once or more (`%2522`);
 * `\uXXXX` and `\xXX` behind any run of backslashes (JSON once, twice, a terminal escape);
 * an HTML entity (`&quot;`, `&#34;`, `&#x22;`). Then folded, so that every spelling of one text
 * reads the same: backslashes are dropped wherever they come from (an escape at any depth, `\/`,
 * `\"`, `\\`), `+` reads as a space (form encoding), and a newline, CR, tab, backspace and form
 * feed read as the letter of their escape (`\n` once its backslash is dropped). Each byte keeps
 * where its unit was in the text (with the backslashes before it), so a match is masked whole.
 */
export interface Spelled {
  /** One character per byte (0–255). */
  readonly bytes: string;
  /** Where the unit of each byte starts and ends in the text. */
  readonly from: Int32Array;
  readonly to: Int32Array;
}

export function spelled(text: string): Spelled {
  if (spellsItself(text)) return asIs(text);
  let read = readOnce(text, false);
  // An escape may spell another (`%5Cu0041` is `\u0041`, which is `A`): read again until
  // nothing changes. Each reading that changes something is shorter, so this ends; a few
  // readings cover every echo seen.
  for (let pass = 1; read.changed && pass < MAX_READINGS; pass++) {
    const again = readOnce(read.bytes, true);
    for (let k = 0; k < again.from.length; k++) {
      again.from[k] = read.from[again.from[k]];
      again.to[k] = read.to[again.to[k] - 1];
    }
    read = again;
  }
  return read;
}

/** What `readOnce` would take as other than one byte as is: an escape, a fold, a wide character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters fold (`\n` reads as `n`)
const SPELLS_OTHERWISE = /[\\%&+\u0000-\u001f\u007f-\uffff]/;

/**
 * Most lines hold no escape, fold or wide character: they spell themselves, one byte a
 * character where it stands, and a caller may search them as they are.
 */
export const spellsItself = (text: string): boolean => !SPELLS_OTHERWISE.test(text);

function asIs(text: string): Spelled {
  const from = new Int32Array(text.length);
  const to = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    from[i] = i;
    to[i] = i + 1;
  }
  return { bytes: text, from, to };
}

const MAX_READINGS = 4;

/**
 * One reading: the units of `text` (a string of bytes when `inBytes`) as bytes. A backslash a
 * unit decodes to is kept (the next reading takes it as an escape), as is one left at the end.
 */
function readOnce(text: string, inBytes: boolean): Spelled & { changed: boolean } {
  // Every log line passes here: one scratch of the most a text can spell (four UTF-8 bytes a
  // character), kept between calls, not arrays grown a byte at a time; what is returned is a
  // copy, so the next reading may write over it.
  const { bytes, from, to } = scratchFor(text.length * 4 + 4);
  let count = 0;
  let changed = false;
  const push = (b: number, start: number, end: number): void => {
    const folded = FOLDED[b];
    if (folded !== b) changed = true;
    bytes[count] = folded;
    from[count] = start;
    to[count] = end;
    count += 1;
  };
  let i = 0;
  while (i < text.length) {
    const start = i; // a unit's backslashes are part of it: masked with it
    const c = text.charCodeAt(i);
    if ((c < 0x80 || inBytes) && c !== BACKSLASH && c !== 0x25 && c !== 0x26) {
      // Most text: one byte, as is.
      push(c, start, i + 1);
      i += 1;
      continue;
    }
    const run = i;
    while (text.charCodeAt(i) === BACKSLASH) i++;
    if (i >= text.length) {
      for (let k = run; k < i; k++) push(BACKSLASH, k, k + 1);
      break;
    }
    const [unit, end] = unitAt(text, i, i > run, inBytes);
    if (end - run !== 1 || unit.length !== 1 || unit[0] !== c) changed = true;
    for (const b of unit) push(b, start, end);
    i = end;
  }
  return {
    bytes: Buffer.from(bytes.buffer, 0, count).toString('latin1'),
    from: from.slice(0, count),
    to: to.slice(0, count),
    changed,
  };
}

const BACKSLASH = 0x5c;
/** -1: dropped. */
const FOLD: Record<number, number> = {
  [BACKSLASH]: -1,
  43: 0x20, // + → space
  10: 0x6e, // \n → n
  13: 0x72,
  9: 0x74,
  8: 0x62,
  12: 0x66,
};

let scratch = { bytes: new Uint8Array(1024), from: new Int32Array(1024), to: new Int32Array(1024) };

function scratchFor(most: number): typeof scratch {
  if (scratch.bytes.length < most) {
    const size = 2 ** Math.ceil(Math.log2(most));
    scratch = { bytes: new Uint8Array(size), from: new Int32Array(size), to: new Int32Array(size) };
  }
  return scratch;
}

/** `FOLD` as a table of every byte: what each reads as (-1, dropped, stored as 255). */
const FOLDED = Uint8Array.from({ length: 256 }, (_, b) => FOLD[b] ?? b);

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));/y;
const NAMED: Record<string, number> = { amp: 38, lt: 60, gt: 62, quot: 34, apos: 39 };

/** The bytes of the unit at `i` and where it ends. */
function unitAt(text: string, i: number, escaped: boolean, inBytes: boolean): [number[], number] {
  const c = text.charCodeAt(i);
  if (escaped && c === 0x75 && isHex(text, i + 1, 4)) {
    let code = hexOf(text, i + 1, 4);
    let end = i + 5;
    if (code >= 0xd800 && code < 0xdc00) {
      // A character past U+FFFF, written as two escapes.
      let j = end;
      while (text.charCodeAt(j) === BACKSLASH) j++;
      const low = j > end && text[j] === 'u' && isHex(text, j + 1, 4) ? hexOf(text, j + 1, 4) : 0;
      if (low >= 0xdc00 && low < 0xe000) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        end = j + 5;
      }
    }
    return [utf8(code), end];
  }
  if (escaped && c === 0x78 && isHex(text, i + 1, 2)) return [utf8(hexOf(text, i + 1, 2)), i + 3];
  if (c === 0x25) {
    let j = i + 1;
    while (text.startsWith('25', j) && isHex(text, j + 2, 2)) j += 2;
    if (isHex(text, j, 2)) return [[hexOf(text, j, 2)], j + 2];
  }
  if (c === 0x26) {
    ENTITY.lastIndex = i;
    const entity = ENTITY.exec(text);
    if (entity) {
      const [whole, name, decimal, hex] = entity;
      const code = name ? NAMED[name] : decimal ? Number(decimal) : Number.parseInt(hex, 16);
      if (code <= 0x10ffff) return [utf8(code), i + whole.length];
    }
  }
  if (inBytes) return [[c], i + 1];
  const code = text.codePointAt(i) ?? c;
  return [utf8(code), i + (code > 0xffff ? 2 : 1)];
}

const isHex = (text: string, at: number, count: number): boolean =>
  at + count <= text.length && /^[0-9a-fA-F]+$/.test(text.slice(at, at + count));
const hexOf = (text: string, at: number, count: number): number =>
  Number.parseInt(text.slice(at, at + count), 16);

/** UTF-8, a lone surrogate too (as the three bytes it would take), so that every unit has bytes. */
function utf8(code: number): number[] {
  if (code < 0x80) return [code];
  if (code < 0x800) return [0xc0 | (code >> 6), 0x80 | (code & 0x3f)];
  if (code < 0x10000) {
    return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
  }
  return [
    0xf0 | (code >> 18),
    0x80 | ((code >> 12) & 0x3f),
    0x80 | ((code >> 6) & 0x3f),
    0x80 | (code & 0x3f),
  ];
}
