// Every file of WordPress importer's test data (phpunit/data and the e2e fixtures, copied into
// tests/fixtures/wordpress/) with the values expectations.json transcribes from its tests, read by the
// parser and imported into the engine under test. Values Gazette has no place for are checked where
// they still exist: meta values as the parser keeps them (the SEO import reads them from there), PHP
// serialised ones decoded with a small reader. Files covered elsewhere: wxr-parser.test.ts (valid-wxr-1.0/1.1,
// wxr-simple, crazy-cdata-escaped, malformed, missing-version-tag), wordpress-import.test.ts
// (small-export, slashes, theme-unit-test-data), wordpress-acceptance.test.ts (theme data served).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { parseWxrFile, type WxrDocument } from '../../src/import/wxr.parser.ts';
import type { ImportSummary } from '../../src/import/wordpress.import.ts';
import type { TestServer } from '../helpers/server.ts';
import { phpUnserialize } from '../helpers/php-serialize.ts';
import { fixture, importServer, runImport } from './helpers.ts';

const expectations = JSON.parse(fs.readFileSync(fixture('expectations.json'), 'utf8'));
const parser = expectations.parser;
const imported = expectations.import;
const e2e = expectations['e2e (Playwright against WordPress Playground; e2e-fixtures/)'];

/** Meta values by key of the item with this WordPress id, PHP-serialised ones decoded. */
function metaOf(doc: WxrDocument, postId: string): Record<string, unknown> {
  const item = doc.items.find((i) => i.postId === postId);
  assert.ok(item, `item ${postId}`);
  return Object.fromEntries(item.postmeta.map((m) => [m.key, /^(a|O|s|i|b|d):\d*[:;]/.test(m.value) ? phpUnserialize(m.value) : m.value]));
}

const byTaxonomy = (doc: WxrDocument, taxonomy: string) => doc.terms.filter((t) => t.taxonomy === taxonomy);
const otherTerms = (doc: WxrDocument) => doc.terms.filter((t) => t.taxonomy !== 'category' && t.taxonomy !== 'post_tag');

describe('WordPress importer test data: what the parser reads', () => {
  it('post-content-blank-lines.xml: the content keeps its three line breaks', async () => {
    const doc = await parseWxrFile(fixture('post-content-blank-lines.xml'));
    assert.equal(doc.items[0]!.content.split('\n').length - 1, parser['post-content-blank-lines.xml']['posts[0].post_content newline count']);
  });

  it('blank-lines.xml and backslashes.xml: blank lines and backslashes kept verbatim', async () => {
    const blank = (await parseWxrFile(fixture('blank-lines.xml'))).items[0]!.content;
    assert.ok(blank.includes(parser['blank-lines.xml']['posts[0].post_content contains']), JSON.stringify(blank));
    const slashes = (await parseWxrFile(fixture('backslashes.xml'))).items[0]!.content;
    assert.ok(slashes.includes(parser['backslashes.xml']['posts[0].post_content contains']), slashes);
  });

  it('term-formats.xml: categories, tags and other terms in each of their spellings', async () => {
    const want = parser['term-formats.xml'];
    const doc = await parseWxrFile(fixture('term-formats.xml'));
    assert.deepEqual(
      { base_url: doc.siteUrl, authors: doc.authors.length, posts: doc.items.length, categories: byTaxonomy(doc, 'category').length, tags: byTaxonomy(doc, 'post_tag').length },
      { base_url: want.base_url, authors: want.authors, posts: want.posts, categories: want.categories, tags: want.tags },
    );
    // Its parser's "terms" are those of every other taxonomy: here a custom one and a menu (nav_menu).
    assert.deepEqual(otherTerms(doc).map((t) => t.taxonomy), ['custom-taxonomy', 'nav_menu']);
    assert.equal(otherTerms(doc).length, want.terms);
  });

  it('test-serialized-term-meta.xml and term-meta.xml: the terms (term meta has no place in Gazette)', async () => {
    const want = parser['test-serialized-term-meta.xml'];
    const doc = await parseWxrFile(fixture('test-serialized-term-meta.xml'));
    assert.deepEqual([byTaxonomy(doc, 'category').length, byTaxonomy(doc, 'post_tag').length, otherTerms(doc).length], [want.categories, want.tags, want.terms]);
    assert.equal((await parseWxrFile(fixture('term-meta.xml'))).terms.length, 1);
  });

  it('chunked-meta.xml: a serialised meta value split across chunks reads whole', async () => {
    const doc = await parseWxrFile(fixture('chunked-meta.xml'));
    const value = phpUnserialize(doc.items[0]!.postmeta[0]!.value) as Record<string, unknown>;
    assert.equal(value.foo, parser['chunked-meta.xml']["unserialize(posts[0].postmeta[0].value)['foo']"]);
  });

  it('authors-multiline.xml: logins with line breaks around them', async () => {
    const doc = await parseWxrFile(fixture('authors-multiline.xml'));
    assert.deepEqual(doc.authors.map((a) => a.login.trim()).sort(), parser['authors-multiline.xml']['sorted author_login']);
  });

  it('large-authors.xml: 300 authors', async () => {
    assert.equal((await parseWxrFile(fixture('large-authors.xml'))).authors.length, parser['large-authors.xml'].authors);
  });

  it('missing-tags.xml: an item without most tags reads without complaint', async () => {
    const doc = await parseWxrFile(fixture('missing-tags.xml'));
    assert.deepEqual([doc.items.length, doc.items[0]!.title, doc.items[0]!.creator], [1, 'No Author Post', '']);
  });

  it('serialised post meta, with and without CDATA, and UTW tags: exact values', async () => {
    const noCdata = imported['test-serialized-postmeta-no-cdata.xml'];
    assert.deepEqual(metaOf(await parseWxrFile(fixture('test-serialized-postmeta-no-cdata.xml')), '122')['post-options'], noCdata['post 122 meta post-options']);
    const withCdata = imported['test-serialized-postmeta-with-cdata.xml'];
    const meta = metaOf(await parseWxrFile(fixture('test-serialized-postmeta-with-cdata.xml')), '10');
    for (const [name, value] of Object.entries(withCdata as Record<string, unknown>)) assert.deepEqual(meta[name.replace(/^post 10 meta /, '')], value, name);
    const utw = Object.values(metaOf(await parseWxrFile(fixture('test-utw-post-meta-import.xml')), '150').test as Record<string, { tag: string }>);
    const names = /tag = (.*)$/.exec(imported['test-utw-post-meta-import.xml']['post 150 meta test'])![1]!.split(', ');
    assert.deepEqual(utw.map((o) => o.tag), names);
  });

  it('wxr-flat-attachment-same-site.xml: the post and its attachment with the file it names', async () => {
    const doc = await parseWxrFile(fixture('wxr-flat-attachment-same-site.xml'));
    const attachment = doc.items.find((i) => i.postType === 'attachment')!;
    assert.equal(attachment.postmeta.find((m) => m.key === '_wp_attached_file')?.value, '2008/06/canola2.jpg');
  });
});

describe('WordPress importer test data: imported', { timeout: 300_000 }, () => {
  let server: TestServer;
  importServer((s) => (server = s));

  async function load(name: string): Promise<ImportSummary> {
    const summary = await runImport(server, fixture(name));
    const failed = summary.notes.filter((n) => n.outcome === 'failed');
    assert.deepEqual(failed, [], name);
    return summary;
  }

  const articles = () =>
    server.store.db
      .selectFrom('articles as a')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .select(['a.id', 'a.headline', 'a.slug', 'a.status', 'a.published_at', 'a.body_html', 'a.body_text', 's.slug as section']);
  const article = (slug: string) => articles().where('a.slug', '=', slug).executeTakeFirstOrThrow();
  /** The article a WordPress post of this site became (several test files share slugs). */
  const articleOfPost = (site: string, wpId: string) =>
    articles()
      .innerJoin('import_map as m', 'm.gazette_id', 'a.id')
      .where('m.kind', '=', 'post')
      .where('m.site', '=', site)
      .where('m.wp_id', '=', wpId)
      .executeTakeFirstOrThrow();

  const authorsOf = async (id: number) =>
    (await server.store.db.selectFrom('article_authors as aa').innerJoin('people as p', 'p.id', 'aa.person_id').select('p.slug').where('aa.article_id', '=', id).execute()).map((r) => r.slug);
  const tagsOf = async (id: number) =>
    (await server.store.db.selectFrom('article_tags as at').innerJoin('tags as t', 't.id', 'at.tag_id').select('t.slug').where('at.article_id', '=', id).orderBy('t.slug').execute()).map((r) => r.slug);

  it('blank-lines.xml, post-content-blank-lines.xml and backslashes.xml: paragraphs and backslashes as written', async () => {
    await load('backslashes.xml');
    assert.match((await article('paths')).body_text ?? '', /C:\\xampp\\htdocs\\wp-content/);
    await load('blank-lines.xml');
    await load('post-content-blank-lines.xml');
    const bodies = await server.store.db.selectFrom('articles').select(['slug', 'body_html']).execute();
    assert.ok(bodies.every((b) => !/\n\n/.test(b.body_html ?? '')), 'blank lines became paragraphs');
    assert.ok(bodies.some((b) => ((b.body_html ?? '').match(/<p>/g) ?? []).length >= 2), JSON.stringify(bodies));
  });

  it('authors-multiline.xml and large-authors.xml: one person per author, login trimmed', async () => {
    await load('authors-multiline.xml');
    const logins = parser['authors-multiline.xml']['sorted author_login'] as string[];
    const people = (await server.store.db.selectFrom('people').select('slug').where('slug', 'in', logins).orderBy('slug').execute()).map((p) => p.slug);
    assert.deepEqual(people, logins);
    const before = (await server.store.db.selectFrom('people').select('id').execute()).length;
    const summary = await load('large-authors.xml');
    assert.equal(summary.counts.author!.imported, parser['large-authors.xml'].authors);
    assert.equal((await server.store.db.selectFrom('people').select('id').execute()).length, before + parser['large-authors.xml'].authors);
  });

  it('term-formats.xml, term-meta.xml, test-serialized-term-meta.xml: categories become sections, tags tags, other taxonomies are counted as skipped', async () => {
    const summary = await load('term-formats.xml');
    assert.equal(summary.counts.category!.imported, parser['term-formats.xml'].categories);
    assert.equal(summary.counts.tag!.imported, parser['term-formats.xml'].tags);
    assert.equal(Object.entries(summary.counts).filter(([kind]) => kind.startsWith('term (')).reduce((n, [, c]) => n + c.skipped, 0), 2);
    await load('term-meta.xml');
    const serialized = await load('test-serialized-term-meta.xml');
    assert.equal(serialized.counts.category!.imported + serialized.counts.tag!.imported, 2);
  });

  it('missing-tags.xml and the serialised-meta files: posts without author, date or slug import', async () => {
    for (const name of ['missing-tags.xml', 'chunked-meta.xml', 'test-serialized-postmeta-no-cdata.xml', 'test-serialized-postmeta-with-cdata.xml', 'test-utw-post-meta-import.xml']) {
      const summary = await load(name);
      // Three of these files claim the same site (http://test.wordpress.org/) and post ids, so one updates.
      assert.equal(summary.counts.post!.imported + summary.counts.post!.updated, 1, name);
    }
    const noAuthor = await article('no-author-post');
    assert.deepEqual(await authorsOf(noAuthor.id), []);
    // WordPress maps johncoswell to an existing "john"; Gazette makes the person the export names.
    const credited = await server.store.db.selectFrom('people').select('slug').where('slug', '=', 'johncoswell').executeTakeFirst();
    assert.ok(credited, 'a person johncoswell');
  });

  it('wxr-flat-attachment-same-site.xml: the post imports; the attachment is counted, not lost silently', async () => {
    const summary = await load('wxr-flat-attachment-same-site.xml');
    assert.equal(summary.counts.post!.imported, 1);
    assert.equal(Object.values(summary.counts.attachment ?? {}).reduce((a, b) => a + b, 0), 1);
  });

  it('e2e wxr-simple.xml: the post, its slug, date, author and category', async () => {
    const want = e2e['wxr-simple.xml'].post;
    await load('e2e/wxr-simple.xml');
    const a = await articleOfPost('https://playground.internal/path', '10');
    assert.equal(a.status, 'published');
    assert.match(a.headline, new RegExp(want['title contains']));
    // post-content-blank-lines.xml already took /uncategorized/hello-world: the later post keeps its id.
    assert.equal(a.slug, `${want['slug starts']}-10`);
    assert.equal(a.published_at!.slice(0, 10), want['date_gmt starts']);
    assert.deepEqual(await authorsOf(a.id), [want.author]);
    assert.deepEqual([a.section], want['categories include']);
  });

  it('e2e wxr-comprehensive.xml: post, categories, tags, comment, page and author', async () => {
    const want = e2e['wxr-comprehensive.xml'];
    await load('e2e/wxr-comprehensive.xml');
    const a = await articleOfPost('https://playground.internal/site', '1000');
    assert.match(a.headline, new RegExp(want.post['title contains']));
    assert.equal(a.slug, want.post['slug starts']);
    assert.equal(a.published_at!.slice(0, 10), want.post['date_gmt starts']);
    assert.match(a.body_text ?? '', new RegExp(want.post['content contains']));
    // Both categories become sections; the article lives in the most specific one (updates is news's child).
    const sections = (await server.store.db.selectFrom('sections').select('slug').where('slug', 'in', want.post['categories include']).execute()).map((s) => s.slug).sort();
    assert.deepEqual(sections, want.post['categories include']);
    assert.equal(a.section, 'updates');
    assert.deepEqual(await tagsOf(a.id), want.post['tags include']);
    assert.deepEqual(await authorsOf(a.id), ['alice']);
    const comments = await server.store.db.selectFrom('comments').select('body').where('article_id', '=', a.id).execute();
    assert.deepEqual(comments.map((c) => c.body.includes(want.comment['content contains'])), [true]);
    const page = await server.store.db.selectFrom('pages').select(['title', 'status']).where('slug', '=', 'comprehensive-page').executeTakeFirstOrThrow();
    assert.match(page.title, new RegExp(want['page title contains']));
    assert.equal(page.status, 'published');
  });
});
