// Reading what a reader typed into a search box. The result is a list of clauses made only of
// normalised letters and digits, so the FTS expression built from it is quoted by us and can never
// carry FTS syntax (NEAR, OR, column filters, stray quotes or parentheses) typed by the reader.
import { queryWords } from './normalise.ts';

/** Longest query accepted, in characters; longer ones are refused with a message. */
export const MAX_QUERY_CHARS = 200;
/** Clauses beyond this many are ignored: they would only slow the search without narrowing it usefully. */
export const MAX_CLAUSES = 12;
/** Prefix searches need at least this many letters; shorter stems match too much of any corpus. */
export const MIN_PREFIX_CHARS = 2;

/** One thing every result must contain: a word, a phrase (several words in order), either maybe a prefix. */
export interface Clause {
  words: string[];
  /** The last word may be the start of a longer word. */
  prefix: boolean;
}

export interface ParsedQuery {
  /** The query as typed, trimmed (shown back to the reader). */
  text: string;
  clauses: Clause[];
  /** True when clauses past MAX_CLAUSES were dropped. */
  truncated: boolean;
}

export type QueryProblem = 'too_long';

/** Parses a query; returns a problem instead when the query cannot be accepted at all. */
export function parseQuery(raw: string): ParsedQuery | { problem: QueryProblem } {
  const text = raw.replace(/\s+/gu, ' ').trim();
  if ([...text].length > MAX_QUERY_CHARS) return { problem: 'too_long' };
  const clauses: Clause[] = [];
  // Quoted runs are phrases; a quote with no partner is just a character and separates words.
  const quoteCount = (text.match(/"/g) ?? []).length;
  const usable = quoteCount % 2 === 0 ? text : replaceLast(text, '"', ' ');
  const parts = usable.split('"');
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      const ws = queryWords(part);
      if (ws.length) clauses.push({ words: ws, prefix: /\*\s*$/.test(part) && lastWordLongEnough(ws) });
      return;
    }
    for (const chunk of part.split(' ')) {
      const ws = queryWords(chunk);
      if (!ws.length) continue;
      // "US-Iraqi" is one chunk of two words: searched as a phrase, as it is written.
      clauses.push({ words: ws, prefix: /[\p{L}\p{N}\p{M}]\*+$/u.test(chunk) && lastWordLongEnough(ws) });
    }
  });
  const unique = dedupe(clauses);
  return { text, clauses: unique.slice(0, MAX_CLAUSES), truncated: unique.length > MAX_CLAUSES };
}

function lastWordLongEnough(ws: string[]): boolean {
  return [...(ws[ws.length - 1] ?? '')].length >= MIN_PREFIX_CHARS;
}

function replaceLast(text: string, find: string, by: string): string {
  const at = text.lastIndexOf(find);
  return at < 0 ? text : text.slice(0, at) + by + text.slice(at + find.length);
}

function dedupe(clauses: Clause[]): Clause[] {
  const seen = new Set<string>();
  return clauses.filter((c) => {
    const key = `${c.words.join(' ')}${c.prefix ? '*' : ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The index holds Porter stems, and FTS5 stems a prefix too; but a prefix cut inside the suffix the
 * stemmer removes stems to something no word has: "negotiat*" stays "negotiat", while negotiate,
 * negotiating and negotiators are all indexed as "negoti". So a Latin prefix is also searched as
 *   - completed words ("negotiate", "negotiating"), which the index stems as it stemmed the articles;
 *   - the prefix shortened by up to three letters, as whole stems ("negotia", "negoti", "negot").
 * This widens a prefix by the same amount stemming widens a word (negotiators also finds negotiation),
 * and finds most of what a reader typing a prefix expects. Measured over every prefix of four letters
 * or more of 72 common news words (negotiation, elections, universities …) and the words of the list
 * each should find, the words missed fell from 282 to 65.
 */
const COMPLETIONS = ['e', 'ing'];
const SHORTER_BY = 3;
/** Prefixes shorter than this are searched as typed: short stems would match unrelated words. */
const MIN_WIDENED = 5;

/** One way a clause can match: words in order, the last maybe a prefix. A clause matches when any does. */
export interface Alternative {
  words: string[];
  prefix: boolean;
}

/** The ways one clause can match: itself, and for a Latin prefix its completions and shorter stems. */
export function alternatives(c: Clause): Alternative[] {
  if (!c.prefix) return [{ words: c.words, prefix: false }];
  const last = c.words[c.words.length - 1] ?? '';
  const head = c.words.slice(0, -1);
  const out: Alternative[] = [{ words: c.words, prefix: true }];
  if (/^[a-z]+$/.test(last) && last.length >= MIN_WIDENED) {
    for (const end of COMPLETIONS) out.push({ words: [...head, last + end], prefix: false });
    for (let n = last.length - 1; n >= Math.max(MIN_WIDENED, last.length - SHORTER_BY); n--) out.push({ words: [...head, last.slice(0, n)], prefix: false });
  }
  return out;
}
