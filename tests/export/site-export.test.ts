// `gazette export --format wxr|json FILE` (decision 0032): the demo site, with comments (threaded, held,
// spam), a static page, a draft and sources, exported as WXR 1.2 and imported into a fresh database gives
// the same content; the file has the elements WordPress's exporter writes; the JSON document holds the
// same site; no reader's (or staff member's) address is in a public export; a private one must be named
// so; the command names bad arguments and unwritable places, and never leaves half a file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import sax from 'sax';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import { createArticle } from '../../src/articles/article.service.ts';
import { definePage } from '../../src/pages/page.service.ts';
import { importCommentIn, resolveSecret } from '../../src/comments/comment.service.ts';
import { exportSite, type ExportOptions } from '../../src/export/export.service.ts';
import { importWordpress } from '../../src/import/wordpress.import.ts';
import { parseWxrFile } from '../../src/import/wxr.parser.ts';
import { createAccount } from '../helpers/admin.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { runCli, SEED_PATH, startTestServer, tempDir, type TestServer } from '../helpers/server.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/wordpress');
const PLANTED = `planted-${randomBytes(6).toString('hex')}@reader.example`;
const STAFF = `staff-${randomBytes(6).toString('hex')}@newsroom.example`;

// --- the content projection two sites are compared by ---------------------------------------------------

const seconds = (iso: string | null) => (iso === null ? null : iso.slice(0, 19));

/** What must survive a round trip, read straight from the tables (tests may; src/export/ may not). */
async function projection(store: Store) {
  const db = store.db;
  const sections = await db.selectFrom('sections').select(['slug', 'name', 'description']).orderBy('position').orderBy('slug').execute();
  const people = await db.selectFrom('people').select(['slug', 'name']).orderBy('slug').execute();
  const pages = await db.selectFrom('pages').select(['slug', 'title', 'body', 'language', 'status']).orderBy('slug').execute();
  const rows = await db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .leftJoin('articles as t', 't.id', 'a.translation_of')
    .leftJoin('sections as ts', 'ts.id', 't.section_id')
    .select(['a.id', 's.slug as section', 'a.slug', 'a.language', 'a.headline', 'a.subtitle', 'a.summary', 'a.body', 'a.body_format', 'a.body_html', 'a.status', 'a.published_at', 'a.updated_at', 'a.comments_open', 'a.image_url', 'ts.slug as t_section', 't.slug as t_slug'])
    .orderBy('s.slug')
    .orderBy('a.slug')
    .execute();
  const articles = [];
  for (const r of rows) {
    const authors = (await db.selectFrom('article_authors as aa').innerJoin('people as p', 'p.id', 'aa.person_id').select('p.slug').where('aa.article_id', '=', r.id).orderBy('aa.position').execute()).map((x) => x.slug);
    const tags = (await db.selectFrom('article_tags as at').innerJoin('tags as t', 't.id', 'at.tag_id').select('t.name').where('at.article_id', '=', r.id).execute()).map((x) => x.name).sort();
    const sources = await db
      .selectFrom('sources as s')
      .leftJoin('documents as d', 'd.id', 's.document_id')
      .select(['s.name', 's.description', 's.url', 's.kind', 's.role', 's.relays', 'd.title as document', 'd.sha256'])
      .where('s.article_id', '=', r.id)
      .orderBy('s.position')
      .execute();
    const comments = await db.selectFrom('comments').select(['id', 'parent_id', 'author_name', 'author_url', 'body', 'status', 'created_at']).where('article_id', '=', r.id).where('status', '!=', 'trash').orderBy('created_at').orderBy('id').execute();
    const bodyOf = new Map(comments.map((c) => [c.id, c.body]));
    const { id: _, t_section, t_slug, published_at, updated_at, comments_open, ...fields } = r;
    articles.push({
      ...fields,
      publishedAt: published_at,
      updatedAt: updated_at,
      commentsOpen: Boolean(Number(comments_open)),
      translationOf: t_slug ? `${t_section}/${t_slug}` : null,
      authors,
      tags,
      sources: sources.map((s) => ({ ...s, relays: s.relays === null ? null : Number(s.relays) })),
      // Threads by the text of the comment answered (ids differ between the two sites).
      comments: comments.map((c) => ({ author: c.author_name, url: c.author_url, body: c.body, status: c.status, at: seconds(c.created_at), answers: c.parent_id === null ? null : (bodyOf.get(c.parent_id) ?? '?') })),
    });
  }
  return { sections, people, pages, articles };
}

// --- the site exported ---------------------------------------------------------------------------

async function seed(server: TestServer): Promise<void> {
  const { store } = server;
  await createAccount(server, { role: 'editor', email: STAFF, name: 'Desk Editor' });
  await definePage(store, { slug: 'about-us', title: 'About us & <our> "rules"', body: 'We are a **newsroom**.\n\n- one\n- two\n\nA line with ]]> in it.', language: 'en', status: 'published' });
  await definePage(store, { slug: 'corrections', title: 'Corrections', body: 'Not yet.', language: 'en', status: 'draft' });
  await createArticle(store, {
    section: 'news',
    slug: 'a-draft-in-progress',
    headline: 'A draft ]]> with <markup> & an ampersand',
    subtitle: 'Its subtitle',
    summary: 'A summary with <angle> brackets & ]]> in it.',
    body: 'First paragraph with `]]>` in code.\n\nSecond paragraph.',
    authors: ['international-desk'],
    tags: ['Drafts', 'Iraq'],
    sources: [{ name: 'A named official', kind: 'person', role: 'quoted', description: 'spoke on the record' }],
    status: 'draft',
    commentsOpen: false,
  });
  const secret = await resolveSecret(store.db, server.config);
  const article = await store.db.selectFrom('articles as a').innerJoin('sections as s', 's.id', 'a.section_id').select('a.id').where(sql<string>`'/' || s.slug || '/' || a.slug`, '=', SEED_PATH).executeTakeFirstOrThrow();
  await store.writeTransaction(async (trx) => {
    const comment = (parentId: number | null, author: string, email: string, text: string, status: 'approved' | 'pending' | 'spam' | 'trash', createdAt: string) =>
      importCommentIn(trx, secret, { articleId: article.id, parentId, author, email, url: author === 'Reader One' ? 'https://one.example/' : null, text, status, createdAt }, null);
    const first = await comment(null, 'Reader One', PLANTED, 'A first remark: a < b & c ]]> d.\nOn two lines.', 'approved', '2024-03-01T10:00:00.000Z');
    const reply = await comment(first, 'Reader Two', `two-${PLANTED}`, 'A reply to the first.', 'approved', '2024-03-01T11:00:00.000Z');
    await comment(reply, 'Reader Three', 'three@reader.example', 'A reply to the reply, held.', 'pending', '2024-03-01T12:00:00.000Z');
    await comment(null, 'Spammer', 'spam@reader.example', 'Buy things.', 'spam', '2024-03-02T09:00:00.000Z');
    await comment(null, 'Binned', 'bin@reader.example', 'Thrown away.', 'trash', '2024-03-02T10:00:00.000Z');
  });
}

function options(server: TestServer, file: string, extra: Partial<ExportOptions> = {}): ExportOptions {
  return { format: 'wxr', file, private: false, publicUrl: server.config.publicUrl, defaults: { siteName: server.config.siteName, siteLanguage: server.config.siteLanguage }, ...extra };
}

async function openFresh(database: TestDatabase): Promise<Store> {
  const store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
  await migrateToLatest(store);
  return store;
}

/** Every element path (rss/channel/item/…) in a file, with the attribute names each carries. */
async function elementPaths(file: string): Promise<Map<string, Set<string>>> {
  const parser = sax.parser(true, {});
  const stack: string[] = [];
  const paths = new Map<string, Set<string>>();
  parser.onopentag = (node) => {
    stack.push(node.name);
    const p = stack.join('/');
    const attributes = paths.get(p) ?? new Set<string>();
    for (const name of Object.keys(node.attributes)) if (!name.startsWith('xmlns')) attributes.add(name);
    paths.set(p, attributes);
  };
  parser.onclosetag = () => void stack.pop();
  parser.write(fs.readFileSync(file, 'utf8')).close();
  return paths;
}

describe('gazette export', () => {
  let server: TestServer;
  const tmp = tempDir('gazette-export-');
  const file = (name: string) => path.join(tmp.dir, name);
  const databases: TestDatabase[] = [];
  const stores: Store[] = [];

  before(async () => {
    server = await startTestServer();
    await seed(server);
  });
  after(async () => {
    for (const s of stores) await s.close();
    for (const d of databases) await d.drop();
    await server.close();
    tmp.remove();
  });

  async function freshStore(): Promise<Store> {
    const database = await freshDatabase();
    databases.push(database);
    const store = await openFresh(database);
    stores.push(store);
    return store;
  }

  it('WXR round trip: imported into a fresh Gazette, the export gives the same content', async () => {
    const result = await exportSite(server.store, options(server, file('site.xml')));
    assert.ok(result.bytes > 1000);
    assert.equal((result.counts as { comments: number }).comments, 5);
    const doc = await parseWxrFile(file('site.xml'));
    assert.equal(doc.version, '1.2', 'our own parser reads it as WXR 1.2');
    assert.equal(doc.blogUrl, `${server.config.publicUrl}/`);

    const target = await freshStore();
    const summary = await importWordpress(target, file('site.xml'), { dryRun: false, skipPingbacks: false, secret: 'test secret' });
    const failures = summary.notes.filter((n) => n.outcome === 'failed');
    assert.deepEqual(failures, []);

    const before = await projection(server.store);
    const afterwards = await projection(target);
    assert.ok(before.articles.length >= 5 && before.articles.some((a) => a.status === 'draft') && before.articles.some((a) => a.sources.length > 1) && before.articles.some((a) => a.translationOf));
    assert.ok(before.articles.some((a) => a.comments.length === 4), 'the seed article carries the threads');
    assert.deepEqual(afterwards.sections, before.sections);
    assert.deepEqual(afterwards.pages, before.pages);
    assert.deepEqual(afterwards.people, before.people);
    assert.deepEqual(afterwards.articles, before.articles);
    // Readers' addresses were not in the file, so the imported comments have none.
    const emails = await target.db.selectFrom('comments').select('author_email').execute();
    assert.ok(emails.length === 4 && emails.every((e) => e.author_email === ''));
  });

  it('writes the elements WordPress’s exporter writes (compared with WordPress’s own WXR 1.2 files)', async () => {
    const ours = await elementPaths(file('site.xml'));
    const theirs = await elementPaths(path.join(FIXTURES, 'theme-unit-test-data.xml'));
    for (const [p, attributes] of await elementPaths(path.join(FIXTURES, 'wxr-simple.xml'))) {
      const known = theirs.get(p) ?? new Set<string>();
      for (const a of attributes) known.add(a);
      theirs.set(p, known);
    }
    const unknown = [...ours.keys()].filter((p) => !theirs.has(p));
    assert.deepEqual(unknown, [], 'every element is one WordPress writes, where it writes it');
    for (const [p, attributes] of ours) for (const a of attributes) assert.ok(theirs.get(p)!.has(a), `attribute ${a} on ${p}`);
    const required = [
      'rss/channel/wp:wxr_version', 'rss/channel/wp:base_site_url', 'rss/channel/wp:base_blog_url', 'rss/channel/wp:author/wp:author_login', 'rss/channel/wp:author/wp:author_display_name',
      'rss/channel/wp:category/wp:category_nicename', 'rss/channel/wp:tag/wp:tag_slug', 'rss/channel/item/content:encoded', 'rss/channel/item/excerpt:encoded', 'rss/channel/item/wp:post_date_gmt',
      'rss/channel/item/wp:post_name', 'rss/channel/item/wp:status', 'rss/channel/item/wp:post_type', 'rss/channel/item/category', 'rss/channel/item/wp:postmeta/wp:meta_value',
      'rss/channel/item/wp:comment/wp:comment_parent', 'rss/channel/item/wp:comment/wp:comment_approved', 'rss/channel/item/wp:comment/wp:comment_date_gmt',
    ];
    for (const p of required) assert.ok(ours.has(p), `writes ${p}`);

    const doc = await parseWxrFile(file('site.xml'));
    const draft = doc.items.find((i) => i.postName === 'a-draft-in-progress')!;
    assert.equal(draft.status, 'draft');
    assert.equal(draft.title, 'A draft ]]> with <markup> & an ampersand', 'a "]]>" survives CDATA and escaping');
    assert.equal(draft.postDateGmt, '0000-00-00 00:00:00');
    assert.equal(draft.commentStatus, 'closed');
    assert.deepEqual(draft.terms.map((t) => `${t.domain}:${t.slug}`).sort(), ['category:news', 'post_tag:drafts', 'post_tag:iraq']);
    const seed = doc.items.find((i) => SEED_PATH.endsWith(`/${i.postName}`) && i.postType === 'post')!;
    assert.equal(seed.status, 'publish');
    assert.match(seed.content, /<p>/);
    assert.ok(seed.postmeta.some((m) => m.key === '_gazette_article'));
    const remark = seed.comments.find((c) => c.author === 'Reader One')!;
    assert.equal(remark.content, 'A first remark: a &lt; b &amp; c ]]&gt; d.\nOn two lines.');
    assert.equal(remark.authorEmail, '');
    assert.deepEqual(seed.comments.map((c) => c.approved).sort(), ['0', '1', '1', 'spam', 'trash']);
    const reply = seed.comments.find((c) => c.author === 'Reader Two')!;
    assert.equal(reply.parent, remark.id, 'threads are kept');
    assert.equal(doc.items.filter((i) => i.postType === 'page').length, (await projection(server.store)).pages.length);
    assert.deepEqual(doc.authors.map((a) => a.email), doc.authors.map(() => ''), 'no staff address');
  });

  it('JSON: one document holding the same site, streamed a record per line', async () => {
    await exportSite(server.store, options(server, file('site.json'), { format: 'json', now: new Date('2026-01-02T03:04:05Z') }));
    const text = fs.readFileSync(file('site.json'), 'utf8');
    const site = JSON.parse(text) as Record<string, unknown> & { articles: { section: string; slug: string; headline: string; status: string; comments: { body: string; parentId: number | null; authorEmail?: string }[]; sources: unknown[] }[]; pages: unknown[]; sections: { slug: string }[] };
    assert.equal(site.format, 'gazette-site');
    assert.equal(site.version, 1);
    assert.equal(site.private, false);
    assert.equal(site.exportedAt, '2026-01-02T03:04:05.000Z');
    assert.deepEqual(Object.keys(site), ['format', 'version', 'exportedAt', 'private', 'site', 'people', 'sections', 'tags', 'pages', 'documents', 'images', 'articles']);
    const projected = await projection(server.store);
    assert.deepEqual(site.articles.map((a) => `${a.section}/${a.slug}:${a.headline}:${a.status}`).sort(), projected.articles.map((a) => `${a.section}/${a.slug}:${a.headline}:${a.status}`).sort());
    assert.deepEqual(site.sections.map((s) => s.slug), projected.sections.map((s) => s.slug));
    assert.equal(site.pages.length, projected.pages.length);
    const seed = site.articles.find((a) => `/${a.section}/${a.slug}` === SEED_PATH)!;
    assert.equal(seed.comments.length, 5);
    assert.ok(seed.sources.length > 1);
    assert.ok(seed.comments.every((c) => !('authorEmail' in c)));
    assert.ok(text.split('\n').length > site.articles.length + 10, 'a record per line');
  });

  it('a public export holds no reader’s or staff member’s address; a private one holds readers’ and must be named so', async () => {
    const publicFiles = [file('site.xml'), file('site.json')];
    for (const f of publicFiles) {
      const text = fs.readFileSync(f, 'utf8');
      assert.ok(!text.includes(PLANTED) && !text.includes('@reader.example'), `no reader address in ${path.basename(f)}`);
      assert.ok(!text.includes(STAFF) && !text.includes('@newsroom.example'), `no staff address in ${path.basename(f)}`);
    }
    await assert.rejects(exportSite(server.store, options(server, file('all.xml'), { private: true })), /must say so: "all.xml" does not contain "private" \(for example .*all-private\.xml\)/);
    assert.ok(!fs.existsSync(file('all.xml')));

    await exportSite(server.store, options(server, file('site-private.xml'), { private: true }));
    await exportSite(server.store, options(server, file('site-private.json'), { format: 'json', private: true }));
    for (const f of [file('site-private.xml'), file('site-private.json')]) {
      const text = fs.readFileSync(f, 'utf8');
      assert.ok(text.includes(PLANTED), `the private ${path.extname(f)} export keeps readers' addresses`);
      assert.ok(!text.includes(STAFF), 'but never staff addresses');
      assert.equal(fs.statSync(f).mode & 0o077, 0, 'readable by its owner only');
    }
    const doc = await parseWxrFile(file('site-private.xml'));
    assert.ok(doc.items.some((i) => i.comments.some((c) => c.authorEmail === PLANTED)));
  });

  it('the command: formats, the private warning, and errors that name the problem', async () => {
    // Each run starts a process: they run side by side, with room for a busy machine.
    const gazette = (args: string[]) => runCli(server, args, { timeoutMs: 300_000 });
    const [ok, priv, unknown, missing, nowhere, unnamed, canonical] = await Promise.all([
      gazette(['export', '--format', 'wxr', file('cli.xml')]),
      gazette(['export', '--format', 'json', '--private', file('cli-private.json')]),
      gazette(['export', '--format', 'xml', file('x.xml')]),
      gazette(['export', '--format', 'wxr']),
      gazette(['export', '--format', 'json', path.join(tmp.dir, 'no-such-folder', 'site.json')]),
      gazette(['export', '--format', 'wxr', '--private', file('site-all.xml')]),
      gazette(['export']),
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Wrote .*cli\.xml \(wxr, \d+ bytes\): .*posts, .*comments/);
    assert.equal((await parseWxrFile(file('cli.xml'))).version, '1.2');
    assert.equal(priv.code, 0, priv.stderr);
    assert.match(priv.stderr, /WARNING: .*cli-private\.json will hold readers' email addresses/);
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /unknown format "xml": --format takes wxr or json/);
    assert.equal(missing.code, 64);
    assert.match(missing.stderr, /the file to write is missing: gazette export --format wxr FILE/);
    assert.equal(nowhere.code, 73);
    assert.match(nowhere.stderr, /cannot write .*no-such-folder.*site\.json: the folder .*no-such-folder does not exist/);
    assert.equal(unnamed.code, 73);
    assert.match(unnamed.stderr, /file name must say so/);
    assert.ok(!fs.existsSync(file('site-all.xml')));

    // Without --format, the canonical JSON lines `gazette copy` is checked with, as before.
    assert.equal(canonical.code, 0, canonical.stderr);
    assert.ok(canonical.stdout.split('\n').filter(Boolean).every((l) => 'table' in JSON.parse(l)));
    assert.ok(!canonical.stdout.includes(PLANTED));
  });

  it('writes atomically: a failure half-way leaves the earlier file whole and no temporary file', async () => {
    const target = await freshStore();
    await importWordpress(target, file('site.xml'), { dryRun: false, skipPingbacks: false, secret: 'test secret' });
    fs.writeFileSync(file('kept.xml'), 'the earlier export\n');
    // The comments are read after the head, the pictures and the pages are written: that read fails.
    await sql`alter table comments rename to comments_gone`.execute(target.db);
    try {
      await assert.rejects(exportSite(target, options(server, file('kept.xml'))));
    } finally {
      await sql`alter table comments_gone rename to comments`.execute(target.db);
    }
    assert.equal(fs.readFileSync(file('kept.xml'), 'utf8'), 'the earlier export\n');
    assert.deepEqual(fs.readdirSync(tmp.dir).filter((n) => n.endsWith('.part')), []);
    // And with the table back the same call succeeds.
    await exportSite(target, options(server, file('kept.xml')));
    assert.equal((await parseWxrFile(file('kept.xml'))).version, '1.2');
  });
});
