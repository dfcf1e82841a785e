// Sitemaps and robots.txt, validated against the sitemap schemas in tests/fixtures/sitemaps with
// libxml2 (xmllint-wasm), and checked for what the schemas cannot say: which URLs, which dates.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { validateXML } from 'xmllint-wasm';
import { createArticle, updateArticle } from '../../src/articles/article.service.ts';
import { AppError } from '../../src/errors.ts';
import { articleSitemap, sitemapIndex, sitemapText } from '../../src/sitemaps/sitemap.service.ts';
import { PUBLIC_URL, startTestServer, type TestServer } from '../helpers/server.ts';

const fixture = (name: string) => ({ fileName: name, contents: fs.readFileSync(new URL(`../fixtures/sitemaps/${name}`, import.meta.url), 'utf8') });
const SCHEMAS = { urlset: fixture('sitemap.xsd'), index: fixture('siteindex.xsd') };
const PRELOAD = [fixture('sitemap-news.xsd'), fixture('xhtml-link.xsd')];

async function assertValid(xml: string, schema: 'urlset' | 'index', name = 'sitemap.xml') {
  const result = await validateXML({ xml: [{ fileName: name, contents: xml }], schema: [SCHEMAS[schema]], preload: PRELOAD });
  assert.ok(result.valid, `${name} should be valid:\n${result.errors.map((e) => e.rawMessage).join('\n')}`);
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['url', 'sitemap', 'xhtml:link'].includes(name) });
type Url = { loc: string; lastmod?: string; 'xhtml:link'?: { '@hreflang': string; '@href': string }[]; 'news:news'?: Record<string, unknown> };

let server: TestServer;
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(server.url + path, { headers });
  return { res, text: await res.text() };
};
const urls = (xml: string): Url[] => parser.parse(xml).urlset.url ?? [];

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

test('the schemas reject what the protocol forbids (so a pass means something)', async () => {
  const bad = '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>yesterday</lastmod></url></urlset>';
  const result = await validateXML({ xml: [{ fileName: 'bad.xml', contents: bad }], schema: [SCHEMAS.urlset], preload: PRELOAD });
  assert.equal(result.valid, false);
  const strayNews =
    '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>http://gazette.test/a</loc><news:news><news:title>t</news:title></news:news></url></urlset>';
  assert.equal((await validateXML({ xml: [{ fileName: 'news.xml', contents: strayNews }], schema: [SCHEMAS.urlset], preload: PRELOAD })).valid, false);
});

describe('sitemap index and article sitemaps', () => {
  test('the index is valid and every sitemap it names is valid too', async () => {
    const { res, text } = await get('/sitemap.xml');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8');
    await assertValid(text, 'index', 'sitemap.xml');
    const listed = (parser.parse(text).sitemapindex.sitemap as { loc: string }[]).map((s) => s.loc);
    assert.deepEqual(listed, [`${PUBLIC_URL}/sitemaps/pages.xml`, `${PUBLIC_URL}/sitemaps/articles-1.xml`, `${PUBLIC_URL}/news-sitemap.xml`]);
    for (const loc of listed) {
      const path = loc.replace(PUBLIC_URL, '');
      const child = await get(path);
      assert.equal(child.res.status, 200, path);
      await assertValid(child.text, 'urlset', path);
    }
  });

  test('every published article is listed once with its real modification time; drafts are not', async () => {
    await createArticle(server.store, { section: 'news', slug: 'draft-sitemap', headline: 'Draft', body: 'x', status: 'draft' });
    const list = urls((await get('/sitemaps/articles-1.xml')).text);
    assert.equal(list.length, 4);
    assert.ok(!list.some((u) => u.loc.endsWith('/draft-sitemap')));
    const seed = list.find((u) => u.loc === `${PUBLIC_URL}/news/disclosure-of-confidential-document`)!;
    assert.equal(seed.lastmod, '2022-01-16T13:45:00.000Z');
  });

  test('translated articles carry hreflang alternates for every language, themselves included', async () => {
    const list = urls((await get('/sitemaps/articles-1.xml')).text);
    const seed = list.find((u) => u.loc.endsWith('/news/disclosure-of-confidential-document'))!;
    const alternates = Object.fromEntries((seed['xhtml:link'] ?? []).map((l) => [l['@hreflang'], l['@href']]));
    assert.deepEqual(alternates, {
      en: `${PUBLIC_URL}/news/disclosure-of-confidential-document`,
      ar: `${PUBLIC_URL}/akhbar/kashf-wathiqa-sirriya`,
      fa: `${PUBLIC_URL}/khabar/efshaye-sanad-mahramaneh`,
    });
    const arabic = list.find((u) => u.loc.endsWith('/akhbar/kashf-wathiqa-sirriya'))!;
    assert.equal(arabic['xhtml:link']?.length, 3);
    const untranslated = list.find((u) => u.loc.includes('/occupied-palestinian-territories/'))!;
    assert.equal(untranslated['xhtml:link'], undefined);
    // The article pages say the same in their heads.
    const doc = parseHTML((await get('/akhbar/kashf-wathiqa-sirriya')).text).document;
    const head = [...doc.querySelectorAll('link[rel=alternate][hreflang]')].map((l) => `${l.getAttribute('hreflang')} ${l.getAttribute('href')}`).sort();
    assert.deepEqual(head, [
      `ar ${PUBLIC_URL}/akhbar/kashf-wathiqa-sirriya`,
      `en ${PUBLIC_URL}/news/disclosure-of-confidential-document`,
      `fa ${PUBLIC_URL}/khabar/efshaye-sanad-mahramaneh`,
    ]);
  });

  test('changing an article moves its lastmod to the time of the change', async () => {
    const { id } = await createArticle(server.store, { section: 'news', slug: 'lastmod', headline: 'Lastmod', body: 'x', publishedAt: '2023-01-01T00:00:00.000Z', updatedAt: '2023-01-01T00:00:00.000Z' });
    assert.equal(urls((await get('/sitemaps/articles-1.xml')).text).find((u) => u.loc.endsWith('/lastmod'))!.lastmod, '2023-01-01T00:00:00.000Z');
    await updateArticle(server.store, id, { body: 'y' }, new Date('2024-05-06T07:08:09.000Z'));
    assert.equal(urls((await get('/sitemaps/articles-1.xml')).text).find((u) => u.loc.endsWith('/lastmod'))!.lastmod, '2024-05-06T07:08:09.000Z');
  });

  test('article sitemaps are paged; each page and the index stay valid', async () => {
    const site = { name: 'Gazette', publicUrl: PUBLIC_URL };
    const db = server.store.db;
    const index = await sitemapIndex(db, site, 2);
    await assertValid(index.xml, 'index');
    const pages = (parser.parse(index.xml).sitemapindex.sitemap as { loc: string }[]).filter((s) => s.loc.includes('/articles-'));
    assert.equal(pages.length, 3, '5 published articles, 2 per file');
    const seen = new Set<string>();
    for (let n = 1; n <= 3; n++) {
      const xml = await sitemapText(await articleSitemap(db, site, n, 2));
      await assertValid(xml, 'urlset', `articles-${n}.xml`);
      for (const u of urls(xml)) seen.add(u.loc);
    }
    assert.equal(seen.size, 5);
    await assert.rejects(articleSitemap(db, site, 4, 2), (e) => e instanceof AppError && e.code === 'not_found');

    // Files are written from several reads of rows: 3 URLs per file read 2 rows at a time.
    const inReads = new Set<string>();
    const perFile: number[] = [];
    for (let n = 1; n <= 2; n++) {
      const xml = await sitemapText(await articleSitemap(db, site, n, 3, 2));
      await assertValid(xml, 'urlset', `articles-${n}.xml (read in parts)`);
      perFile.push(urls(xml).length);
      for (const u of urls(xml)) inReads.add(u.loc);
    }
    assert.deepEqual(perFile, [3, 2]);
    assert.deepEqual([...inReads].sort(), [...seen].sort());
    assert.equal((await get('/sitemaps/articles-2.xml')).res.status, 404);
    assert.equal((await get('/sitemaps/whatever.xml')).res.status, 404);
  });
  test('split over many files read one row at a time, every article is listed once with all its alternates', async () => {
    // The translation groups are read per read of rows: members of a group in other reads and other
    // files must still appear as alternates, exactly as in the single file the server sends.
    const site = { name: 'Gazette', publicUrl: PUBLIC_URL };
    const db = server.store.db;
    const whole = urls((await get('/sitemaps/articles-1.xml')).text);
    assert.ok(whole.length >= 5 && whole.some((u) => (u['xhtml:link'] ?? []).length === 3), 'the seed has a group of three translations');
    const alternates = (u: Url) => (u['xhtml:link'] ?? []).map((l) => `${l['@hreflang']} ${l['@href']}`).sort();
    const split: Url[] = [];
    const files = Math.ceil(whole.length / 2);
    for (let n = 1; n <= files; n++) {
      const xml = await sitemapText(await articleSitemap(db, site, n, 2, 1));
      await assertValid(xml, 'urlset', `articles-${n}.xml (two per file, one row per read)`);
      split.push(...urls(xml));
    }
    await assert.rejects(articleSitemap(db, site, files + 1, 2, 1), (e) => e instanceof AppError && e.code === 'not_found');
    assert.deepEqual(
      split.map((u) => [u.loc, u.lastmod, alternates(u)]),
      whole.map((u) => [u.loc, u.lastmod, alternates(u)]),
    );
  });

  test('an article file is sent gzipped to a client that takes gzip, with the same document', async () => {
    const plain = await get('/sitemaps/articles-1.xml', { 'accept-encoding': 'identity' });
    assert.equal(plain.res.headers.get('content-encoding'), null);
    await assertValid(plain.text, 'urlset', 'articles-1.xml (identity)');
    const res = await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      // fetch would decode it: read the raw bytes with node:http.
      http.get(server.url + '/sitemaps/articles-1.xml', { headers: { 'accept-encoding': 'gzip' } }, (r) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => resolve({ status: r.statusCode!, headers: r.headers, body: Buffer.concat(parts) }));
        r.on('error', reject);
      });
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(res.headers['vary'], 'Accept-Encoding');
    assert.equal(zlib.gunzipSync(res.body).toString('utf8'), plain.text);
    const head = await fetch(server.url + '/sitemaps/articles-1.xml', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'application/xml; charset=utf-8');
    assert.equal(await head.text(), '');
  });

  test('after an article is published, the ETag of an article file no longer answers 304', async () => {
    const before = await get('/sitemaps/articles-1.xml');
    const etag = before.res.headers.get('etag')!;
    assert.equal((await get('/sitemaps/articles-1.xml', { 'if-none-match': etag })).res.status, 304);
    await createArticle(server.store, { section: 'news', slug: 'etag-moves', headline: 'ETag moves', body: 'x', publishedAt: '2023-02-01T00:00:00.000Z' });
    const after = await get('/sitemaps/articles-1.xml', { 'if-none-match': etag });
    assert.equal(after.res.status, 200);
    assert.notEqual(after.res.headers.get('etag'), etag);
    assert.ok(urls(after.text).some((u) => u.loc === `${PUBLIC_URL}/news/etag-moves`));
  });
});

describe('Google News sitemap', () => {
  test('lists articles of the last 48 hours with publication name, language and title', async () => {
    const now = Date.now();
    await createArticle(server.store, { section: 'news', slug: 'fresh', headline: 'Fresh & <new>', body: 'x', publishedAt: new Date(now - 3_600_000).toISOString() });
    await createArticle(server.store, { section: 'khabar', slug: 'taze', language: 'fa', headline: 'خبر تازه', body: 'x', publishedAt: new Date(now - 47 * 3_600_000).toISOString() });
    await createArticle(server.store, { section: 'news', slug: 'stale', headline: 'Three days old', body: 'x', publishedAt: new Date(now - 72 * 3_600_000).toISOString() });
    const { text } = await get('/news-sitemap.xml');
    await assertValid(text, 'urlset', 'news-sitemap.xml');
    const list = urls(text);
    assert.deepEqual(list.map((u) => u.loc), [`${PUBLIC_URL}/news/fresh`, `${PUBLIC_URL}/khabar/taze`]);
    const fresh = list[0]!['news:news'] as { 'news:publication': { 'news:name': string; 'news:language': string }; 'news:title': string; 'news:publication_date': string };
    assert.equal(fresh['news:publication']['news:name'], 'Gazette');
    assert.equal(fresh['news:publication']['news:language'], 'en');
    assert.equal(fresh['news:title'], 'Fresh & <new>');
    assert.ok(text.includes('<news:title>Fresh &amp; &lt;new&gt;</news:title>'));
    assert.equal((list[1]!['news:news'] as { 'news:publication': { 'news:language': string } })['news:publication']['news:language'], 'fa');
  });
});

describe('robots.txt and conditional GET', () => {
  test('robots.txt names the sitemap index and keeps crawlers out of search results', async () => {
    const { res, text } = await get('/robots.txt');
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(text, /^User-agent: \*$/m);
    assert.match(text, /^Disallow: \/search$/m);
    assert.match(text, new RegExp(`^Sitemap: ${PUBLIC_URL}/sitemap\\.xml$`, 'm'));
  });

  test('sitemaps answer If-None-Match and If-Modified-Since with 304', async () => {
    for (const path of ['/sitemap.xml', '/sitemaps/articles-1.xml', '/sitemaps/pages.xml']) {
      const first = await get(path);
      const etag = first.res.headers.get('etag')!;
      const lastModified = first.res.headers.get('last-modified')!;
      assert.ok(etag && lastModified, path);
      assert.equal((await get(path, { 'if-none-match': etag })).res.status, 304, path);
      assert.equal((await get(path, { 'if-modified-since': lastModified })).res.status, 304, path);
      assert.equal((await get(path, { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).res.status, 200, path);
    }
    const news = await get('/news-sitemap.xml');
    assert.equal(news.res.headers.get('last-modified'), null, 'the news sitemap changes as time passes: ETag only');
    assert.equal((await get('/news-sitemap.xml', { 'if-none-match': news.res.headers.get('etag')! })).res.status, 304);
  });
});
