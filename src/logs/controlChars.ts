/**
 * Characters that a terminal or a log reader acts on instead of showing: C0 controls (escape,
 * CR, LF, tab, …), DEL, C1 controls (U+0080–U+009F; U+009B starts an escape sequence in some
 * terminals), the Unicode line and paragraph separators, and the bidirectional overrides that
 * can make a line read otherwise than it is.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Every control character made visible as its escape (`\x1b`, `\r`, `\n`, `\u2028`), so text
 * from the wire stays on one line and cannot clear a screen or forge a line. The escapes are
 * the ones JSON and JavaScript use; in a JSON string `\u…` is valid and means the same.
 */
export function escapeControls(text: string, json = false): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    if (json || code > 0xff) return `\\u${code.toString(16).padStart(4, '0')}`;
    return NAMED[c] ?? `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
