// Sitemaps (sitemaps.org protocol 0.9): an index naming every sitemap file, paged article sitemaps of
// at most 50,000 URLs with hreflang alternates (xhtml:link) for translated articles, a sitemap of the
// listing pages, and a Google News sitemap of the last 48 hours. lastmod is the real modification
// time of the newest article a URL shows. XML is built with xmlbuilder2's callback writer, which emits
// text as it goes instead of holding a node tree: a 50,000-URL file would otherwise take gigabytes.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { createCB } from 'xmlbuilder2';
import type { XMLBuilderCB } from 'xmlbuilder2/lib/interfaces.js';
import type { Db } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { articlePath, personPath, sectionPath, tagPath } from '../lib/paths.ts';
import { xmlText } from '../feeds/xml-text.ts';
import { countPublished } from '../articles/article.repository.ts';
import * as repo from './sitemap.repository.ts';

/** The protocol's limit of URLs per sitemap file. */
export const URLS_PER_SITEMAP = 50_000;
/** Google News reads articles of the last two days, at most 1,000 per file. */
export const NEWS_WINDOW_HOURS = 48;
export const NEWS_MAX_URLS = 1000;

const NS = {
  sitemap: 'http://www.sitemaps.org/schemas/sitemap/0.9',
  news: 'http://www.google.com/schemas/sitemap-news/0.9',
  xhtml: 'http://www.w3.org/1999/xhtml',
};
/**
 * Writes one XML document through xmlbuilder2's callback writer and returns it. In this writer text
 * needs xmlText() (entity-like text is otherwise kept as is) while attribute values are always escaped.
 */
function writeXml(build: (xml: XMLBuilderCB) => void): string {
  const parts: string[] = [];
  const xml = createCB({ data: (chunk: string) => void parts.push(chunk), prettyPrint: false });
  xml.dec({ version: '1.0', encoding: 'UTF-8' });
  build(xml);
  xml.end();
  return parts.join('');
}

/** writeXml() for builders that pause between slices of a long document. */
async function writeXmlInSteps(build: (xml: XMLBuilderCB) => Promise<void>): Promise<string> {
  const parts: string[] = [];
  const xml = createCB({ data: (chunk: string) => void parts.push(chunk), prettyPrint: false });
  xml.dec({ version: '1.0', encoding: 'UTF-8' });
  await build(xml);
  xml.end();
  return parts.join('');
}

/** URLs written between two pauses for other requests. */
const YIELD_EVERY = 1000;

/** W3C datetime (a profile of ISO 8601) in UTC, whole seconds. */
export function w3cDate(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface SitemapSite {
  name: string;
  publicUrl: string;
}

export interface RenderedSitemap {
  xml: string;
  /** Modification time the response carries as Last-Modified; null when no single time dates it. */
  lastModified: string | null;
}

const EPOCH = '1970-01-01T00:00:00.000Z';

/** The sitemap index: the listing-pages sitemap, each page of articles, and the news sitemap. */
export async function sitemapIndex(db: Db, site: SitemapSite, perFile = URLS_PER_SITEMAP): Promise<RenderedSitemap> {
  const total = await countPublished(db);
  const overall = (await repo.lastModifiedOverall(db)) ?? EPOCH;
  const entries: [string, string | null][] = [['/sitemaps/pages.xml', overall]];
  const files = Math.ceil(total / perFile);
  for (let n = 1; n <= files; n++) entries.push([`/sitemaps/articles-${n}.xml`, await repo.pageLastModified(db, perFile, (n - 1) * perFile)]);
  entries.push(['/news-sitemap.xml', overall]);
  const xml = writeXml((x) => {
    x.ele(NS.sitemap, 'sitemapindex');
    for (const [path, lastmod] of entries) {
      x.ele('sitemap').ele('loc').txt(xmlText(site.publicUrl + path)).up();
      if (lastmod) x.ele('lastmod').txt(xmlText(w3cDate(lastmod))).up();
      x.up();
    }
    x.up();
  });
  return { xml, lastModified: overall };
}

function addAlternates(x: XMLBuilderCB, publicUrl: string, members: readonly repo.ArticleUrlRow[]) {
  for (const m of members) x.ele(NS.xhtml, 'xhtml:link', { rel: 'alternate', hreflang: m.language, href: publicUrl + articlePath(m.section_slug, m.slug) }).up();
}

/** Page n (from 1) of the article sitemap; not_found past the last page. */
export async function articleSitemap(db: Db, site: SitemapSite, n: number, perFile = URLS_PER_SITEMAP): Promise<RenderedSitemap> {
  const rows = await repo.articleUrlPage(db, perFile, (n - 1) * perFile);
  if (!rows.length && n !== 1) throw new AppError('not_found', `There is no article sitemap ${n}.`);
  const groups = await translationGroups(db);
  let last = EPOCH;
  const xml = await writeXmlInSteps(async (x) => {
    x.ele(NS.sitemap, 'urlset', { 'xmlns:xhtml': NS.xhtml });
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      x.ele('url');
      x.ele('loc').txt(xmlText(site.publicUrl + articlePath(r.section_slug, r.slug))).up();
      x.ele('lastmod').txt(xmlText(w3cDate(r.updated_at))).up();
      const members = groups.get(r.group_id);
      if (members && members.length > 1) addAlternates(x, site.publicUrl, members);
      x.up();
      if (r.updated_at > last) last = r.updated_at;
      // A full file takes seconds to write: let other requests through between slices.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    }
    x.up();
  });
  return { xml, lastModified: last };
}

/** Published members of every translation group that has a translation, keyed by group. */
async function translationGroups(db: Db): Promise<Map<number, repo.ArticleUrlRow[]>> {
  const out = new Map<number, repo.ArticleUrlRow[]>();
  const ids = await repo.translatedGroupIds(db);
  for (let i = 0; i < ids.length; i += 500) {
    for (const m of await repo.groupMembers(db, ids.slice(i, i + 500))) out.set(m.group_id, [...(out.get(m.group_id) ?? []), m]);
  }
  return out;
}

/** The home page and every section, tag and author listing that has published articles. */
export async function pagesSitemap(db: Db, site: SitemapSite): Promise<RenderedSitemap> {
  const [overall, sections, tags, authors] = await Promise.all([repo.lastModifiedOverall(db), repo.sectionListings(db), repo.tagListings(db), repo.authorListings(db)]);
  const entries: [string, string | null][] = [['/', overall]];
  for (const s of sections) if (s.last) entries.push([sectionPath(s.slug), s.last]);
  for (const t of tags) entries.push([tagPath(t.slug), t.last]);
  for (const p of authors) entries.push([personPath(p.slug), p.last]);
  const xml = writeXml((x) => {
    x.ele(NS.sitemap, 'urlset');
    for (const [path, lastmod] of entries) {
      x.ele('url').ele('loc').txt(xmlText(site.publicUrl + path)).up();
      if (lastmod) x.ele('lastmod').txt(xmlText(w3cDate(lastmod))).up();
      x.up();
    }
    x.up();
  });
  return { xml, lastModified: overall ?? EPOCH };
}

/** Google News sitemap: articles published in the last 48 hours, with publication name and language. */
export async function newsSitemap(db: Db, site: SitemapSite, now = new Date()): Promise<RenderedSitemap> {
  const since = new Date(now.getTime() - NEWS_WINDOW_HOURS * 3_600_000).toISOString();
  const rows = await repo.publishedSince(db, since, NEWS_MAX_URLS);
  const xml = writeXml((x) => {
    x.ele(NS.sitemap, 'urlset', { 'xmlns:news': NS.news });
    for (const r of rows) {
      x.ele('url').ele('loc').txt(xmlText(site.publicUrl + articlePath(r.section_slug, r.slug))).up();
      x.ele(NS.news, 'news:news').ele(NS.news, 'news:publication');
      x.ele(NS.news, 'news:name').txt(xmlText(site.name)).up();
      // Google wants an ISO 639 code: the base language of the article's tag.
      x.ele(NS.news, 'news:language').txt(xmlText(r.language.split('-')[0]!.toLowerCase())).up();
      x.up();
      x.ele(NS.news, 'news:publication_date').txt(xmlText(w3cDate(r.published_at))).up();
      x.ele(NS.news, 'news:title').txt(xmlText(r.headline)).up();
      x.up().up();
    }
    x.up();
  });
  // The file also changes when an article leaves the window, which no stored time records: no
  // Last-Modified, so revalidation relies on the ETag alone.
  return { xml, lastModified: null };
}

/** robots.txt: everything may be crawled except search results; the sitemap index is named. */
export function robotsTxt(site: SitemapSite): string {
  return ['User-agent: *', 'Disallow: /search', '', `Sitemap: ${site.publicUrl}/sitemap.xml`, ''].join('\n');
}

/** Other language versions of an article (itself included), for hreflang links in its page. */
export async function translationsOf(db: Db, articleId: number): Promise<{ language: string; path: string }[]> {
  const group = await repo.groupOf(db, articleId);
  if (group === null) return [];
  const members = await repo.groupMembers(db, [group]);
  return members.length > 1 ? members.map((m) => ({ language: m.language, path: articlePath(m.section_slug, m.slug) })) : [];
}
