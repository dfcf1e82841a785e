// What is derived from an article's Markdown body, worked out once when the article is written and
// stored beside it: the HTML the page and feeds show, the plain text that search, excerpts and snippets
// read, and the word count behind the reading time. Rendering a page then parses nothing.
import MarkdownIt from 'markdown-it';
import { plainText } from '../lib/plain-text.ts';
import { countWords } from '../lib/words.ts';

// Raw HTML in a body is shown as text, never rendered; markdown-it also refuses javascript: links.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

export interface DerivedBody {
  html: string;
  text: string;
  words: number;
}

/** The HTML, plain text and word count of a Markdown body written in `language`. */
export function deriveBody(markdownSource: string, language: string): DerivedBody {
  const text = plainText(markdownSource);
  return { html: markdown.render(markdownSource), text, words: countWords(text, language) };
}
