// Highlighted snippets built from the text as written. The index marks matching words in its normalised
// copy (one index word per original word, see normalise.ts); here those marks are mapped back onto the
// original words. The result is data, not HTML: the text as written cut into segments, each saying
// whether it is a matched word. The search page escapes every segment and marks the matched ones, so
// nothing in an article can become markup.
import { words, type Word } from './normalise.ts';

/** A stretch of shown text; `match` when it is a word the search matched. */
export interface Segment {
  text: string;
  match: boolean;
}

/** Characters the index is asked to put around matches; they never occur in indexed text. */
export const MARK_OPEN = '\u0001';
export const MARK_CLOSE = '\u0002';

/** Which words of a highlighted index text are marked, in order. */
export function markedWords(highlighted: string): boolean[] {
  const marks: boolean[] = [];
  let inMark = false;
  let current: boolean | null = null;
  for (const ch of highlighted) {
    if (ch === MARK_OPEN) {
      inMark = true;
      if (current !== null) current = true;
    } else if (ch === MARK_CLOSE) {
      inMark = false;
    } else if (ch === ' ') {
      if (current !== null) marks.push(current);
      current = null;
    } else {
      current = (current ?? false) || inMark;
    }
  }
  if (current !== null) marks.push(current);
  return marks;
}

/** The original words and which of them matched, or null when the index text no longer lines up. */
function align(original: string, highlighted: string | null): { list: Word[]; marks: boolean[] } | null {
  const list = words(original);
  if (highlighted === null) return { list, marks: list.map(() => false) };
  const marks = markedWords(highlighted);
  return marks.length === list.length ? { list, marks } : null;
}

/** Adds text to segments, joining it to the previous unmatched segment; empty text adds nothing. */
function push(out: Segment[], text: string, match: boolean): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (!match && last && !last.match) last.text += text;
  else out.push({ text, match });
}

/** Words from..to of the original as segments, with the text between them; each matched word is its own segment. */
function segments(original: string, list: Word[], marks: boolean[], from: number, to: number, out: Segment[] = []): Segment[] {
  let pos = list[from]?.start ?? 0;
  const end = list[to - 1]?.end ?? original.length;
  for (let i = from; i < to; i++) {
    const w = list[i]!;
    push(out, original.slice(pos, w.start), false);
    push(out, original.slice(w.start, w.end), marks[i] ?? false);
    pos = w.end;
  }
  push(out, original.slice(pos, end), false);
  return out;
}

/** The whole text with matching words marked (for headlines). One unmatched segment when alignment fails. */
export function highlightWhole(original: string, highlighted: string | null): Segment[] {
  const a = align(original, highlighted);
  if (!a || !a.list.length) return original ? [{ text: original, match: false }] : [];
  const out: Segment[] = [];
  push(out, original.slice(0, a.list[0]!.start), false);
  segments(original, a.list, a.marks, 0, a.list.length, out);
  push(out, original.slice(a.list[a.list.length - 1]!.end), false);
  return out;
}

/**
 * A window of about maxWords words around the densest run of matches, marked, with "…" where text
 * was left out. Null when nothing in this text matched (the caller shows another field or an excerpt).
 */
export function snippetAround(original: string, highlighted: string | null, maxWords = 32): Segment[] | null {
  const a = align(original, highlighted);
  if (!a) return null;
  const { list, marks } = a;
  const first = marks.indexOf(true);
  if (first < 0) return null;
  // Slide a window over the words and keep the one holding the most matches (earliest on a tie).
  let best = first;
  let bestCount = -1;
  let count = 0;
  for (let i = 0; i < list.length; i++) {
    if (marks[i]) count++;
    if (i >= maxWords && marks[i - maxWords]) count--;
    const start = Math.max(0, i - maxWords + 1);
    if (i >= Math.min(maxWords, list.length) - 1 && count > bestCount && marks.slice(start, i + 1).includes(true)) {
      bestCount = count;
      best = start;
    }
  }
  // Start a few words before the first match in the window so the reader sees its context.
  const firstInWindow = marks.indexOf(true, best);
  let from = Math.max(0, Math.min(best, firstInWindow - 4));
  const to = Math.min(list.length, from + maxWords);
  from = Math.max(0, Math.min(from, to - maxWords));
  const out: Segment[] = [];
  if (from > 0) push(out, '… ', false);
  segments(original, list, marks, from, to, out);
  if (to < list.length) push(out, ' …', false);
  return out;
}
