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
 * The FTS5 MATCH expression for the clauses: each clause a quoted string (a phrase when it has several
 * words), optionally followed by the prefix operator, all joined with AND. Words hold only letters and
 * digits; quotes are doubled anyway so that the function is safe on its own.
 */
export function matchExpression(clauses: readonly Clause[]): string {
  return clauses.map((c) => `"${c.words.join(' ').replace(/"/g, '""')}"${c.prefix ? ' *' : ''}`).join(' AND ');
}
