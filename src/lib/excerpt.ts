// Cutting text at a word boundary in any script, with Unicode word segmentation rather than spaces
// (src/lib/words.ts), so Arabic, Persian and scripts written without spaces are cut between words too.

import { wordSpans } from './words.ts';

/** Collapses white space to single spaces and trims. */
export function normaliseSpace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/**
 * Returns the text unchanged when it fits in maxChars; otherwise the longest run of whole words that
 * fits, followed by " …". Never cuts inside a word or a grapheme.
 */
export function excerpt(text: string, maxChars: number, language = 'en'): string {
  const clean = normaliseSpace(text);
  // Offsets in code points when the text has characters outside the BMP; otherwise UTF-16 offsets are code points.
  const astral = /[\uD800-\uDFFF]/.test(clean);
  const length = (end: number) => (astral ? [...clean.slice(0, end)].length : end);
  if (length(clean.length) <= maxChars) return clean;
  // The end of the last whole word that ends within maxChars.
  let cut = 0;
  // Words are read up to a little past maxChars (twice as far in UTF-16 units when some take two), not
  // through the whole text: a card's text is up to 600 characters for a 120-character excerpt.
  for (const word of wordSpans(clean, language, (astral ? 2 : 1) * maxChars + 4)) {
    if (length(word.end) > maxChars) break;
    cut = word.end;
  }
  const head = clean.slice(0, cut).replace(/[\s,;:.،؛\-–—]+$/u, '');
  return head ? `${head} …` : '…';
}
