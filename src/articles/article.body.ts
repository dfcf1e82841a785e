// What is derived from an article's body, worked out once when the article is written and stored beside
// it: the HTML the page and feeds show, the plain text that search, excerpts and snippets read, and the
// word count behind the reading time. Rendering a page then parses nothing. A body is Markdown (what
// the demo, the CLI and articles written before the admin's editor hold) or HTML from the body editor,
// which is cleaned here to a strict allowlist before anything is stored (decision 0021).
import { cleanedBodyHtml, plainTextOfHtml } from '../lib/body-html.ts';
import { plainText } from '../lib/plain-text.ts';
import { countWords } from '../lib/words.ts';
import { markdownIt, onDemand } from '../lib/on-demand.ts';

// Raw HTML in a body is shown as text, never rendered; markdown-it also refuses javascript: links.
const markdown = onDemand(() => new (markdownIt())({ html: false, linkify: true, typographer: false }));

/** How an article's body is written: Markdown, or HTML from the admin's body editor. */
export type BodyFormat = 'markdown' | 'html';
export const BODY_FORMATS = ['markdown', 'html'] as const satisfies readonly BodyFormat[];

export interface DerivedBody {
  /** The body to store: Markdown as written, or the HTML once cleaned (what was sent is never kept). */
  source: string;
  html: string;
  text: string;
  words: number;
}

/** The stored source, HTML, plain text and word count of a body written in `language`. */
export function deriveBody(source: string, language: string, format: BodyFormat = 'markdown'): DerivedBody {
  if (format === 'html') {
    const html = cleanedBodyHtml(source);
    const text = plainTextOfHtml(html);
    return { source: html, html, text, words: countWords(text, language) };
  }
  const text = plainText(source);
  return { source, html: markdown().render(source), text, words: countWords(text, language) };
}
