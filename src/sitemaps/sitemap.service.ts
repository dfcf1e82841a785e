// Sitemaps (sitemaps.org protocol 0.9): an index naming every sitemap file, paged article sitemaps of
// at most 50,000 URLs with hreflang alternates (xhtml:link) for translated articles, a sitemap of the
// listing pages, and a Google News sitemap of the last 48 hours. lastmod is the real modification
// time of the newest article a URL shows. Article files are written here, a read of rows at a time, and
// sent as they are written (articleSitemap); the small files go through the `sitemap` package's streams,
// which escape every value (xmlbuilder2's callback writer took 17 s for a 50,000-URL file: its cost per
// element grows with the document).
import { Readable } from 'node:stream';
import { SitemapIndexStream, SitemapStream, streamToPromise, type SitemapItemLoose } from 'sitemap';
import { create } from 'xmlbuilder2';
import type { Db } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { articlePath, personPath, sectionPath, tagPath } from '../lib/paths.ts';
import { countPublished } from '../articles/article.lookups.ts';
import * as addresses from '../articles/article.addresses.ts';
import { listPublishedPages } from '../pages/page.service.ts';

/** The protocol's limit of URLs per sitemap file. */
export const URLS_PER_SITEMAP = 50_000;
/** Google News reads articles of the last two days, at most 1,000 per file. */
export const NEWS_WINDOW_HOURS = 48;
export const NEWS_MAX_URLS = 1000;

/** Which optional namespaces each kind of file declares. */
const PLAIN = { news: false, xhtml: false, image: false, video: false };

/** Writes the items through a sitemap stream and returns the document. */
async function writeUrlset(items: readonly SitemapItemLoose[], xmlns: Partial<typeof PLAIN>): Promise<string> {
  // The stream refuses to write a file without URLs; a site with no news in 48 hours (or no article
  // yet) still answers with a well-formed, empty urlset.
  if (!items.length) return create({ version: '1.0', encoding: 'UTF-8' }).ele(NS.sitemap, 'urlset', xmlns.news ? { 'xmlns:news': NS.news } : {}).end();
  const stream = new SitemapStream({ xmlns: { ...PLAIN, ...xmlns } });
  return (await streamToPromise(Readable.from(items).pipe(stream))).toString('utf8');
}

const NS = { sitemap: 'http://www.sitemaps.org/schemas/sitemap/0.9', news: 'http://www.google.com/schemas/sitemap-news/0.9' };

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
  const overall = (await addresses.lastModified(db)) ?? EPOCH;
  const entries: [string, string | null][] = [['/sitemaps/pages.xml', overall]];
  const files = Math.ceil(total / perFile);
  for (let n = 1; n <= files; n++) entries.push([`/sitemaps/articles-${n}.xml`, await addresses.pageLastModified(db, perFile, (n - 1) * perFile)]);
  entries.push(['/news-sitemap.xml', overall]);
  const stream = new SitemapIndexStream();
  const xml = (await streamToPromise(Readable.from(entries.map(([path, lastmod]) => ({ url: site.publicUrl + path, ...(lastmod ? { lastmod } : {}) }))).pipe(stream))).toString('utf8');
  return { xml, lastModified: overall };
}

/**
 * Rows read at a time while an article sitemap file is written. A row costs about 20 µs to read (the
 * address columns come after the article's body in the row), so 500 keep each piece near 10 ms of the
 * main thread, and other requests are served between pieces (see articleSitemap).
 */
const ROWS_PER_READ = 500;

/** Lets the event loop run other requests' work before the next piece (a resolved await would not). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Text made safe for XML element content and quoted attribute values. */
const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

const URLSET_WITH_ALTERNATES = `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="${NS.sitemap}" xmlns:xhtml="http://www.w3.org/1999/xhtml">`;

/** One article's <url> element, with an hreflang alternate for each member of its translation group. */
function articleUrlElement(site: SitemapSite, r: addresses.ArticleAddress, group: readonly addresses.ArticleAddress[] | undefined): string {
  let xml = `<url><loc>${escapeXml(site.publicUrl + r.path)}</loc><lastmod>${escapeXml(r.updatedAt)}</lastmod>`;
  if (group && group.length > 1) {
    for (const m of group) xml += `<xhtml:link rel="alternate" hreflang="${escapeXml(m.language)}" href="${escapeXml(site.publicUrl + m.path)}"/>`;
  }
  return xml + '</url>';
}

/** An article sitemap file, written as it is sent. */
export interface StreamedSitemap {
  /** The newest modification time among the file's articles (its Last-Modified). */
  lastModified: string;
  /**
   * The document in pieces of one read of rows each (a few hundred KB): a 50,000-URL file (about 10 MB)
   * is never held whole, so the server's memory does not grow with the archive.
   */
  chunks: AsyncIterable<string>;
}

/**
 * Page n (from 1) of the article sitemap; not_found past the last page. Rows are read `rowsPerRead` at
 * a time in id order, with the translation groups of just those rows, and each read becomes one piece
 * of the document. The XML is written here rather than by the `sitemap` package, whose object streams
 * took about a second and 90–115 MB of garbage for a 50,000-URL file; the few elements of an article
 * file are escaped by escapeXml (URLs are percent-encoded paths, dates are ISO text).
 */
export async function articleSitemap(db: Db, site: SitemapSite, n: number, perFile = URLS_PER_SITEMAP, rowsPerRead = ROWS_PER_READ): Promise<StreamedSitemap> {
  const offset = (n - 1) * perFile;
  const first = await addresses.publishedAddressPage(db, Math.min(rowsPerRead, perFile), offset);
  if (!first.length && n !== 1) throw new AppError('not_found', `There is no article sitemap ${n}.`);
  const lastModified = first.length ? ((await addresses.pageLastModified(db, perFile, offset)) ?? EPOCH) : EPOCH;
  async function* chunks(): AsyncGenerator<string> {
    yield URLSET_WITH_ALTERNATES;
    let batch = first;
    let written = 0;
    while (batch.length) {
      const groups = await addresses.translationGroupsOf(db, batch.map((r) => r.groupId));
      let piece = '';
      for (const r of batch) piece += articleUrlElement(site, r, groups.get(r.groupId));
      yield piece;
      written += batch.length;
      if (written >= perFile) break;
      await nextTurn();
      batch = await addresses.publishedAddressesAfter(db, batch[batch.length - 1]!.id, Math.min(rowsPerRead, perFile - written));
    }
    yield '</urlset>';
  }
  return { lastModified, chunks: chunks() };
}

/** The whole document of a streamed sitemap (tests, small files). */
export async function sitemapText(sitemap: StreamedSitemap): Promise<string> {
  let xml = '';
  for await (const piece of sitemap.chunks) xml += piece;
  return xml;
}

/** The home page and every section, tag and author listing that has published articles. */
export async function pagesSitemap(db: Db, site: SitemapSite): Promise<RenderedSitemap> {
  const [overall, { sections, tags, authors }] = await Promise.all([addresses.lastModified(db), addresses.listingChanges(db)]);
  const entries: [string, string | null][] = [['/', overall]];
  for (const s of sections) if (s.last) entries.push([sectionPath(s.slug), s.last]);
  for (const t of tags) entries.push([tagPath(t.slug), t.last]);
  for (const p of authors) entries.push([personPath(p.slug), p.last]);
  for (const p of await listPublishedPages(db)) entries.push([p.path, p.updatedAt]);
  const xml = await writeUrlset(entries.map(([path, lastmod]) => ({ url: site.publicUrl + path, ...(lastmod ? { lastmod } : {}) })), {});
  return { xml, lastModified: overall ?? EPOCH };
}

/** Google News sitemap: articles published in the last 48 hours, with publication name and language. */
export async function newsSitemap(db: Db, site: SitemapSite, now = new Date()): Promise<RenderedSitemap> {
  const since = new Date(now.getTime() - NEWS_WINDOW_HOURS * 3_600_000).toISOString();
  const rows = await addresses.publishedSince(db, since, NEWS_MAX_URLS);
  const items = rows.map(
    (r): SitemapItemLoose => ({
      url: site.publicUrl + r.path,
      news: {
        // Google wants an ISO 639 code: the base language of the article's tag.
        publication: { name: site.name, language: r.language.split('-')[0]!.toLowerCase() },
        publication_date: r.publishedAt,
        title: r.headline,
      },
    }),
  );
  const xml = await writeUrlset(items, { news: true });
  // The file also changes when an article leaves the window, which no stored time records: no
  // Last-Modified, so revalidation relies on the ETag alone.
  return { xml, lastModified: null };
}

/** robots.txt: everything may be crawled except search results; the sitemap index is named. */
export function robotsTxt(site: SitemapSite): string {
  return ['User-agent: *', 'Disallow: /search', '', `Sitemap: ${site.publicUrl}/sitemap.xml`, ''].join('\n');
}
