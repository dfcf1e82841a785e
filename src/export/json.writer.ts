// The site as one JSON document (decision 0032), written a record at a time. Its shape, documented in
// the README ("Exporting the site"):
//   { "format": "gazette-site", "version": 1, "exportedAt", "private", "site": {…},
//     "people": [...], "sections": [...], "tags": [...], "pages": [...], "documents": [...],
//     "images": [...], "articles": [{ …, "comments": [...] }] }
// One record per line inside each list, so the file can be read (or diffed) as it is written. Readers'
// addresses (`authorEmail`, `ip` on comments) are present only when `private` is true.
import { forJsonLine } from '../lib/terminal-text.ts';
import type { SiteContent } from './site-content.ts';
import type { Sink } from './wxr.writer.ts';

export const JSON_EXPORT_FORMAT = 'gazette-site';
export const JSON_EXPORT_VERSION = 1;

export interface JsonCounts {
  people: number;
  sections: number;
  tags: number;
  pages: number;
  documents: number;
  images: number;
  articles: number;
  comments: number;
}

// Controls that JSON.stringify leaves raw (U+2028, bidi marks…) become \u escapes, so the file is safe to print.
const record = (value: unknown) => forJsonLine(JSON.stringify(value));

/** Writes one list, a record per line, from an array or a stream; returns how many it wrote. */
async function writeList<T>(sink: Sink, name: string, items: Iterable<T> | AsyncIterable<T>, last = false): Promise<number> {
  await sink.write(`${JSON.stringify(name)}: [`);
  let n = 0;
  for await (const item of items) {
    await sink.write(`${n ? ',' : ''}\n  ${record(item)}`);
    n += 1;
  }
  await sink.write(`${n ? '\n' : ''}]${last ? '' : ','}\n`);
  return n;
}

/** Writes the whole site as one JSON document to `sink`; returns what it wrote. */
export async function writeJson(site: SiteContent, sink: Sink, exportedAt: string): Promise<JsonCounts> {
  const head = { format: JSON_EXPORT_FORMAT, version: JSON_EXPORT_VERSION, exportedAt, private: site.private, site: site.head };
  const open = record(head);
  await sink.write(`${open.slice(0, -1)},\n`);
  let comments = 0;
  async function* articles() {
    for await (const { article, comments: list } of site.articles()) {
      comments += list.length;
      yield { ...article, comments: list };
    }
  }
  const counts: JsonCounts = {
    people: await writeList(sink, 'people', site.people.map(({ path: _, ...p }) => p)),
    sections: await writeList(sink, 'sections', site.sections.map((s, i) => ({ id: s.id, slug: s.slug, name: s.name, description: s.description, language: s.language, position: i + 1 }))),
    tags: await writeList(sink, 'tags', site.tags.map(({ path: _, ...t }) => t)),
    pages: await writeList(sink, 'pages', site.pages.map(({ keys: _, ...p }) => p)),
    documents: await writeList(sink, 'documents', site.documents()),
    images: await writeList(sink, 'images', site.images()),
    articles: await writeList(sink, 'articles', articles(), true),
    comments: 0,
  };
  counts.comments = comments;
  await sink.write('}\n');
  return counts;
}
