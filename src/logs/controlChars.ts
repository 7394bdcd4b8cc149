/**
 * Characters that a terminal, a log reader or a page acts on instead of showing: the controls
 * (Unicode category Cc: C0 such as escape, CR, LF, tab; DEL; C1, where U+009B starts an escape
 * sequence in some terminals), the invisible format characters (Cf: the bidirectional marks,
 * embeddings, overrides and isolates that reverse the text after them, zero-width joiners and
 * spaces, the byte order mark, tag characters) and the line and paragraph separators (Zl, Zp).
 * One class for every place that refuses or escapes such characters: settings, labels in the
 * targets file, log lines.
 */
export const CONTROL_CLASS = '\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}';
export const CONTROL = new RegExp(`[${CONTROL_CLASS}]`, 'u');
const CONTROLS = new RegExp(CONTROL.source, 'gu');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Every control character made visible as its escape (`\x1b`, `\r`, `\n`, `\u2028`), so text
 * from the wire stays on one line and cannot clear a screen or forge a line. The escapes are
 * the ones JSON and JavaScript use; in a JSON string `\u…` is valid and means the same.
 */
export function escapeControls(text: string, json = false): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    // Each UTF-16 unit as `\u…`: a tag character beyond U+FFFF becomes its surrogate pair.
    if (json || code > 0xff) return c.split('').map(unit).join('');
    return NAMED[c] ?? `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

const unit = (u: string) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`;
