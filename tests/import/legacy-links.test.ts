// Old WordPress addresses after `gazette import wordpress` (issue 14 part 3, decision 0031): every shape
// of old link answers 301 to the new address, over real HTTP, for a site in a subfolder with day-and-name
// permalinks and Arabic slugs (legacy-links.xml) and for WordPress's theme unit test data at the root;
// unknown shapes, drafts and other methods are not redirected; links to the old site in imported bodies
// are rewritten.
import assert from 'node:assert/strict';
import path from 'node:path';
import { Readable } from 'node:stream';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { articleImageUsage } from '../../src/articles/article.images.ts';
import { recordMapping } from '../../src/import/import.repository.ts';
import { LEGACY_CACHE_CONTROL } from '../../src/import/legacy-links.routes.ts';
import { parseWxrFile } from '../../src/import/wxr.parser.ts';
import { uploadImage, type MediaDeps } from '../../src/media/image.service.ts';
import { localStorage } from '../../src/media/media.storage.ts';
import { runCli, type TestServer } from '../helpers/server.ts';
import { account } from '../newsroom/helpers.ts';
import { countRows, FIXTURES, importServer } from './helpers.ts';

const OLD_SITE = 'http://old.example.org/blog';

const NEWS = encodeURIComponent('أخبار');
const HARBOUR = '/middle-east/harbour-reopens';
const ARABIC = `/${NEWS}/${encodeURIComponent('الميناء')}`;
const ARABIC_OLD = '/blog/2020/02/03/%d8%a7%d9%84%d9%85%d9%8a%d9%86%d8%a7%d8%a1/';

describe('old WordPress addresses', () => {
  let server: TestServer;
  let picture: { id: number };

  const request = (address: string, init: RequestInit = {}) => fetch(server.url + address, { redirect: 'manual', ...init });

  /** Asserts a 301 to `to` (a path, or a pattern for it), cacheable as decided; returns the Location. */
  async function movedTo(address: string, to: string | RegExp, method = 'GET'): Promise<string> {
    const r = await request(address, { method });
    await r.arrayBuffer();
    assert.equal(r.status, 301, `${method} ${address}`);
    const location = r.headers.get('location') ?? '';
    if (typeof to === 'string') assert.equal(location, to, address);
    else assert.match(location, to, address);
    assert.equal(r.headers.get('cache-control'), LEGACY_CACHE_CONTROL, address);
    return location;
  }

  async function status(address: string, init: RequestInit = {}): Promise<number> {
    const r = await request(address, init);
    await r.arrayBuffer();
    return r.status;
  }

  const legacyCount = () => countRows(server, 'legacy_links');

  importServer((s) => (server = s));
  before(async () => {
    // The attachments importer records each upload as import_map (kind 'upload', path under uploads/): made here by hand.
    const deps: MediaDeps = { store: server.store, storage: localStorage(server.config.mediaDir), settings: server.config.images, usage: articleImageUsage };
    const editor = await account(server, 'editor');
    const bytes = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#2266aa' } }).jpeg().toBuffer();
    picture = await uploadImage(deps, editor, { fileName: 'photo.jpg', stream: Readable.from([bytes]), truncated: () => false }, { alt: 'The quay' });
    await recordMapping(server.store.db, OLD_SITE, 'upload', '2020/01/photo.jpg', picture.id, new Date().toISOString());
    const r = await runCli(server, ['import', 'wordpress', path.join(FIXTURES, 'legacy-links.xml')]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
  });

  it("answers a post's own link, with or without its slash, and the other permalink shapes, with 301 to the article", async () => {
    for (const old of ['/blog/2020/01/15/harbour-reopens/', '/blog/2020/01/15/harbour-reopens', '/blog/2020/01/harbour-reopens/', '/blog/harbour-reopens/', '/blog/harbour-reopens', '/blog/archives/101', '/blog/?p=101', '/blog?p=101', '/Blog/2020/01/15/Harbour-Reopens/']) {
      await movedTo(old, HARBOUR);
    }
    await movedTo('/blog/2020/01/15/harbour-reopens/', HARBOUR, 'HEAD');
    const page = await fetch(server.url + HARBOUR);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /The harbour reopens/);
    await movedTo('/blog/2020/01/15/harbour-reopens/feed/', `${HARBOUR}/comments.xml`);
    await movedTo('/blog/harbour-reopens/feed', `${HARBOUR}/comments.xml`);
    assert.equal(await status(`${HARBOUR}/comments.xml`), 200);
  });

  it('answers Arabic slugs however they are percent-encoded', async () => {
    await movedTo(ARABIC_OLD, ARABIC);
    await movedTo(ARABIC_OLD.toUpperCase().replace('/BLOG/', '/blog/'), ARABIC);
    await movedTo(ARABIC_OLD.replace(/\/$/, ''), ARABIC);
    await movedTo('/blog/?p=102', ARABIC);
    await movedTo(`/blog/category/${NEWS.toLowerCase()}/`, `/${NEWS}/`);
    assert.equal(await status(ARABIC), 200);
  });

  it('answers pages, categories (nested), tags, authors and feeds', async () => {
    await movedTo('/blog/about/contact/', '/contact');
    await movedTo('/blog/?page_id=201', '/contact');
    await movedTo('/blog/contact/', '/contact');
    await movedTo('/blog/category/world/middle-east/', '/middle-east/');
    await movedTo('/blog/category/middle-east/', '/middle-east/');
    await movedTo('/blog/category/world', '/world/');
    await movedTo('/blog/?cat=4', '/middle-east/');
    await movedTo('/blog/category/world/middle-east/feed/', '/feeds/section/middle-east.xml');
    await movedTo('/blog/tag/ports/', '/tag/harbour-news/');
    await movedTo('/blog/tag/ports/feed/', '/feeds/tag/harbour-news.xml');
    await movedTo('/blog/author/rana-haddad/', '/author/rana-haddad/');
    await movedTo('/blog/?author=7', '/author/rana-haddad/');
    await movedTo('/blog/author/rana-haddad/feed/', '/feeds/author/rana-haddad.xml');
    await movedTo('/blog/feed/', '/feed.xml');
    await movedTo('/blog/feed/atom/', '/feed.atom');
    await movedTo('/blog/feed/rss2/', '/feed.xml');
    await movedTo('/blog/comments/feed/', '/feed.xml');
    await movedTo('/blog/', '/');
    for (const to of ['/contact', '/middle-east/', '/world/', '/tag/harbour-news/', '/author/rana-haddad/', '/feed.xml', '/feed.atom', '/feeds/section/middle-east.xml']) assert.equal(await status(to), 200, to);
  });

  it('answers an upload, in any size WordPress cut, with the picture from the media library', async () => {
    const full = await movedTo('/blog/wp-content/uploads/2020/01/photo.jpg', /^\/media\/images\//);
    assert.equal(await movedTo('/blog/wp-content/uploads/2020/01/photo-300x200.jpg', /^\/media\//), full);
    const image = await fetch(server.url + full);
    assert.equal(image.status, 200);
    assert.match(image.headers.get('content-type') ?? '', /^image\//);
    assert.equal(await status('/blog/wp-content/uploads/2020/01/nothing-300x200.jpg'), 404);
  });

  it('leaves unknown shapes, drafts, other methods and the new addresses alone', async () => {
    for (const unknown of ['/blog/2020/01/15/no-such-story/', '/2020/01/15/harbour-reopens/', '/blog/unfinished-story/', '/?p=101', '/?p=999999', '/blog/category/nowhere/', '/blog/tag/nothing/', '/blog/wp-content/uploads/2020/01/other.jpg']) {
      assert.equal(await status(unknown), 404, unknown);
    }
    // A query link to a post that is not public, under the old subfolder, leads to the old front page
    // (the subfolder's own address), which is now the home page.
    await movedTo('/blog/?p=103', '/');
    assert.equal(await status('/blog/2020/01/15/harbour-reopens/', { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 404);
    assert.equal(await status('/blog/?p=101', { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 404);
    assert.equal(await status(HARBOUR), 200);
    assert.equal(await status('/'), 200);
    // Nothing sends a reader to another host, however the address is written.
    for (const odd of ['//evil.example.com/blog/feed/', '/blog/feed/%2F%2Fevil.example.com', '/%5Cevil.example.com/blog/feed/']) {
      const r = await request(odd);
      await r.arrayBuffer();
      const location = r.headers.get('location');
      assert.ok(location === null || /^\/(?![/\\])/.test(location), `${odd} -> ${location}`);
    }
  });

  it('rewrote links to the old site in imported articles and pages, and left the rest', async () => {
    const english = await (await fetch(server.url + HARBOUR)).text();
    assert.ok(english.includes(`href="${ARABIC}#comments"`), 'the Arabic report, by its permalink (fragment kept)');
    assert.ok(english.includes('href="/middle-east/"'), 'the category, on the www. host');
    assert.ok(english.includes('href="http://old.example.org/blog/?p=103"'), 'a draft has no public address: the link stays');
    assert.ok(english.includes('href="http://elsewhere.example.com/2020/01/15/harbour-reopens/"'), 'another site is left alone');
    assert.doesNotMatch(english, /wp-content\/uploads/);
    assert.match(english, /<img[^>]* src="\/media\/images\//);
    const arabic = await (await fetch(server.url + ARABIC)).text();
    assert.ok(arabic.includes(`href="${HARBOUR}"`), 'a root-relative old link');
    const contact = await (await fetch(`${server.url}/contact`)).text();
    assert.ok(contact.includes(`href="${HARBOUR}"`), 'a page (Markdown)');
  });

  it('importing again records nothing twice, and the addresses still answer', async () => {
    const before = await legacyCount();
    const r = await runCli(server, ['import', 'wordpress', path.join(FIXTURES, 'legacy-links.xml')]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(await legacyCount(), before);
    await movedTo('/blog/2020/01/15/harbour-reopens/', HARBOUR);
    const english = await (await fetch(server.url + HARBOUR)).text();
    assert.ok(english.includes(`href="${ARABIC}#comments"`));
  });

  it("answers every published post's and page's link of the theme unit test data, and ?p= / ?page_id=", async () => {
    const file = path.join(FIXTURES, 'theme-unit-test-data.xml');
    const r = await runCli(server, ['import', 'wordpress', file]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const doc = await parseWxrFile(file);
    const published = doc.items.filter((i) => (i.postType === 'post' || i.postType === 'page') && i.status === 'publish' && !i.postPassword);
    assert.ok(published.length > 40);
    for (const item of published) {
      const link = new URL(item.link);
      const to = await movedTo(link.pathname + link.search, /^\/[^/\\]/);
      assert.equal(await status(to), 200, `${item.link} -> ${to}`);
      await movedTo(item.postType === 'post' ? `/?p=${item.postId}` : `/?page_id=${item.postId}`, to);
    }
    const hidden = doc.items.find((i) => i.postType === 'post' && i.status === 'draft')!;
    assert.equal(await status(`/?p=${hidden.postId}`), 404);
    await movedTo('/category/parent/child-1/child-2/', /^\/child-2\/$/);
    // A tag whose new address is its old one answers there itself.
    assert.equal(await status('/tag/8bit/'), 200);
    await movedTo('/feed/', '/feed.xml');
    // The subfolder site's addresses are still its own.
    await movedTo('/blog/2020/01/15/harbour-reopens/', HARBOUR);
  });
});
