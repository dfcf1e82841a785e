// Text normalisation shared by indexing and querying, so that a word matches however a reader typed it.
// Pure functions, no database: the same module serves the FTS index, the query parser and the snippets.
//
// Arabic and Persian rules (applied to every text whatever its language, because readers type Persian
// letters into Arabic text and the reverse):
//   - harakat and Quranic marks are dropped (fatha, damma, kasra, tanwin, shadda, sukun, dagger alef …)
//   - tatweel (kashida) is dropped; ZWNJ and ZWJ are dropped, so "می‌شود" and "میشود" are one word
//   - alef with hamza above/below, alef with madda and alef wasla become bare alef
//   - alef maksura, Persian yeh and Arabic yeh become one yeh
//   - Persian keheh becomes Arabic kaf
//   - teh marbuta, heh with yeh above, heh goal and ae become heh (a common spelling variant in both languages)
//   - Arabic-Indic and Persian (extended) digits become ASCII digits
// Presentation forms (isolated/final glyph code points pasted from PDFs) are folded by NFKC first.

const DROP = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640\u200C\u200D]/gu;

const LETTERS: Record<string, string> = {
  '\u0623': '\u0627', // أ
  '\u0625': '\u0627', // إ
  '\u0622': '\u0627', // آ
  '\u0671': '\u0627', // ٱ
  '\u0649': '\u064A', // ى alef maksura
  '\u06CC': '\u064A', // ی Persian yeh
  '\u06D2': '\u064A', // ے yeh barree
  '\u06A9': '\u0643', // ک keheh
  '\u0629': '\u0647', // ة teh marbuta
  '\u06C0': '\u0647', // ۀ heh with yeh above
  '\u06C1': '\u0647', // ہ heh goal
  '\u06D5': '\u0647', // ە ae
};
const LETTER_RE = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'gu');

function foldDigit(c: string): string {
  const code = c.codePointAt(0)!;
  if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660);
  if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0);
  return c;
}

/** Folds one string: NFKC, Arabic/Persian letter and digit variants, dropped marks, lower case. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(DROP, '')
    .replace(LETTER_RE, (c) => LETTERS[c] ?? c)
    .replace(/[\u0660-\u0669\u06F0-\u06F9]/gu, foldDigit)
    .toLowerCase();
}

/** Characters a word is made of; everything else separates words (as FTS5's unicode61 tokenizer does). */
const WORD_CHARS = /[\p{L}\p{N}\p{Co}]+/gu;
const WORD_CHAR = /^[\p{L}\p{N}\p{Co}]+$/u;
const CONTINUES = /^[\p{M}\u200C\u200D\u0640]$/u;

/** One word of a text: its normalised form and where it sits in the original string. */
export interface Word {
  /** Normalised form, as indexed and searched: letters and digits only. */
  norm: string;
  start: number;
  end: number;
}

/** How a character takes part in a word: starts or continues one, only continues one, or separates. */
const CharRole = { Word: 1, Continues: 2, Separates: 3 } as const;
type CharRole = (typeof CharRole)[keyof typeof CharRole];

/**
 * Roles of the non-ASCII characters met so far. Deciding a role takes Unicode property look-ups and an
 * NFKC normalisation; a text repeats a few dozen letters thousands of times, so each is decided once.
 * Only characters are kept (a few thousand in any real text), never text.
 */
const roles = new Map<string, CharRole>();

function roleOf(ch: string): CharRole {
  let role = roles.get(ch);
  if (role === undefined) {
    role = WORD_CHAR.test(ch) || /[\p{L}\p{N}]/u.test(ch.normalize('NFKC')) ? CharRole.Word : CONTINUES.test(ch) ? CharRole.Continues : CharRole.Separates;
    if (roles.size < 65_536) roles.set(ch, role);
  }
  return role;
}

/**
 * Index tokens of the non-ASCII words met recently. Word frequencies are skewed in every language, so a
 * few thousand entries answer most look-ups; the map is emptied when it grows past its bound.
 */
const folded = new Map<string, readonly string[]>();
const FOLDED_MAX = 50_000;

function foldWord(slice: string): readonly string[] {
  let parts = folded.get(slice);
  if (parts === undefined) {
    // Marks are dropped after NFKC: Arabic harakat by name above, any others (e.g. a combining accent
    // left uncomposed) here, so the index never holds a mark that unicode61 would read as a separator.
    parts = normaliseText(slice).replace(/\p{M}/gu, '').match(WORD_CHARS) ?? [];
    if (folded.size >= FOLDED_MAX) folded.clear();
    folded.set(slice, parts);
  }
  return parts;
}

/**
 * Splits original text into words, keeping each word's span in the original so that a match found in
 * the normalised text can be marked in the text as written. Marks, tatweel and joiners inside a word do
 * not split it. Every word's norm is one token for the FTS5 unicode61 tokenizer.
 */
export function words(text: string): Word[] {
  const out: Word[] = [];
  let start = -1;
  let ascii = true;
  let i = 0;
  const flush = (end: number) => {
    if (start < 0) return;
    const slice = text.slice(start, end);
    if (ascii) out.push({ norm: slice.toLowerCase(), start, end });
    else for (const part of foldWord(slice)) out.push({ norm: part, start, end });
    start = -1;
  };
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    // ASCII is decided without Unicode look-ups: it is most of the text in most articles.
    const role =
      code < 0x80
        ? (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)
          ? CharRole.Word
          : CharRole.Separates
        : roleOf(ch);
    if (role === CharRole.Word) {
      if (start < 0) {
        start = i;
        ascii = true;
      }
      if (code >= 0x80) ascii = false;
    } else if (!(start >= 0 && role === CharRole.Continues)) {
      flush(i);
    } else {
      ascii = false;
    }
    i += ch.length;
  }
  flush(text.length);
  return out;
}

/**
 * The normalised words of a text joined by single spaces: the form stored in the search index. Gives
 * the same words as words() (a unit test holds them together) without tracking spans, which matters
 * when a whole corpus is reindexed.
 */
export function indexText(text: string): string {
  return (normaliseText(text).replace(/\p{M}/gu, '').match(WORD_CHARS) ?? []).join(' ');
}

/** Normalised words of a query fragment. */
export function queryWords(text: string): string[] {
  return words(text).map((w) => w.norm);
}
