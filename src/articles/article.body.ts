// What is derived from an article's Markdown body, worked out once when the article is written and
// stored beside it: the HTML the page and feeds show, the plain text that search, excerpts and snippets
// read, and the word count behind the reading time. Rendering a page then parses nothing.
import MarkdownIt from 'markdown-it';
import { plainText } from '../lib/plain-text.ts';

// Raw HTML in a body is shown as text, never rendered; markdown-it also refuses javascript: links.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

export interface DerivedBody {
  html: string;
  text: string;
  words: number;
}

/** One segmenter per language: building one costs more than segmenting a whole article. */
const segmenters = new Map<string, Intl.Segmenter>();

function countWords(text: string, language: string): number {
  let segmenter = segmenters.get(language);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language, { granularity: 'word' });
    if (segmenters.size < 64) segmenters.set(language, segmenter);
  }
  let n = 0;
  for (const seg of segmenter.segment(text)) if (seg.isWordLike) n++;
  return n;
}

/** The HTML, plain text and word count of a Markdown body written in `language`. */
export function deriveBody(markdownSource: string, language: string): DerivedBody {
  const text = plainText(markdownSource);
  return { html: markdown.render(markdownSource), text, words: countWords(text, language) };
}
