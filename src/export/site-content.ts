// What `gazette export` writes, read through each capability's own functions (decision 0032): the export
// never queries another capability's tables. Small lists (people, sections, tags, pages) are read whole;
// pictures, documents and articles with their comments come a page at a time, so memory does not grow
// with the archive.
import type { Db } from '../db/store.ts';
import { loadSettings, type SettingsDefaults } from '../settings/settings.service.ts';
import { listPeople, type Person } from '../people/person.service.ts';
import { allSections, type Section } from '../sections/section.service.ts';
import { listTags, type Tag } from '../tags/tag.service.ts';
import { listPages, type StaticPage } from '../pages/page.service.ts';
import { articlesForExport, highestArticleId, type ExportedArticle } from '../articles/article.export.ts';
import { commentsForExport, type ExportedComment } from '../comments/comment.export.ts';
import { imagesForExport, type ExportedImage } from '../media/image.export.ts';
import { documentsForExport, type ExportedDocument } from '../documents/document.export.ts';

/** Rows read per query while streaming. */
const PAGE = 200;

export interface SiteHead {
  name: string;
  description: string;
  language: string;
  timeZone: string;
  /** The site's public address, without a trailing slash. */
  url: string;
}

export interface ArticleWithComments {
  article: ExportedArticle;
  comments: ExportedComment[];
}

export interface SiteContent {
  head: SiteHead;
  /** Whether readers' addresses are included (a private export). */
  private: boolean;
  people: Person[];
  /** In navigation order. */
  sections: Section[];
  tags: Tag[];
  pages: StaticPage[];
  highestArticleId: number;
  images(): AsyncGenerator<ExportedImage>;
  documents(): AsyncGenerator<ExportedDocument>;
  articles(): AsyncGenerator<ArticleWithComments>;
}

export interface ReadOptions {
  publicUrl: string;
  defaults: SettingsDefaults;
  private: boolean;
}

/** Pages through a reader keyed by id until it runs dry. */
async function* paged<T extends { id: number }>(read: (afterId: number, limit: number) => Promise<T[]>): AsyncGenerator<T[]> {
  let after = 0;
  for (;;) {
    const rows = await read(after, PAGE);
    if (!rows.length) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    if (rows.length < PAGE) return;
  }
}

async function* eachImage(db: Db): AsyncGenerator<ExportedImage> {
  for await (const rows of paged((after, limit) => imagesForExport(db, after, limit))) yield* rows;
}

async function* eachDocument(db: Db): AsyncGenerator<ExportedDocument> {
  for await (const rows of paged((after, limit) => documentsForExport(db, after, limit))) yield* rows;
}

async function* eachArticle(db: Db, withEmails: boolean): AsyncGenerator<ArticleWithComments> {
  for await (const rows of paged((after, limit) => articlesForExport(db, after, limit))) {
    const comments = await commentsForExport(db, rows.map((a) => a.id), withEmails);
    for (const article of rows) yield { article, comments: comments.get(article.id) ?? [] };
  }
}

/** The site to export, from `db` (a store's connection; a transaction gives one consistent snapshot on PostgreSQL). */
export async function readSite(db: Db, options: ReadOptions): Promise<SiteContent> {
  const settings = await loadSettings(db, options.defaults);
  const [people, sections, tags, pages, highest] = await Promise.all([listPeople(db), allSections(db), listTags(db), listPages(db), highestArticleId(db)]);
  return {
    head: { name: settings.name, description: settings.description, language: settings.language, timeZone: settings.timeZone, url: options.publicUrl.replace(/\/+$/, '') },
    private: options.private,
    people,
    sections,
    tags,
    pages: pages.sort((a, b) => a.id - b.id),
    highestArticleId: highest,
    images: () => eachImage(db),
    documents: () => eachDocument(db),
    articles: () => eachArticle(db, options.private),
  };
}
