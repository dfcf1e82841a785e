// Every article file the sitemap index lists answers, and together they list each published article
// once; and the search bench times and checks the files the index lists, not a fixed list of names (a
// fixed `/sitemaps/articles-2.xml` answered 404, rightly, on a 20,000-article corpus: one file holds
// 50,000 URLs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { countPublished } from '../../src/articles/article.lookups.ts';
import { createArticle, updateArticle } from '../../src/articles/article.service.ts';
import { AppError } from '../../src/errors.ts';
import { articleSitemap, sitemapIndex, sitemapText } from '../../src/sitemaps/sitemap.service.ts';
import { articleSitemapChecks, listedSitemaps, locPaths } from '../../bench/lib/sitemaps.ts';
import { PUBLIC_URL, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const site = { name: 'Gazette', publicUrl: PUBLIC_URL };
const failed = (checks: { label: string; pass: boolean }[]) => checks.filter((c) => !c.pass).map((c) => c.label);

test('the bench times the sitemap files the index lists; each answers 200, and its checks pass', async () => {
  const listed = await listedSitemaps(server.url);
  assert.deepEqual(listed, ['/sitemaps/pages.xml', '/sitemaps/articles-1.xml', '/news-sitemap.xml'], 'a handful of articles: one article file');
  for (const path of listed) assert.equal((await fetch(server.url + path)).status, 200, path);
  const published = await countPublished(server.store.db);
  assert.ok(published >= 3, 'the demo content has a few published articles');
  assert.deepEqual(failed(await articleSitemapChecks(server.url, listed, published)), []);
});

test("the bench's checks fail on the fixed names it used to ask for, and on a miscount", async () => {
  const published = await countPublished(server.store.db);
  // What the bench timed before, whatever the corpus: articles-1 and articles-2.
  const fixed = ['/sitemaps/articles-1.xml', '/sitemaps/articles-2.xml'];
  const checks = await articleSitemapChecks(server.url, fixed, published);
  assert.deepEqual(failed(checks), ['every article file the index lists answers 200']);
  assert.equal(checks.find((c) => !c.pass)!.measured, '/sitemaps/articles-2.xml 404');
  const listed = await listedSitemaps(server.url);
  assert.deepEqual(failed(await articleSitemapChecks(server.url, listed, published + 1)), ['the article files list every published article once']);
  // An index that left the article files out.
  assert.deepEqual(failed(await articleSitemapChecks(server.url, ['/sitemaps/pages.xml'], published)), [
    'the sitemap index lists article files 1..n with no gap',
    'the article file after the last listed (/sitemaps/articles-1.xml) answers 404',
    'the article files list every published article once',
  ]);
});

test('split into small files over ids with gaps (drafts, an unpublished article), each listed file holds the next published articles once', async () => {
  const db = server.store.db;
  const published = new Set(locPaths((await (await fetch(server.url + '/sitemaps/articles-1.xml')).text())));
  // Published and draft articles interleaved, so the published ids have gaps at file boundaries.
  for (let i = 0; i < 9; i++) {
    const draft = i % 3 === 1;
    const { path } = await createArticle(server.store, { section: 'news', slug: `gap-${i}`, headline: `Gap ${i}`, body: 'x', status: draft ? 'draft' : 'published' });
    if (!draft) published.add(path);
  }
  const { id, path } = await createArticle(server.store, { section: 'news', slug: 'unpublished', headline: 'Unpublished', body: 'x' });
  await updateArticle(server.store, id, { status: 'draft' });
  await createArticle(server.store, { section: 'news', slug: 'last', headline: 'Last', body: 'x' }).then((a) => published.add(a.path));
  assert.ok(!published.has(path));
  assert.equal(await countPublished(db), published.size);

  for (const perFile of [2, 3]) {
    const index = await sitemapIndex(db, site, perFile);
    const files = locPaths(index.xml).filter((p) => p.startsWith('/sitemaps/articles-'));
    assert.equal(files.length, Math.ceil(published.size / perFile), `${published.size} published, ${perFile} per file`);
    const listed: string[] = [];
    for (let n = 1; n <= files.length; n++) {
      assert.equal(files[n - 1], `/sitemaps/articles-${n}.xml`);
      const urls = locPaths(await sitemapText(await articleSitemap(db, site, n, perFile, 1)));
      assert.equal(urls.length, n < files.length ? perFile : published.size - perFile * (files.length - 1), `file ${n} of ${perFile} per file`);
      listed.push(...urls);
    }
    assert.equal(new Set(listed).size, listed.length, 'no article in two files');
    assert.deepEqual([...listed].sort(), [...published].sort());
    await assert.rejects(articleSitemap(db, site, files.length + 1, perFile, 1), (e) => e instanceof AppError && e.code === 'not_found');
  }
});
