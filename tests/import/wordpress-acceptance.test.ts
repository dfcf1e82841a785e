// Issue 14's acceptance over real HTTP: after importing WordPress's theme unit test data (and a small
// export with every status WordPress keeps from the public), every public page answers 200 with valid
// HTML (Nu Html Checker, one run for all pages) and valid schema.org JSON-LD, every feed is valid, the
// posts WordPress did not show to everyone are at no public door, and the imported comments are
// threaded under their posts with held and spam ones hidden.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { XMLValidator } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { publishDueArticles } from '../../src/articles/article.workflow.ts';
import { runCli, startTestServer, tempDir, type TestServer } from '../helpers/server.ts';
import { subjectsOfType, toRdf, vocabularyProblems } from '../conformance/schemaorg.ts';

const require = createRequire(import.meta.url);
const VNU_JAR = String(require('vnu-jar'));
const JAVA = process.env.JAVA ?? 'java';
const jsonFeedSchema = require('jsonfeed-schema/schema-v1.1.json') as object;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const THEME = path.resolve(import.meta.dirname, '../fixtures/wordpress/theme-unit-test-data.xml');
/** A word only the posts of the status export carry, so search and listings can be asked for it. */
const MARK = 'zebracorn';

/** A WXR 1.2 export with one post in each status WordPress keeps from the public, pages likewise, and a thread. */
function statusExport(): string {
  const comment = (id: number, parent: number, approved: string, text: string) =>
    `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>Reader ${id}</wp:comment_author><wp:comment_author_email>reader${id}@example.org</wp:comment_author_email><wp:comment_date_gmt>2020-05-0${1 + (id % 8)} 10:00:00</wp:comment_date_gmt><wp:comment_content>${text}</wp:comment_content><wp:comment_approved>${approved}</wp:comment_approved><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>`;
  const item = (id: number, type: string, status: string, slug: string, extra = '', date = '2020-05-01 09:00:00') =>
    `<item><title>${MARK} ${status} ${type} ${id}</title><dc:creator>ed</dc:creator><content:encoded><![CDATA[The ${MARK} ${status} text of ${id}.]]></content:encoded>
<wp:post_id>${id}</wp:post_id><wp:post_date>${date}</wp:post_date><wp:post_date_gmt>${date}</wp:post_date_gmt><wp:comment_status>open</wp:comment_status><wp:post_name>${slug}</wp:post_name><wp:status>${status}</wp:status><wp:post_type>${type}</wp:post_type>
<category domain="category" nicename="hushed"><![CDATA[Hushed]]></category><category domain="post_tag" nicename="hush"><![CDATA[hush]]></category>${extra}</item>`;
  const secretComment = comment(50, 0, '1', `A ${MARK} comment on a hidden post`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Statuses</title><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://statuses.example</wp:base_site_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>ed</wp:author_login><wp:author_email>ed@example.org</wp:author_email><wp:author_display_name>Ed</wp:author_display_name></wp:author>
${item(9001, 'post', 'pending', 'pending-post', secretComment)}
${item(9002, 'post', 'private', 'private-post')}
${item(9003, 'post', 'future', 'future-post', '', '2099-06-01 08:00:00')}
${item(9004, 'post', 'future', 'missed-post', '', '2001-06-01 08:00:00')}
${item(9005, 'post', 'publish', 'protected-post', '<wp:post_password>secret</wp:post_password>')}
${item(9006, 'post', 'draft', 'draft-post')}
${item(9007, 'post', 'publish', 'public-post', comment(60, 0, '1', 'Top') + comment(61, 60, '1', 'Reply one') + comment(62, 61, '1', 'Reply two') + comment(63, 0, '0', `Held ${MARK}`) + comment(64, 60, 'spam', `Spam ${MARK}`))}
${item(9101, 'page', 'private', 'private-page')}
${item(9102, 'page', 'pending', 'pending-page')}
${item(9103, 'page', 'draft', 'draft-page')}
${item(9104, 'page', 'publish', 'protected-page', '<wp:post_password>secret</wp:post_password>')}
</channel></rss>`;
}

interface Fetched {
  status: number;
  type: string;
  body: string;
}

interface VnuMessage {
  type: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An address as text ends at a quote, an angle bracket, a space, a #, a ? or the end. */
const mentions = (body: string, address: string) => new RegExp(`${escapeRegExp(address)}(?=["'<>\\s#?)]|$)`).test(body);

describe('WordPress import acceptance: the theme unit test data, served', () => {
  let server: TestServer;
  const tmp = tempDir('gazette-wp-accept-');
  const fetched = new Map<string, Fetched>();
  const htmlFiles = new Map<string, string>();
  let vnu = new Map<string, VnuMessage[]>();
  const control = path.join(tmp.dir, 'control-invalid.html');
  let published: { id: number; path: string; headline: string }[] = [];
  let hidden: { id: number; path: string; headline: string; status: string; wpId: string }[] = [];
  let hiddenPages: string[] = [];

  async function get(address: string): Promise<Fetched> {
    const known = fetched.get(address);
    if (known) return known;
    const response = await fetchOnce(address);
    const f = { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
    fetched.set(address, f);
    return f;
  }

  /**
   * One GET. A kept-alive socket the server closed while a long check ran (the JSON-LD one takes a
   * while) fails the next request with ECONNRESET before any byte is sent: that request is sent again
   * once, on a new socket; any other failure is reported with its address.
   */
  async function fetchOnce(address: string, again = true): Promise<Response> {
    try {
      return await fetch(server.url + address);
    } catch (error) {
      const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
      if (again && cause?.code === 'ECONNRESET') return fetchOnce(address, false);
      throw new Error(`GET ${address}: ${(error as Error).message} (${String(cause)})`);
    }
  }

  /** A listing page and the pages after it (rel="next"). */
  async function listingPages(first: string): Promise<string[]> {
    const pages: string[] = [];
    let next: string | null = first;
    while (next && pages.length < 20) {
      pages.push(next);
      const page = await get(next);
      const link: string | null | undefined = parseHTML(page.body).document.querySelector('link[rel="next"]')?.getAttribute('href');
      next = link ? new URL(link, server.url).pathname + new URL(link, server.url).search : null;
    }
    return pages;
  }

  before(async () => {
    server = await startTestServer({ demo: false });
    const theme = await runCli(server, ['import', 'wordpress', THEME]);
    assert.equal(theme.code, 0, theme.stderr + theme.stdout);
    const statusFile = path.join(tmp.dir, 'statuses.xml');
    fs.writeFileSync(statusFile, statusExport());
    const statuses = await runCli(server, ['import', 'wordpress', statusFile]);
    assert.equal(statuses.code, 0, statuses.stderr + statuses.stdout);

    const db = server.store.db;
    const articles = await db
      .selectFrom('articles as a')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .innerJoin('import_map as m', (j) => j.onRef('m.gazette_id', '=', 'a.id').on('m.kind', '=', 'post'))
      .select(['a.id', 'a.slug', 'a.headline', 'a.status', 's.slug as section', 'm.wp_id'])
      .execute();
    const pathOf = (a: { section: string; slug: string }) => `/${a.section}/${encodeURIComponent(a.slug)}`;
    published = articles.filter((a) => a.status === 'published').map((a) => ({ id: a.id, path: pathOf(a), headline: a.headline }));
    hidden = articles.filter((a) => a.status !== 'published').map((a) => ({ id: a.id, path: pathOf(a), headline: a.headline, status: a.status, wpId: a.wp_id }));
    const pages = await db.selectFrom('pages').select(['slug', 'status']).execute();
    hiddenPages = pages.filter((p) => p.status !== 'published').map((p) => `/${encodeURIComponent(p.slug)}`);

    // Every public HTML page: listings (with their further pages), articles, static pages, search.
    const sections = await db.selectFrom('sections').select('slug').execute();
    const tags = await db.selectFrom('tags').select('slug').execute();
    const people = await db.selectFrom('people').select('slug').execute();
    const listings = ['/', ...sections.map((s) => `/${s.slug}/`), ...tags.map((t) => `/tag/${encodeURIComponent(t.slug)}/`), ...people.map((p) => `/author/${p.slug}/`)];
    const html: string[] = [];
    for (const first of listings) html.push(...(await listingPages(first)));
    html.push(...published.map((a) => a.path));
    html.push(...pages.filter((p) => p.status === 'published').map((p) => `/${encodeURIComponent(p.slug)}`));
    html.push('/search?q=template', `/search?q=${MARK}`, ...hidden.map((h) => `/search?q=${encodeURIComponent(h.headline)}`));
    for (const [i, address] of html.entries()) {
      const page = await get(address);
      const file = path.join(tmp.dir, `page-${i}.html`);
      fs.writeFileSync(file, page.body);
      htmlFiles.set(address, file);
    }

    // Feeds, comment feeds, sitemaps and the Content API: fetched now, so every door is checked below.
    for (const f of ['/feed.xml', '/feed.atom', '/feed.json']) await get(f);
    for (const [kind, slugs] of [['section', sections], ['tag', tags], ['author', people]] as const)
      for (const { slug } of slugs) for (const ext of ['xml', 'atom', 'json']) await get(`/feeds/${kind}/${encodeURIComponent(slug)}.${ext}`);
    for (const a of published) await get(`${a.path}/comments.xml`);
    const index = await get('/sitemap.xml');
    for (const loc of index.body.matchAll(/<loc>([^<]+)<\/loc>/g)) await get(new URL(loc[1]!).pathname);
    await get('/news-sitemap.xml');
    let cursor: string | null = '';
    for (let n = 0; cursor !== null && n < 20; n++) {
      const address: string = `/api/content/articles?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      cursor = (JSON.parse((await get(address)).body) as { nextCursor: string | null }).nextCursor;
    }
    for (const a of ['/api/content/pages', '/api/content/sections', '/api/content/tags', '/api/content/authors', `/api/content/search?q=${MARK}`, '/api/content/search?q=template']) await get(a);

    // One run of the Nu Html Checker for every page, and a control page with a known error, which
    // proves the checker ran and its report is read.
    fs.writeFileSync(control, '<!DOCTYPE html><html lang="en"><head><title>control</title></head><body><p id="x">a</p><p id="x">b</p></body></html>');
    const run = spawnSync(JAVA, ['-jar', VNU_JAR, '--errors-only', '--format', 'json', control, ...htmlFiles.values()], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (run.error) throw new Error(`Cannot run the Nu Html Checker with "${JAVA}": ${run.error.message}`);
    const report = JSON.parse(run.stderr) as { messages: VnuMessage[] };
    vnu = new Map();
    for (const m of report.messages) {
      const file = m.url ? fileURLToPath(m.url) : '(no file)';
      vnu.set(file, [...(vnu.get(file) ?? []), m]);
    }
  });
  after(async () => {
    await server?.close();
    tmp.remove();
  });

  it('imports the posts WordPress keeps from the public into the matching workflow states', async () => {
    const byWp = new Map(hidden.map((h) => [h.wpId, h.status]));
    // Theme data: a draft (1164), a scheduled post for 2030 (1153), a password-protected one (1168).
    assert.deepEqual(
      ['1164', '1153', '1168', '9001', '9002', '9003', '9004', '9005', '9006'].map((id) => [id, byWp.get(id)]),
      [['1164', 'draft'], ['1153', 'scheduled'], ['1168', 'draft'], ['9001', 'review'], ['9002', 'draft'], ['9003', 'scheduled'], ['9004', 'draft'], ['9005', 'draft'], ['9006', 'draft']],
    );
    const scheduled = await server.store.db.selectFrom('articles').select(['id', 'scheduled_at', 'published_at']).where('status', '=', 'scheduled').orderBy('scheduled_at').execute();
    assert.deepEqual(scheduled.map((a) => [a.scheduled_at, a.published_at]), [['2030-01-01T19:00:18.000Z', null], ['2099-06-01T08:00:00.000Z', null]]);
    const pages = await server.store.db.selectFrom('pages').select(['slug', 'status']).where('slug', 'in', ['private-page', 'pending-page', 'draft-page', 'protected-page']).orderBy('slug').execute();
    assert.deepEqual(pages.map((p) => [p.slug, p.status]), [['draft-page', 'draft'], ['pending-page', 'draft'], ['private-page', 'draft'], ['protected-page', 'draft']]);
    assert.equal(hidden.length, 9);
    assert.ok(published.length >= 55, `${published.length} published articles`);
  });

  it('every public page answers 200 with HTML the Nu Html Checker finds valid', () => {
    assert.ok(htmlFiles.size > 250, `${htmlFiles.size} pages checked`);
    assert.ok((vnu.get(control) ?? []).some((m) => /Duplicate ID/.test(m.message)), 'the checker reports the control page');
    const problems: string[] = [];
    for (const [address, file] of htmlFiles) {
      const f = fetched.get(address)!;
      if (f.status !== 200) problems.push(`${address}: status ${f.status}`);
      for (const m of vnu.get(file) ?? []) problems.push(`${address}:${m.lastLine ?? '?'} ${m.type}: ${m.message}${m.extract ? ` — ${m.extract.replace(/\n/g, '⏎')}` : ''}`);
    }
    assert.deepEqual(problems, []);
  });

  it('every page with JSON-LD carries valid schema.org data; each article one NewsArticle', async () => {
    const problems: string[] = [];
    const articlePaths = new Set(published.map((a) => a.path));
    for (const address of htmlFiles.keys()) {
      const { document } = parseHTML(fetched.get(address)!.body);
      const blocks = [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent ?? '');
      let articles = 0;
      for (const block of blocks) {
        try {
          const quads = await toRdf(JSON.parse(block));
          problems.push(...vocabularyProblems(quads).map((p) => `${address}: ${p}`));
          articles += subjectsOfType(quads, 'NewsArticle').length;
        } catch (error) {
          problems.push(`${address}: ${(error as Error).message}`);
        }
      }
      if (articlePaths.has(address) && articles !== 1) problems.push(`${address}: ${articles} NewsArticle nodes`);
    }
    assert.deepEqual(problems, []);
  });

  it('every feed is valid RSS 2.0, Atom or JSON Feed 1.1', () => {
    const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(jsonFeedSchema);
    const problems: string[] = [];
    let feeds = 0;
    for (const [address, f] of fetched) {
      const kind = /\/comments\.xml$|\.xml$/.test(address) && !address.includes('sitemap') ? 'rss' : address.endsWith('.atom') ? 'atom' : /^\/feed\.json$|^\/feeds\/.*\.json$/.test(address) ? 'json' : null;
      if (!kind) continue;
      feeds++;
      if (f.status !== 200) {
        problems.push(`${address}: status ${f.status}`);
        continue;
      }
      if (kind === 'json') {
        if (!validate(JSON.parse(f.body))) problems.push(`${address}: ${JSON.stringify(validate.errors)}`);
        continue;
      }
      const wellFormed = XMLValidator.validate(f.body);
      if (wellFormed !== true) problems.push(`${address}: ${JSON.stringify(wellFormed)}`);
      else if (parseFeed(f.body).meta.type !== kind) problems.push(`${address}: not ${kind}`);
    }
    assert.ok(feeds > 500, `${feeds} feeds checked`);
    assert.deepEqual(problems, []);
  });

  it('sitemaps are well-formed and list every published article', () => {
    const sitemaps = [...fetched].filter(([address]) => /sitemap/.test(address));
    assert.ok(sitemaps.length >= 3, `${sitemaps.length} sitemaps`);
    for (const [address, f] of sitemaps) {
      assert.equal(f.status, 200, address);
      assert.equal(XMLValidator.validate(f.body), true, address);
    }
    const all = sitemaps.map(([, f]) => f.body).join('\n');
    for (const a of published) assert.ok(mentions(all, a.path), `${a.path} in a sitemap`);
  });

  it('posts and pages WordPress kept from the public are at no public door', async () => {
    const doors: string[] = [];
    for (const h of hidden) {
      for (const address of [h.path, `${h.path}/comments.xml`, `/api/content/articles/${h.id}`]) {
        const status = (await get(address)).status;
        if (status !== 404) doors.push(`${address} (${h.status}): ${status}`);
      }
    }
    for (const p of hiddenPages) if ((await get(p)).status !== 404) doors.push(`${p}: ${(await get(p)).status}`);
    // No listing, feed, sitemap, search result or API answer names them.
    for (const [address, f] of fetched) {
      if (f.status !== 200) continue;
      // A search page repeats its query, so the headlines searched for are looked for only elsewhere.
      const searched = address.includes('search?');
      for (const h of hidden) if (mentions(f.body, h.path) || (!searched && h.headline.startsWith(MARK) && f.body.includes(h.headline))) doors.push(`${address} shows ${h.path} (${h.status})`);
      for (const p of hiddenPages) if (mentions(f.body, p) && !address.startsWith('/search')) doors.push(`${address} links ${p}`);
      if (f.body.includes(`${MARK} comment on a hidden post`)) doors.push(`${address} shows a comment of a hidden post`);
    }
    assert.deepEqual(doors, []);
    // The control: the one public post of the status export is found by the same search.
    assert.ok(mentions(fetched.get(`/search?q=${MARK}`)!.body, '/hushed/public-post'), 'search finds the public post');
    assert.ok(fetched.get(`/api/content/search?q=${MARK}`)!.body.includes('public-post'), 'the API search finds the public post');
  });

  it('imported comments are threaded under their posts; held and spam ones are not shown', async () => {
    const db = server.store.db;
    const comments = await db
      .selectFrom('comments as c')
      .innerJoin('articles as a', 'a.id', 'c.article_id')
      .select(['c.id', 'c.parent_id', 'c.status', 'c.body', 'c.article_id'])
      .where('a.status', '=', 'published')
      .execute();
    const threaded = comments.filter((c) => c.parent_id !== null && c.status === 'approved');
    assert.ok(threaded.length >= 10, `${threaded.length} threaded replies`);
    assert.deepEqual([comments.some((c) => c.status === 'pending'), comments.some((c) => c.status === 'spam')], [true, true], 'held and spam comments were imported');
    const problems: string[] = [];
    for (const a of published) {
      const own = comments.filter((c) => c.article_id === a.id);
      if (!own.length) continue;
      const { document } = parseHTML((await get(a.path)).body);
      for (const c of own) {
        const li = document.getElementById(`comment-${c.id}`);
        if (c.status !== 'approved') {
          if (li) problems.push(`${a.path}: ${c.status} comment ${c.id} is shown`);
          continue;
        }
        if (!li) {
          problems.push(`${a.path}: comment ${c.id} is missing`);
          continue;
        }
        const parentLi = li.parentElement?.closest('li.comment');
        const expected = c.parent_id === null ? null : `comment-${c.parent_id}`;
        if ((parentLi?.id ?? null) !== expected) problems.push(`${a.path}: comment ${c.id} is under ${parentLi?.id ?? 'the post'}, not ${expected ?? 'the post'}`);
      }
    }
    assert.deepEqual(problems, []);
    const page = (await get('/hushed/public-post')).body;
    assert.doesNotMatch(page, new RegExp(`Held ${MARK}|Spam ${MARK}`));
    assert.doesNotMatch(page, /reader\d+@example\.org/);
  });

  it('a scheduled import is published by the scheduler at its WordPress date', async () => {
    const future = hidden.find((h) => h.wpId === '9003')!;
    const done = await publishDueArticles(server.store, new Date('2100-01-01T00:00:00Z'));
    assert.ok(done.includes(future.id), `published ${done.join(', ')}`);
    const row = await server.store.db.selectFrom('articles').select(['status', 'published_at']).where('id', '=', future.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.published_at], ['published', '2099-06-01T08:00:00.000Z']);
    assert.equal((await fetch(server.url + future.path)).status, 200);
    // The review post stays where an editor will find it.
    const review = hidden.find((h) => h.wpId === '9001')!;
    assert.equal((await fetch(server.url + review.path)).status, 404);
  });
});
