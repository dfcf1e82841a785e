// The plain text of a Markdown body: what excerpts, word counts, search snippets and the search index
// are made from. Kept apart from the article service so that search and feeds can use it without
// importing the service that in turn writes to the search index.
import { normaliseSpace } from './excerpt.ts';
import { markdownIt, onDemand } from './on-demand.ts';

const parser = onDemand(() => new (markdownIt())({ html: false, linkify: true, typographer: false }));

/** Plain text of a Markdown body, white space collapsed. */
export function plainText(markdownSource: string): string {
  const tokens = parser().parse(markdownSource, {});
  const parts: string[] = [];
  for (const t of tokens) {
    if (t.type === 'inline') parts.push((t.children ?? []).filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join(''));
  }
  return normaliseSpace(parts.join(' '));
}

/**
 * The opening blocks of a Markdown body, at least `minChars` long when the body is: enough to cut an
 * excerpt from without parsing a whole long article for every card in a listing or search result.
 */
export function leadingBlocks(markdownSource: string, minChars = 1000): string {
  if (markdownSource.length <= minChars) return markdownSource;
  const end = markdownSource.indexOf('\n\n', minChars);
  return end < 0 ? markdownSource : markdownSource.slice(0, end);
}
