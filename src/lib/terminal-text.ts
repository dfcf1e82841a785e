// Text a reader wrote (a comment, a name, an address) printed by the `gazette` command goes to an editor's
// terminal, which obeys control characters: ESC and C1 controls (CSI U+009B, OSC U+009D) can move the
// cursor, rewrite what was printed before, change the window title or write to the clipboard; bidi
// embeddings, overrides and isolates reorder the rest of the line, so that what the editor reads is not
// what is stored (decision 0013). Every command prints stored text through forTerminal (or, for JSON,
// forJsonLine), which shows such characters as visible escapes instead of passing them on.

/**
 * C0 controls (tab and line breaks included: a line break in a name would fake a line of its own), DEL,
 * C1 controls, the line and paragraph separators, and the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069). The bidi marks (U+200E, U+200F, U+061C) and the zero-width (non-)joiners
 * are kept: ordinary Arabic and Persian text uses them, and they reorder nothing beyond their neighbours.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const hex = (c: string) => c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

/** Stored text as it may be printed to a terminal: unsafe characters become `<U+009B>`. */
export function forTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => `<U+${hex(c)}>`);
}

/**
 * A line of JSON as it may be printed to a terminal: the unsafe characters JSON.stringify leaves as they
 * are (DEL, C1 controls, separators, bidi controls; it escapes C0 itself) become `\uXXXX` escapes, which
 * parse back to the same string.
 */
export function forJsonLine(json: string): string {
  return json.replace(UNSAFE, (c) => `\\u${hex(c).toLowerCase()}`);
}
