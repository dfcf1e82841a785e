// The article screens over real HTTP, signed in through the real form: the permission matrix (each role
// × create, edit own, edit another's, publish, schedule, unpublish, including requests crafted by hand
// and signed-out ones), forms that keep what was typed with a message per field, the stale-save
// conflict, lock take-over, autosave, revisions and preview.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import type { Role } from '../../src/accounts/permissions.ts';
import { createAccount, signIn, type AdminClient } from '../helpers/admin.ts';
import { loadSettings, saveSettings } from '../../src/settings/settings.service.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const ROLES: readonly Role[] = ['admin', 'editor', 'author', 'contributor'];

/** The form fields of a complete article. */
function articleForm(headline: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    headline,
    subtitle: 'Subtitle',
    slug: '',
    section: 'news',
    language: 'en',
    tags: 'Newsroom, Tests',
    authors: 'international-desk',
    summary: '',
    body: `First paragraph.\n\n> "A quotation," said the spokesperson.\n\nLast paragraph of ${headline}.`,
    'sources.0.name': 'Al-Akhbar',
    'sources.0.description': 'Lebanese daily newspaper',
    'sources.0.url': 'https://al-akhbar.example/report',
    'sources.0.kind': 'outlet',
    'sources.0.role': 'reported',
    'sources.0.relays': '',
    'sources.0.document': '',
    'sources.1.name': 'Wire agency',
    'sources.1.description': '',
    'sources.1.url': '',
    'sources.1.kind': 'agency',
    'sources.1.role': 'relayed',
    'sources.1.relays': '0',
    'sources.1.document': '',
    pin: '',
    comments_open: 'on',
    image_url: '',
    image_alt: '',
    scheduled_at: '',
    action: 'save',
    ...extra,
  };
}

const idFrom = (location: string | null) => {
  const m = /^\/admin\/articles\/(\d+)\?done=/.exec(location ?? '');
  if (!m) throw new Error(`not an article address: ${location}`);
  return Number(m[1]);
};

describe('article screens over HTTP', () => {
  let server: TestServer;
  const clients = new Map<Role, AdminClient>();
  /** An author whose articles are "another's" for every role. */
  let someoneElse: AdminClient;
  let unique = 0;

  const statusOf = async (id: number) => (await server.store.db.selectFrom('articles').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const versionOf = async (id: number) => (await server.store.db.selectFrom('articles').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;

  /** Creates an article through the form as the role; returns its id. */
  async function create(role: Role | AdminClient, extra: Record<string, string> = {}): Promise<number> {
    unique += 1;
    const client = typeof role === 'string' ? clients.get(role)! : role;
    const answer = await client.post('/admin/articles/new', articleForm(`${typeof role === 'string' ? role : 'other'} story ${unique}`, extra));
    assert.equal(answer.status, 303, answer.text.slice(0, 500));
    return idFrom(answer.location);
  }

  /** Posts the edit form of an article with its current version. */
  async function act(role: Role, id: number, action: string, extra: Record<string, string> = {}) {
    return clients.get(role)!.post(`/admin/articles/${id}`, articleForm(`edited ${id}`, { version: String(await versionOf(id)), action, ...extra }));
  }

  before(async () => {
    server = await startTestServer();
    for (const role of ROLES) {
      const account = await createAccount(server, { role });
      clients.set(role, await signIn(server, account.email, account.password));
    }
    const other = await createAccount(server, { role: 'author', name: 'Someone Else' });
    someoneElse = await signIn(server, other.email, other.password);
  });
  after(() => server.close());

  it('sends a signed-out request to sign in, and refuses a signed-out post', async () => {
    const id = await create('editor');
    for (const path of ['/admin/articles', '/admin/articles/new', `/admin/articles/${id}`, `/admin/articles/${id}/preview`, `/admin/articles/${id}/revisions`]) {
      const answer = await fetch(server.url + path, { redirect: 'manual' });
      assert.equal(answer.status, 303, path);
      assert.match(answer.headers.get('location') ?? '', /^\/admin\/sign-in/);
    }
    for (const path of ['/admin/articles/new', `/admin/articles/${id}`, `/admin/articles/${id}/autosave`, `/admin/articles/${id}/lock`, `/admin/articles/${id}/notes`]) {
      const answer = await fetch(server.url + path, { method: 'POST', redirect: 'manual', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(articleForm('x', { action: 'publish' })) });
      assert.ok([401, 403].includes(answer.status), `${path} answered ${answer.status}`);
    }
    assert.equal(await statusOf(id), 'draft');
  });

  it('lets each role create, edit, publish, schedule and unpublish only what it may', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
    for (const role of ROLES) {
      const senior = role === 'admin' || role === 'editor';
      // Create and edit its own.
      const own = await create(role);
      assert.equal((await act(role, own, 'save', { subtitle: 'Edited by its owner' })).status, 303, `${role} edits its own`);
      // Another author's article.
      // Another author's article: its author holds the lock, so an editor takes it over first.
      const others = await create(someoneElse);
      const takeOver = await clients.get(role)!.post(`/admin/articles/${others}/lock`, { take_over: '1' });
      assert.equal(takeOver.status, senior ? 303 : 403, `${role} takes over another's lock`);
      const edit = await act(role, others, 'save');
      assert.equal(edit.status, senior ? 303 : 403, `${role} edits another's`);
      // Publish and schedule its own (a contributor's request is crafted: it has no such button).
      const publish = await act(role, own, 'publish');
      assert.equal(publish.status, role === 'contributor' ? 403 : 303, `${role} publishes its own`);
      assert.equal(await statusOf(own), role === 'contributor' ? 'draft' : 'published');
      const toSchedule = await create(role);
      const schedule = await act(role, toSchedule, 'schedule', { scheduled_at: tomorrow });
      assert.equal(schedule.status, role === 'contributor' ? 403 : 303, `${role} schedules its own`);
      assert.equal(await statusOf(toSchedule), role === 'contributor' ? 'draft' : 'scheduled');
      // Publish another's.
      const publishOthers = await act(role, others, 'publish');
      assert.equal(publishOthers.status, senior ? 303 : 403, `${role} publishes another's`);
      assert.equal(await statusOf(others), senior ? 'published' : 'draft');
      // Unpublish: its own once published (by an editor for the contributor).
      if (role === 'contributor') {
        // Its way to readers: it submits (which gives up its lock) and an editor publishes.
        assert.equal((await act('contributor', own, 'submit')).status, 303);
        assert.equal(await statusOf(own), 'review');
        assert.equal((await act('editor', own, 'publish')).status, 303);
      }
      const unpublish = await act(role, own, 'unpublish');
      assert.equal(unpublish.status, role === 'contributor' ? 403 : 303, `${role} unpublishes its own`);
      assert.equal(await statusOf(own), role === 'contributor' ? 'published' : 'unpublished');
    }
  });

  it('shows only the buttons the role may use', async () => {
    const id = await create('contributor');
    const page = (await clients.get('contributor')!.get(`/admin/articles/${id}`)).text;
    assert.match(page, /Save draft/);
    assert.match(page, /Submit for review/);
    assert.doesNotMatch(page, />Publish</);
    assert.doesNotMatch(page, />Schedule</);
    const editorPage = (await clients.get('editor')!.get(`/admin/articles/${id}`)).text;
    assert.match(editorPage, />Publish</);
    assert.match(editorPage, />Schedule</);
  });

  it('keeps what was typed and puts a message next to each invalid field', async () => {
    const answer = await clients.get('author')!.post('/admin/articles/new', articleForm('', { subtitle: 'Kept subtitle', slug: 'Bad Slug!', 'sources.0.url': 'not a url', authors: 'nobody-at-all' }));
    assert.equal(answer.status, 422);
    const { document } = parseHTML(answer.text);
    const errorOf = (id: string) => document.getElementById(`${id}-error`)?.textContent ?? '';
    assert.match(errorOf('headline'), /headline is required/);
    assert.match(errorOf('slug'), /lower-case/);
    assert.match(errorOf('sources.0.url'), /http or https URL/);
    assert.equal((document.getElementById('subtitle') as unknown as { getAttribute(n: string): string }).getAttribute('value'), 'Kept subtitle');
    assert.equal((document.getElementById('sources.1.name') as unknown as { getAttribute(n: string): string }).getAttribute('value'), 'Wire agency');
    // A blank source row is dropped: the message sits next to the row the form shows again.
    const blankFirst = await clients.get('author')!.post(
      '/admin/articles/new',
      articleForm('Blank row first', { 'sources.0.name': '', 'sources.0.description': '', 'sources.0.url': '', 'sources.1.url': 'not a url', 'sources.1.relays': '' }),
    );
    assert.equal(blankFirst.status, 422);
    const blankDoc = parseHTML(blankFirst.text).document;
    assert.match(blankDoc.getElementById('sources.0.url-error')?.textContent ?? '', /http or https URL/);
    assert.equal((blankDoc.getElementById('sources.0.name') as unknown as { getAttribute(n: string): string }).getAttribute('value'), 'Wire agency');
    // An image needs its description; "Schedule" needs a time, and one in the future.
    const noAlt = await clients.get('author')!.post('/admin/articles/new', articleForm('Image without words', { image_url: 'https://images.example/photo.jpg' }));
    assert.equal(noAlt.status, 422);
    assert.match(parseHTML(noAlt.text).document.getElementById('image_alt-error')?.textContent ?? '', /describe what the image shows/);
    const id = await create('author');
    const noTime = await act('author', id, 'schedule', { scheduled_at: '' });
    assert.equal(noTime.status, 422);
    assert.match(parseHTML(noTime.text).document.getElementById('scheduled_at-error')?.textContent ?? '', /date and time/);
    const past = await act('author', id, 'schedule', { scheduled_at: '2001-01-01T09:00' });
    assert.equal(past.status, 422);
    assert.match(parseHTML(past.text).document.getElementById('scheduled_at-error')?.textContent ?? '', /in the future/);
    assert.equal(await statusOf(id), 'draft');
    // A section that does not exist is refused by the service with a message next to it, nothing stored.
    const before = await server.store.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const unknown = await clients.get('author')!.post('/admin/articles/new', articleForm('Unknown section', { section: 'sport' }));
    assert.equal(unknown.status, 422);
    assert.match(parseHTML(unknown.text).document.getElementById('section-error')?.textContent ?? '', /existing section/);
    const after = await server.store.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });

  it('refuses a stale save, showing both versions, and saves nothing', async () => {
    const id = await create('editor');
    const version = await versionOf(id);
    assert.equal((await act('editor', id, 'save', { subtitle: 'Newer subtitle' })).status, 303);
    const stale = await clients.get('editor')!.post(`/admin/articles/${id}`, articleForm(`edited ${id}`, { version: String(version), subtitle: 'Older tab subtitle' }));
    assert.equal(stale.status, 409);
    assert.match(stale.text, /Someone saved this article after you opened it/);
    const { document } = parseHTML(stale.text);
    const diff = document.querySelector('.conflict')?.textContent ?? '';
    assert.match(diff, /Newer subtitle/);
    assert.match(diff, /Older tab subtitle/);
    // The form keeps the typed text, based now on the current version.
    assert.match(stale.text, /value="Older tab subtitle"/);
    assert.equal((document.querySelector('input[name="version"]') as unknown as { getAttribute(n: string): string }).getAttribute('value'), String(version + 1));
    assert.equal(await versionOf(id), version + 1);
  });

  it('shows who holds the lock and lets another editor take over', async () => {
    const other = await createAccount(server, { role: 'editor', name: 'Second Editor' });
    const second = await signIn(server, other.email, other.password);
    const id = await create('editor');
    assert.equal((await clients.get('editor')!.get(`/admin/articles/${id}`)).status, 200);
    const locked = await second.get(`/admin/articles/${id}`);
    assert.match(locked.text, /is editing this article/);
    assert.match(locked.text, /Take over/);
    assert.match(locked.text, /<fieldset class="plain" disabled>/);
    const refused = await second.post(`/admin/articles/${id}`, articleForm('Mine', { version: String(await versionOf(id)) }));
    assert.equal(refused.status, 409);
    assert.equal((await second.post(`/admin/articles/${id}/lock`, { take_over: '1' })).status, 303);
    const mine = await second.get(`/admin/articles/${id}`);
    assert.doesNotMatch(mine.text, /is editing this article/);
    const firstAgain = await act('editor', id, 'save');
    assert.equal(firstAgain.status, 409);
    assert.match(firstAgain.text, /Second Editor/);
  });

  it('autosaves through fetch with JSON answers, and refuses a stale autosave', async () => {
    const client = clients.get('author')!;
    const id = await create('author');
    await client.get(`/admin/articles/${id}`);
    const version = await versionOf(id);
    const body = new URLSearchParams({ ...articleForm('Autosaved', { version: String(version) }) });
    const post = (b: URLSearchParams) =>
      fetch(`${server.url}/admin/articles/${id}/autosave`, { method: 'POST', headers: { cookie: client.cookie, origin: server.url, accept: 'application/json', 'x-csrf-token': client.csrfToken }, body: b });
    const ok = await post(body);
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { version: number }).version, version + 1);
    const stale = await post(body);
    assert.equal(stale.status, 409);
    assert.match(((await stale.json()) as { error: { message: string } }).error.message, /saved by someone else/);
    // Without the token, refused.
    const forged = await fetch(`${server.url}/admin/articles/${id}/autosave`, { method: 'POST', headers: { cookie: client.cookie, origin: server.url, accept: 'application/json' }, body });
    assert.equal(forged.status, 403);
  });

  it('lists revisions, compares two field by field, and restores one', async () => {
    const id = await create('editor');
    assert.equal((await act('editor', id, 'save', { 'sources.1.name': 'Renamed agency' })).status, 303);
    const client = clients.get('editor')!;
    const page = await client.get(`/admin/articles/${id}/revisions`);
    assert.equal(page.status, 200);
    const revisionIds = [...page.text.matchAll(/name="from" value="(\d+)"/g)].map((m) => m[1]!);
    assert.ok(revisionIds.length >= 2);
    const compare = await client.get(`/admin/articles/${id}/revisions/compare?from=${revisionIds.at(-1)}&to=${revisionIds[0]}`);
    assert.equal(compare.status, 200);
    assert.match(compare.text, /<h2>Sources<\/h2>/);
    assert.match(compare.text, /Renamed agency/);
    const restored = await client.post(`/admin/articles/${id}/revisions/${revisionIds.at(-1)}/restore`, { version: String(await versionOf(id)) });
    assert.equal(restored.status, 303);
    const sources = await server.store.db.selectFrom('sources').select('name').where('article_id', '=', id).orderBy('position').execute();
    assert.deepEqual(sources.map((s) => s.name), ['Al-Akhbar', 'Wire agency']);
    // Unknown and malformed ids are 404 pages.
    assert.equal((await client.get(`/admin/articles/${id}/revisions/compare?from=abc&to=1`)).status, 404);
    assert.equal((await client.get('/admin/articles/99999999')).status, 404);
    assert.equal((await client.get('/admin/articles/12abc')).status, 404);
  });

  it('previews a draft exactly as readers will see it, never cached, while readers get a 404', async () => {
    const id = await create('author', { headline: 'Preview me please' });
    const preview = await clients.get('author')!.get(`/admin/articles/${id}/preview`);
    assert.equal(preview.status, 200);
    assert.equal(preview.headers.get('cache-control'), 'no-store');
    assert.match(preview.text, /Preview me please/);
    assert.match(preview.text, /A quotation/);
    assert.match(preview.text, /Al-Akhbar/);
    const path = `/news/preview-me-please`;
    assert.equal((await fetch(server.url + path)).status, 404);
    // Another author may not preview it.
    const other = await createAccount(server, { role: 'author' });
    assert.equal((await (await signIn(server, other.email, other.password)).get(`/admin/articles/${id}/preview`)).status, 403);
  });

  it('reads "Publish at" in the site’s time zone', async () => {
    const admin = await createAccount(server, { role: 'admin' });
    await saveSettings(server.store, admin, { ...(await loadSettings(server.store.db, server.config)), timeZone: 'Asia/Tehran' });
    const id = await create('editor');
    const form = await clients.get('editor')!.get(`/admin/articles/${id}`);
    assert.match(form.text, /Publish at \(Asia\/Tehran\)/);
    assert.equal((await act('editor', id, 'schedule', { scheduled_at: '2099-01-15T12:00' })).status, 303);
    const row = await server.store.db.selectFrom('articles').select('scheduled_at').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.scheduled_at, '2099-01-15T08:30:00.000Z');
    assert.match((await clients.get('editor')!.get(`/admin/articles/${id}`)).text, /value="2099-01-15T12:00"/);
    await saveSettings(server.store, admin, { ...(await loadSettings(server.store.db, server.config)), timeZone: 'UTC' });
  });

  it('keeps notes and filters the list by status', async () => {
    const id = await create('editor');
    const client = clients.get('editor')!;
    assert.equal((await client.post(`/admin/articles/${id}/notes`, { note: 'Call the ministry back.' })).status, 303);
    assert.match((await client.get(`/admin/articles/${id}`)).text, /Call the ministry back\./);
    assert.equal((await client.post(`/admin/articles/${id}/notes`, { note: '  ' })).status, 422);
    const drafts = await client.get('/admin/articles?status=draft');
    assert.match(drafts.text, new RegExp(`/admin/articles/${id}"`));
    const published = await client.get('/admin/articles?status=published');
    assert.doesNotMatch(published.text, new RegExp(`/admin/articles/${id}"`));
    assert.equal((await client.get('/admin/articles?status=bogus')).status, 400);
  });
});
