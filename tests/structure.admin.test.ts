// The site-structure screens under /admin over real HTTP: who may open and post each one (signed-out
// visitors, authors and contributors refused; settings for admins only), and the forms: a message next
// to each bad field with what was typed kept, unknown ids a 404 page, changes on the public site at once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { AdminClient, createAccount, signIn } from './helpers/admin.ts';
import { SEED_PATH, startTestServer, tempDir, type TestServer } from './helpers/server.ts';

const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const doc = (text: string) => parseHTML(text).document;

/** The message shown next to a field, tied to it by aria-describedby. */
function fieldError(text: string, id: string): string {
  const d = doc(text);
  const input = d.getElementById(id);
  assert.ok(input, `a field #${id}`);
  assert.equal(input.getAttribute('aria-invalid'), 'true', `#${id} is marked invalid`);
  assert.match(input.getAttribute('aria-describedby') ?? '', new RegExp(`${id}-error`));
  return norm(d.getElementById(`${id}-error`)!.textContent);
}

describe('site structure screens', () => {
  let server: TestServer;
  let admin: AdminClient, editor: AdminClient, author: AdminClient, contributor: AdminClient;
  let newsId = 0, tagId = 0, personId = 0, pageId = 0;

  before(async () => {
    server = await startTestServer();
    const sign = async (role: 'admin' | 'editor' | 'author' | 'contributor') => signIn(server, (await createAccount(server, { role })).email);
    admin = await sign('admin');
    editor = await sign('editor');
    author = await sign('author');
    contributor = await sign('contributor');
    const ids = (text: string, base: string) => [...text.matchAll(new RegExp(`href="/admin/${base}/(\\d+)"`, 'g'))].map((m) => Number(m[1]));
    const sections = await editor.get('/admin/sections');
    newsId = ids(sections.text, 'sections')[0]!;
    tagId = ids((await editor.get('/admin/tags')).text, 'tags')[0]!;
    personId = ids((await editor.get('/admin/people')).text, 'people')[0]!;
    pageId = ids((await editor.get('/admin/pages')).text, 'pages')[0]!;
    assert.ok(newsId && tagId && personId && pageId, 'the demo’s section, tag, author and page are listed');
  });
  after(() => server.close());

  const reads = () => [
    '/admin/sections',
    `/admin/sections/${newsId}`,
    '/admin/tags',
    `/admin/tags/${tagId}`,
    '/admin/people',
    '/admin/people/new',
    `/admin/people/${personId}`,
    '/admin/pages',
    '/admin/pages/new',
    `/admin/pages/${pageId}`,
    '/admin/settings',
  ];
  const writes = (): [string, Record<string, string>][] => [
    ['/admin/sections', { name: 'Sport', slug: 'sport', description: '', language: 'en' }],
    [`/admin/sections/${newsId}`, { name: 'Hijacked', slug: 'news', description: '', language: 'en' }],
    [`/admin/sections/${newsId}/move`, { direction: 'down' }],
    ['/admin/tags', { name: 'Hijacked', slug: '' }],
    [`/admin/tags/${tagId}`, { name: 'Hijacked', slug: 'hijacked' }],
    [`/admin/tags/${tagId}/delete`, {}],
    ['/admin/people', { name: 'Hijacked', slug: '', bio: '', url: '', photoUrl: '', links: '', languages: '' }],
    [`/admin/people/${personId}`, { name: 'Hijacked', slug: 'international-desk', bio: '', url: '', photoUrl: '', links: '', languages: '' }],
    ['/admin/pages', { title: 'Hijacked', slug: 'hijacked', body: '', language: 'en', intent: 'publish' }],
    [`/admin/pages/${pageId}`, { title: 'Hijacked', slug: 'about', body: '', language: 'en', intent: 'save' }],
    [`/admin/pages/${pageId}/delete`, {}],
    ['/admin/settings', { name: 'Hijacked', description: '', language: 'en', timeZone: 'UTC', logoUrl: '', navigation: '', footer: '' }],
  ];

  it('sends signed-out visitors to sign in and refuses their posts', async () => {
    const nobody = new AdminClient(server);
    for (const path of reads()) {
      const answer = await nobody.get(path);
      assert.equal(answer.status, 303, path);
      assert.match(answer.location ?? '', /^\/admin\/sign-in\?next=/, path);
    }
    for (const [path, form] of writes()) assert.equal((await nobody.post(path, form)).status, 401, path);
  });

  it('refuses authors and contributors every screen and every post (403), changing nothing', async () => {
    for (const client of [author, contributor]) {
      await client.get('/admin');
      for (const path of reads()) assert.equal((await client.get(path)).status, 403, `${path} as ${client === author ? 'author' : 'contributor'}`);
      for (const [path, form] of writes()) assert.equal((await client.post(path, form)).status, 403, `POST ${path}`);
    }
    const home = doc((await fetch(server.url + '/').then((r) => r.text())));
    assert.ok(!norm(home.body.textContent).includes('Hijacked'));
    assert.equal((await fetch(server.url + '/about')).status, 200);
    assert.equal((await fetch(server.url + '/tag/iraq/')).status, 200);
  });

  it('lets editors manage sections, tags, authors and pages but not the settings', async () => {
    for (const path of reads().filter((p) => p !== '/admin/settings')) assert.equal((await editor.get(path)).status, 200, path);
    assert.equal((await editor.get('/admin/settings')).status, 403);
    assert.equal((await editor.post('/admin/settings', writes().at(-1)![1])).status, 403);
    const nav = doc((await editor.get('/admin/sections')).text);
    const items = [...nav.querySelectorAll('.admin-nav a')].map((a) => norm(a.textContent));
    for (const item of ['Sections', 'Tags', 'Pages', 'Authors']) assert.ok(items.includes(item), `${item} in ${items.join(', ')}`);
    assert.ok(!items.includes('Settings'));
    assert.equal(nav.querySelector('.admin-nav a[aria-current="page"]')!.textContent, 'Sections');
    assert.equal((await admin.get('/admin/settings')).status, 200);
  });

  it('answers unknown and malformed ids with a 404 page', async () => {
    for (const path of ['/admin/sections/999999', '/admin/sections/abc', '/admin/tags/0', '/admin/people/99999999999999999999', '/admin/pages/-1', '/admin/pages/1e3', '/admin/tags/99999999999'])
      assert.equal((await editor.get(path)).status, 404, path);
    assert.equal((await editor.post('/admin/sections/999999', { name: 'X', slug: 'x', description: '', language: 'en' })).status, 404);
    assert.equal((await editor.post('/admin/pages/999999/delete', {})).status, 404);
  });

  it('renames a section through the form; bad input comes back with messages next to the fields', async () => {
    const refused = await editor.post(`/admin/sections/${newsId}`, { name: 'World news', slug: 'search', description: 'Typed text', language: 'xx yy' });
    assert.equal(refused.status, 422);
    assert.match(fieldError(refused.text, 'slug'), /used by the site itself/);
    assert.match(fieldError(refused.text, 'language'), /language tag/);
    const d = doc(refused.text);
    assert.equal(d.getElementById('name')!.getAttribute('value'), 'World news', 'what was typed is kept');
    assert.equal(norm(d.getElementById('description')!.textContent), 'Typed text');
    assert.ok(d.querySelector('.error-summary a[href="#slug"]'));
    assert.equal((await fetch(server.url + SEED_PATH, { redirect: 'manual' })).status, 200, 'nothing changed');

    const saved = await editor.post(`/admin/sections/${newsId}`, { name: 'World news', slug: 'world-news', description: '', language: 'en' });
    assert.equal(saved.status, 303);
    assert.equal(saved.location, `/admin/sections/${newsId}?saved=1`);
    const page = await editor.get(saved.location!);
    assert.match(page.text, /The section has been saved/);
    assert.match(page.text, /<code>\/news\/<\/code>/);
    const old = await fetch(server.url + SEED_PATH, { redirect: 'manual' });
    assert.equal(old.status, 301);
    assert.equal(old.headers.get('location'), '/world-news/disclosure-of-confidential-document');
  });

  it('adds and moves sections', async () => {
    const added = await editor.post('/admin/sections', { name: 'Sport', slug: 'sport', description: '', language: 'en' });
    assert.equal(added.status, 303);
    const again = await editor.post('/admin/sections', { name: 'Sport again', slug: 'sport', description: '', language: 'en' });
    assert.equal(again.status, 422);
    assert.match(fieldError(again.text, 'slug'), /already has this slug/);
    const names = async () => [...doc((await editor.get('/admin/sections')).text).querySelectorAll('tbody tr td:first-child a')].map((a) => norm(a.textContent));
    const before = await names();
    assert.equal(before.at(-1), 'Sport');
    const sportId = Number(/\/admin\/sections\/(\d+)/.exec(added.location!)![1]);
    assert.equal((await editor.post(`/admin/sections/${sportId}/move`, { direction: 'up' })).status, 303);
    const after = await names();
    assert.deepEqual(after, [...before.slice(0, -2), 'Sport', before.at(-2)!]);
    const nav = [...doc(await fetch(server.url + '/').then((r) => r.text())).querySelectorAll('.site-nav a')].map((a) => norm(a.textContent));
    assert.deepEqual(nav.slice(0, after.length), after);
  });

  it('creates, publishes and unpublishes a static page', async () => {
    const bad = await editor.post('/admin/pages', { title: '', slug: 'sport', body: 'Typed body', language: 'en', intent: 'publish' });
    assert.equal(bad.status, 422);
    assert.match(fieldError(bad.text, 'title'), /Enter a title/);
    assert.match(fieldError(bad.text, 'slug'), /section has this address/);
    assert.equal(norm(doc(bad.text).getElementById('body')!.textContent), 'Typed body');

    const created = await editor.post('/admin/pages', { title: 'Contact', slug: 'contact', body: 'Write to **us**.', language: 'en', intent: 'save' });
    assert.equal(created.status, 303);
    const editPath = created.location!.replace(/\?.*$/, '');
    assert.equal((await fetch(server.url + '/contact')).status, 404, 'saved as a draft');
    assert.equal((await editor.post(editPath, { title: 'Contact', slug: 'contact', body: 'Write to **us**.', language: 'en', intent: 'publish' })).status, 303);
    const shown = await fetch(server.url + '/contact');
    assert.equal(shown.status, 200);
    assert.match(await shown.text(), /Write to <strong>us<\/strong>\./);
    assert.equal((await editor.post(editPath, { title: 'Contact', slug: 'contact', body: 'Write to us.', language: 'en', intent: 'unpublish' })).status, 303);
    assert.equal((await fetch(server.url + '/contact')).status, 404);
  });

  it('edits a profile and a tag through their forms', async () => {
    const bad = await editor.post(`/admin/people/${personId}`, { name: 'International Desk', slug: 'international-desk', bio: '', url: '', photoUrl: 'javascript:alert(1)', links: 'no bar here', languages: 'en' });
    assert.equal(bad.status, 422);
    assert.match(fieldError(bad.text, 'links'), /Label \| address/);
    const ok = await editor.post(`/admin/people/${personId}`, { name: 'International Desk', slug: 'international-desk', bio: 'Our desk.', url: '', photoUrl: '/assets/logo.svg', links: 'Website | https://desk.example', languages: 'en, ar' });
    assert.equal(ok.status, 303);
    const authorPage = doc(await fetch(server.url + '/author/international-desk/').then((r) => r.text()));
    assert.ok(authorPage.querySelector('.author-links a[href="https://desk.example"]'));

    assert.equal((await editor.post(`/admin/tags/${tagId}`, { name: 'Renamed tag', slug: 'renamed-tag' })).status, 303);
    assert.equal((await fetch(server.url + '/tag/renamed-tag/')).status, 200);
  });

  it('refuses an unknown time zone in the settings with a message next to the field', async () => {
    const form = { name: 'Gazette', description: '', language: 'en', timeZone: 'Mars/Olympus_Mons', logoUrl: '', navigation: 'About | /about', footer: 'broken line' };
    const refused = await admin.post('/admin/settings', form);
    assert.equal(refused.status, 422);
    assert.match(fieldError(refused.text, 'timeZone'), /not a time zone/);
    assert.match(fieldError(refused.text, 'footer'), /Label \| address/);
    assert.equal(norm(doc(refused.text).getElementById('navigation')!.textContent), 'About | /about');
    const saved = await admin.post('/admin/settings', { ...form, timeZone: 'Asia/Tokyo', footer: 'Contact | /contact' });
    assert.equal(saved.status, 303);
    const article = doc(await fetch(server.url + '/world-news/disclosure-of-confidential-document').then((r) => r.text()));
    assert.match(norm(article.querySelector('.byline .dates')!.textContent), /January 16, 2022, 18:30 GMT\+9/);
  });

  it('draws every screen as valid HTML (Nu Html Checker), forms that came back included', async () => {
    const out = tempDir('gazette-vnu-structure-');
    try {
      const files: string[] = [];
      const save = (name: string, text: string) => {
        const file = path.join(out.dir, `${name}.html`);
        fs.writeFileSync(file, text);
        files.push(file);
      };
      for (const screen of reads()) save(screen.replace(/\W+/g, '-'), (await admin.get(screen)).text);
      save('refused-section', (await admin.post('/admin/sections', { name: '', slug: 'search', description: '', language: '?' })).text);
      save('refused-settings', (await admin.post('/admin/settings', { name: '', description: '', language: 'en', timeZone: 'Nowhere/Else', logoUrl: 'javascript:x', navigation: 'x', footer: '' })).text);
      const jar = String(createRequire(import.meta.url)('vnu-jar'));
      const run = spawnSync(process.env.JAVA ?? 'java', ['-jar', jar, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      assert.equal(run.error, undefined, 'the checker runs');
      const report = JSON.parse(run.stderr) as { messages: { url?: string; message: string; extract?: string }[] };
      assert.deepEqual(report.messages.map((m) => `${path.basename(m.url ?? '')}: ${m.message} ${m.extract ?? ''}`), []);
    } finally {
      out.remove();
    }
  });
});
