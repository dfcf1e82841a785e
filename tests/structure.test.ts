// Site structure (issue 11, part 7) through the services and real HTTP: sections renamed keep their old
// addresses, static pages at /<slug>, tags, authors' profiles, and the site settings (time zone, name,
// links) on the public pages — each change seen on the very next request, cached pages included.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator, type Kysely } from 'kysely';
import { parseHTML } from 'linkedom';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/db/database.ts';
import { migrationsFor } from '../src/db/migrations/index.ts';
import { auditLog } from '../src/accounts/audit.service.ts';
import type { Account } from '../src/accounts/permissions.ts';
import { createAccount } from './helpers/admin.ts';
import { createArticle } from '../src/articles/article.service.ts';
import { AppError } from '../src/errors.ts';
import { createPage, deletePage, setPageStatus, updatePage, type PageDraft } from '../src/pages/page.service.ts';
import { createPerson, updatePerson, type PersonDraft } from '../src/people/person.service.ts';
import { createSection, getManagedSection, reorderSections, updateSection, listManagedSections } from '../src/sections/section.service.ts';
import { loadSettings, saveSettings, type SiteSettings } from '../src/settings/settings.service.ts';
import { createTag, deleteTag, getTag, updateTag } from '../src/tags/tag.service.ts';
import { freshDatabase } from './helpers/database.ts';
import { SEED_PATH, startTestServer, type TestServer } from './helpers/server.ts';

const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();


async function get(server: TestServer, path: string) {
  const response = await fetch(server.url + path, { redirect: 'manual' });
  const text = await response.text();
  return { response, text, document: parseHTML(text).document, cache: response.headers.get('server-timing') ?? '' };
}

/** Rejects with invalid_input naming `field`. */
async function refusedField(promise: Promise<unknown>, field: string): Promise<string> {
  let message = '';
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected an AppError, got ${String(e)}`);
    assert.equal(e.code, 'invalid_input');
    assert.ok(e.fields[field], `expected a message for ${field}, got ${JSON.stringify(e.fields)}`);
    message = e.fields[field]!;
    return true;
  });
  return message;
}

const forbidden = (e: unknown) => e instanceof AppError && e.code === 'forbidden';

describe('site structure', () => {
  let server: TestServer;
  let admin: Account, editor: Account, author: Account, contributor: Account;
  before(async () => {
    server = await startTestServer();
    admin = await createAccount(server, { role: 'admin' });
    editor = await createAccount(server, { role: 'editor' });
    author = await createAccount(server, { role: 'author' });
    contributor = await createAccount(server, { role: 'contributor' });
  });
  after(() => server.close());

  describe('sections', () => {
    it('renaming a section answers its old address and its articles’ old addresses with 301', async () => {
      const section = await createSection(server.store, editor, { slug: 'world', name: 'World', description: 'Abroad.', language: 'en' });
      await createArticle(server.store, {
        section: 'world',
        slug: 'far-away',
        headline: 'Far away',
        body: 'A report from far away.',
        publishedAt: '2024-03-01T10:00:00Z',
      });
      // Cached before the rename: the rename must drop them.
      assert.equal((await get(server, '/world/')).response.status, 200);
      assert.equal((await get(server, '/feeds/section/world.atom')).response.status, 200);
      assert.equal((await get(server, '/world/far-away')).response.status, 200);
      assert.match((await get(server, '/world/far-away')).cache, /hit/);
      assert.equal((await get(server, '/globe/far-away')).response.status, 404);

      const renamed = await updateSection(server.store, editor, section.id, { slug: 'globe', name: 'Globe', description: 'The world.', language: 'en' });
      assert.deepEqual(renamed.oldSlugs, ['world']);
      const audit = (await auditLog(server.store.db, { action: 'section.update' })).entries;
      assert.equal(audit[0]?.subject, `section:${section.id}`);
      assert.equal(audit[0]?.actorId, editor.id);

      const sectionPage = await get(server, '/world/');
      assert.equal(sectionPage.response.status, 301);
      assert.equal(sectionPage.response.headers.get('location'), '/globe/');
      assert.equal((await get(server, '/world')).response.headers.get('location'), '/globe/');
      const old = await get(server, '/world/far-away?utm_source=x');
      // The query string goes along, as with every 301 of the article routes.
      assert.equal(old.response.status, 301);
      assert.equal(old.response.headers.get('location'), '/globe/far-away?utm_source=x');
      assert.equal((await get(server, '/World/far-away')).response.headers.get('location'), '/globe/far-away');
      const feed = await get(server, '/feeds/section/world.atom');
      assert.equal(feed.response.status, 301);
      assert.equal(feed.response.headers.get('location'), '/feeds/section/globe.atom');

      const now = await get(server, '/globe/far-away');
      assert.equal(now.response.status, 200);
      assert.equal(norm(now.document.querySelector('.kicker a')!.textContent), 'Globe');
      assert.equal(now.document.querySelector('.kicker a')!.getAttribute('href'), '/globe/');
      const nav = [...(await get(server, '/')).document.querySelectorAll('.site-nav a')].map((a) => norm(a.textContent));
      assert.ok(nav.includes('Globe') && !nav.includes('World'), nav.join(', '));

      // Renamed again: both old slugs lead to the newest address, and the slug taken back stops redirecting.
      await updateSection(server.store, editor, section.id, { slug: 'planet', name: 'Planet', description: '', language: 'en' });
      assert.equal((await get(server, '/world/far-away')).response.headers.get('location'), '/planet/far-away');
      assert.equal((await get(server, '/globe/')).response.headers.get('location'), '/planet/');
      await updateSection(server.store, editor, section.id, { slug: 'world', name: 'World', description: '', language: 'en' });
      assert.equal((await get(server, '/world/far-away')).response.status, 200);
      assert.equal((await get(server, '/planet/far-away')).response.headers.get('location'), '/world/far-away');
      assert.deepEqual((await getManagedSection(server.store.db, section.id)).oldSlugs.sort(), ['globe', 'planet']);
    });

    it('refuses slugs that are taken, reserved or malformed, with a message per field, and changes nothing', async () => {
      const news = (await listManagedSections(server.store.db)).find((s) => s.slug === 'news')!;
      assert.match(await refusedField(createSection(server.store, editor, { slug: 'news', name: 'More news', description: '', language: 'en' }), 'slug'), /already has this slug/);
      assert.match(await refusedField(updateSection(server.store, editor, news.id, { slug: 'search', name: 'News', description: '', language: 'en' }), 'slug'), /used by the site itself/);
      await refusedField(updateSection(server.store, editor, news.id, { slug: 'Not a slug!', name: 'News', description: '', language: 'en' }), 'slug');
      await refusedField(updateSection(server.store, editor, news.id, { slug: 'news', name: '  ', description: '', language: 'en' }), 'name');
      await refusedField(updateSection(server.store, editor, news.id, { slug: 'news', name: 'News', description: '', language: 'not a language' }), 'language');
      assert.equal((await get(server, SEED_PATH)).response.status, 200);
      assert.equal((await getManagedSection(server.store.db, news.id)).name, 'News');
      await assert.rejects(updateSection(server.store, editor, 999_999, { slug: 'x', name: 'X', description: '', language: 'en' }), (e: unknown) => e instanceof AppError && e.code === 'not_found');
    });

    it('reorders the navigation, and refuses an order that leaves a section out', async () => {
      const ids = (await listManagedSections(server.store.db)).map((s) => s.id);
      await refusedField(reorderSections(server.store, editor, ids.slice(1)), 'order');
      await reorderSections(server.store, editor, [...ids].reverse());
      const expected = (await listManagedSections(server.store.db)).map((s) => s.name);
      const nav = [...(await get(server, '/search')).document.querySelectorAll('.site-nav a')].map((a) => norm(a.textContent));
      assert.deepEqual(nav.slice(0, expected.length), expected);
      assert.deepEqual((await listManagedSections(server.store.db)).map((s) => s.id), [...ids].reverse());
    });

    it('lets only admins and editors manage sections', async () => {
      for (const who of [author, contributor]) {
        await assert.rejects(createSection(server.store, who, { slug: 'sport', name: 'Sport', description: '', language: 'en' }), forbidden);
        await assert.rejects(reorderSections(server.store, who, []), forbidden);
      }
      assert.equal((await get(server, '/sport/')).response.status, 404);
    });
  });

  describe('static pages', () => {
    const draft = (over: Partial<PageDraft> = {}): PageDraft => ({ slug: 'corrections', title: 'Corrections policy', body: 'We correct **every** error.', language: 'en', status: 'draft', ...over });

    it('serves the demo’s About page', async () => {
      const about = await get(server, '/about');
      assert.equal(about.response.status, 200);
      assert.equal(norm(about.document.querySelector('main h1')!.textContent), 'About Gazette');
    });

    it('publishes a page at /<slug> and shows each edit on the next request', async () => {
      assert.equal((await get(server, '/corrections')).response.status, 404);
      assert.doesNotMatch((await get(server, '/sitemaps/pages.xml')).text, /corrections/);
      const page = await createPage(server.store, editor, draft());
      assert.equal((await get(server, '/corrections')).response.status, 404, 'a draft is not public');

      await setPageStatus(server.store, editor, page.id, 'published');
      let shown = await get(server, '/corrections');
      assert.equal(shown.response.status, 200);
      assert.equal(norm(shown.document.querySelector('main h1')!.textContent), 'Corrections policy');
      assert.equal(shown.document.querySelector('main strong')!.textContent, 'every');
      assert.equal(shown.document.querySelector('title')!.textContent, 'Corrections policy – Gazette');
      assert.match((await get(server, '/corrections')).cache, /hit/);
      assert.match((await get(server, '/sitemaps/pages.xml')).text, /<loc>http:\/\/gazette\.test\/corrections<\/loc>/);

      await updatePage(server.store, editor, page.id, draft({ body: 'We correct errors <script>alert(1)</script> openly.', status: 'published' }));
      shown = await get(server, '/corrections');
      assert.match(norm(shown.document.querySelector('main .article-body')!.textContent), /We correct errors <script>alert\(1\)<\/script> openly\./);
      assert.equal(shown.document.querySelector('main script'), null, 'raw HTML in the body is text');

      await updatePage(server.store, editor, page.id, draft({ slug: 'corrections-policy', status: 'published' }));
      assert.equal((await get(server, '/corrections')).response.status, 404);
      assert.equal((await get(server, '/corrections-policy')).response.status, 200);

      await deletePage(server.store, editor, page.id);
      assert.equal((await get(server, '/corrections-policy')).response.status, 404);
    });

    it('refuses a slug a section, another page or the site itself has', async () => {
      assert.match(await refusedField(createPage(server.store, editor, draft({ slug: 'news' })), 'slug'), /section has this address/);
      assert.match(await refusedField(createPage(server.store, editor, draft({ slug: 'admin' })), 'slug'), /used by the site itself/);
      assert.match(await refusedField(createPage(server.store, editor, draft({ slug: 'about' })), 'slug'), /already has this slug/);
      await refusedField(createPage(server.store, editor, draft({ slug: 'contact', title: '' })), 'title');
      // A section may not take a page's address either.
      assert.match(await refusedField(createSection(server.store, editor, { slug: 'about', name: 'About', description: '', language: 'en' }), 'slug'), /page already has this address/);
      // Nor the old address of a renamed section.
      const s = await createSection(server.store, editor, { slug: 'culture', name: 'Culture', description: '', language: 'en' });
      await updateSection(server.store, editor, s.id, { slug: 'arts', name: 'Arts', description: '', language: 'en' });
      await refusedField(createPage(server.store, editor, draft({ slug: 'culture' })), 'slug');
      assert.equal((await get(server, '/culture')).response.headers.get('location'), '/arts/');
    });

    it('lets only admins and editors manage pages', async () => {
      for (const who of [author, contributor]) await assert.rejects(createPage(server.store, who, draft({ slug: 'privacy', status: 'published' })), forbidden);
      assert.equal((await get(server, '/privacy')).response.status, 404);
    });
  });

  describe('settings', () => {
    const settings = async (over: Partial<SiteSettings>): Promise<SiteSettings> => ({ ...(await loadSettings(server.store.db, server.config)), ...over });

    it('shows article dates in the site’s time zone with its abbreviation, from the next request on', async () => {
      const before = await get(server, SEED_PATH);
      assert.match(norm(before.document.querySelector('.byline .dates')!.textContent), /January 16, 2022, 09:30 UTC/);
      assert.match((await get(server, SEED_PATH)).cache, /hit/);

      await saveSettings(server.store, admin, await settings({ timeZone: 'Pacific/Honolulu' }));
      const after = await get(server, SEED_PATH);
      const dates = norm(after.document.querySelector('.byline .dates')!.textContent);
      // 09:30 UTC on the 16th is 23:30 on the 15th in Honolulu; the update at 13:45 UTC is 03:45 on the 16th.
      assert.match(dates, /Published January 15, 2022, 23:30 HST/);
      assert.match(dates, /Updated January 16, 2022, 03:45 HST/);
      const card = norm((await get(server, '/news/')).document.querySelector('.card-meta time')!.textContent);
      assert.equal(card, 'January 15, 2022');
      assert.deepEqual([...after.document.querySelectorAll('.byline time')].map((t) => t.getAttribute('datetime')), ['2022-01-16T09:30:00.000Z', '2022-01-16T13:45:00.000Z']);
    });

    it('refuses an unknown time zone and bad links with a message next to each field, and keeps the settings', async () => {
      const kept = await loadSettings(server.store.db, server.config);
      assert.match(await refusedField(saveSettings(server.store, admin, await settings({ timeZone: 'Mars/Olympus_Mons' })), 'timeZone'), /not a time zone/);
      await refusedField(saveSettings(server.store, admin, await settings({ timeZone: 'CET' })), 'timeZone');
      await refusedField(saveSettings(server.store, admin, await settings({ navigation: [{ label: 'Evil', url: 'javascript:alert(1)' }] })), 'navigation');
      await refusedField(saveSettings(server.store, admin, await settings({ footer: [{ label: '', url: '/about' }] })), 'footer');
      await refusedField(saveSettings(server.store, admin, await settings({ logoUrl: '//evil.example/logo.png' })), 'logoUrl');
      await refusedField(saveSettings(server.store, admin, await settings({ name: ' ' })), 'name');
      assert.deepEqual(await loadSettings(server.store.db, server.config), kept);
    });

    it('puts the name, logo, navigation and footer links on every page and the name in the feeds', async () => {
      await get(server, '/about');
      await get(server, '/feed.xml');
      await saveSettings(
        server.store,
        admin,
        await settings({ name: 'The Daily Record', description: 'News with its sources.', logoUrl: '/assets/logo.svg', navigation: [{ label: 'About us', url: '/about' }], footer: [{ label: 'Contact', url: 'mailto:desk@example.org' }], timeZone: 'europe/london' }),
      );
      assert.equal((await loadSettings(server.store.db, server.config)).timeZone, 'Europe/London', 'stored by its canonical name');
      const { document } = await get(server, '/about');
      assert.equal(norm(document.querySelector('.site-name')!.textContent), 'The Daily Record');
      assert.equal(document.querySelector('.site-name img')!.getAttribute('src'), '/assets/logo.svg');
      assert.equal(document.querySelector('title')!.textContent, 'About Gazette – The Daily Record');
      const about = document.querySelector('.site-nav a[href="/about"]')!;
      assert.equal(norm(about.textContent), 'About us');
      assert.equal(about.getAttribute('aria-current'), 'page');
      assert.equal(document.querySelector('.footer-nav a')!.getAttribute('href'), 'mailto:desk@example.org');
      assert.equal(norm(document.querySelector('.site-description')!.textContent), 'News with its sources.');
      assert.match((await get(server, '/feed.xml')).text, /<title>The Daily Record<\/title>/);
    });

    it('lets only admins change the settings', async () => {
      for (const who of [editor, author, contributor]) await assert.rejects(saveSettings(server.store, who, await settings({ name: 'Hijacked' })), forbidden);
      assert.notEqual((await loadSettings(server.store.db, server.config)).name, 'Hijacked');
    });
  });

  describe('tags and people', () => {
    it('renames and deletes a tag, on the article pages that list it', async () => {
      assert.match(norm((await get(server, SEED_PATH)).document.querySelector('.tags')!.textContent), /Iraq/);
      const iraq = await getTag(server.store.db, 'iraq');
      await updateTag(server.store, editor, iraq.id, { slug: 'iraq', name: 'Republic of Iraq' });
      assert.match(norm((await get(server, SEED_PATH)).document.querySelector('.tags')!.textContent), /Republic of Iraq/);
      await deleteTag(server.store, editor, iraq.id);
      assert.doesNotMatch(norm((await get(server, SEED_PATH)).document.querySelector('.tags')!.textContent), /Iraq/);
      assert.equal((await get(server, '/tag/iraq/')).response.status, 404);
      const made = await createTag(server.store, editor, { slug: '', name: 'Oil & Gas' });
      assert.equal(made.slug, 'oil-gas');
      assert.match(await refusedField(createTag(server.store, editor, { slug: 'oil-gas', name: 'Oil' }), 'slug'), /already has this slug/);
      await assert.rejects(createTag(server.store, contributor, { slug: 'x', name: 'X' }), forbidden);
    });

    const profile = (over: Partial<PersonDraft> = {}): PersonDraft => ({
      slug: '',
      name: 'Maya Haddad',
      bio: 'Freelance correspondent in Beirut.',
      url: 'https://maya.example',
      photoUrl: 'https://maya.example/portrait.jpg',
      links: [{ label: 'Mastodon', url: 'https://social.example/@maya' }],
      languages: ['en', 'ar'],
      ...over,
    });

    it('bylines someone with no staff account, with a profile on their author page', async () => {
      const maya = await createPerson(server.store, editor, profile());
      assert.equal(maya.slug, 'maya-haddad');
      await createArticle(server.store, { section: 'news', slug: 'from-beirut', headline: 'From Beirut', body: 'A dispatch.', authors: ['maya-haddad'], publishedAt: '2024-05-01T10:00:00Z' });
      const article = await get(server, '/news/from-beirut');
      assert.equal(article.document.querySelector('a[rel="author"]')!.getAttribute('href'), '/author/maya-haddad/');

      let page = await get(server, '/author/maya-haddad/');
      assert.equal(page.document.querySelector('.author-photo')!.getAttribute('src'), 'https://maya.example/portrait.jpg');
      assert.ok(page.document.querySelector('.author-links a[href="https://social.example/@maya"]'));
      assert.match(norm(page.document.querySelector('.author-languages')!.textContent), /English · العربية/);

      await updatePerson(server.store, editor, maya.id, profile({ slug: 'maya-haddad', name: 'Maya K. Haddad', bio: 'Correspondent.' }));
      page = await get(server, '/author/maya-haddad/');
      assert.match(norm(page.document.querySelector('h1')!.textContent), /Maya K\. Haddad/);
      assert.match(norm((await get(server, '/news/from-beirut')).document.querySelector('.byline')!.textContent), /Maya K\. Haddad/);
    });

    it('refuses bad profile fields with a message for each', async () => {
      await refusedField(createPerson(server.store, editor, profile({ slug: 'x1', photoUrl: 'javascript:alert(1)' })), 'photoUrl');
      await refusedField(createPerson(server.store, editor, profile({ slug: 'x2', url: 'ftp://maya.example' })), 'url');
      await refusedField(createPerson(server.store, editor, profile({ slug: 'x3', links: [{ label: 'X', url: 'data:text/html,hi' }] })), 'links');
      await refusedField(createPerson(server.store, editor, profile({ slug: 'x4', languages: ['english!'] })), 'languages');
      await refusedField(createPerson(server.store, editor, profile({ slug: 'international-desk' })), 'slug');
      await assert.rejects(createPerson(server.store, author, profile({ slug: 'x5' })), forbidden);
      assert.equal((await get(server, '/author/x1/')).response.status, 404);
    });
  });
});

describe('migration 014: site structure', () => {
  it('adds its tables and columns to a site that has people, and goes back down', async () => {
    const database = await freshDatabase();
    const store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrationsFor(store.schema) } });
      assert.equal((await migrator.migrateTo('010_accounts')).error, undefined);
      const old = store.db as unknown as Kysely<Record<'people', Record<string, unknown>>>;
      await old.insertInto('people').values({ slug: 'desk', name: 'Desk', bio: 'Our desk.' }).execute();
      assert.equal((await migrator.migrateToLatest()).error, undefined);
      const person = await store.db.selectFrom('people').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual([person.photo_url, person.links, person.languages], [null, '[]', ''], 'existing people get empty profiles');
      assert.deepEqual(await store.db.selectFrom('pages').selectAll().execute(), []);
      assert.equal((await migrator.migrateTo('010_accounts')).error, undefined, 'down again');
      const tables = (await store.db.introspection.getTables()).map((t) => t.name);
      for (const gone of ['pages', 'section_redirects', 'site_settings']) assert.ok(!tables.includes(gone), gone);
      assert.equal((await migrator.migrateToLatest()).error, undefined, 'and up again');
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
