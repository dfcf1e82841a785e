// Cutting text at a word boundary in any script, with Intl.Segmenter rather than spaces,
// so Arabic, Persian and scripts written without spaces are cut between words too.

const segmenters = new Map<string, Intl.Segmenter>();
function wordSegmenter(language: string): Intl.Segmenter {
  let s = segmenters.get(language);
  if (!s) {
    s = new Intl.Segmenter(language, { granularity: 'word' });
    segmenters.set(language, s);
  }
  return s;
}

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
  if ([...clean].length <= maxChars) return clean;
  let cut = 0;
  let used = 0;
  for (const seg of wordSegmenter(language).segment(clean)) {
    const length = [...seg.segment].length;
    if (used + length > maxChars) break;
    used += length;
    if (seg.isWordLike) cut = seg.index + seg.segment.length;
  }
  const head = clean.slice(0, cut).replace(/[\s,;:.،؛\-–—]+$/u, '');
  return head ? `${head} …` : '…';
}
