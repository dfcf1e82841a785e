// The Admin API over real HTTP against the real server (issue 13): every endpoint exercised twice, once
// with an admin token and once with a signed-in editor's session and its CSRF token, every answer checked
// against the OpenAPI document the server publishes. What the API changes shows where the web shows it
// (a published article or page on the next public request). Refusals are JSON naming the field; a session
// request without its CSRF token is refused. Both engines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createApiToken } from '../../src/accounts/api-token.service.ts';
import { createAccount, signIn, type AdminClient } from '../helpers/admin.ts';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, fields, postComment, readForm, startCommentServer } from '../comments/helpers.ts';
import { ApiClient, documentCheck, uploadForm, type Auth, type DocumentCheck } from './admin-client.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const png = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();

/** A complete article body for the API. */
function article(headline: string, extra: Record<string, unknown> = {}) {
  return {
    section: 'news',
    headline,
    subtitle: 'Filed through the Admin API',
    body: `First paragraph of ${headline}.\n\n> "A quotation," said the spokesperson.\n\nLast paragraph.`,
    authors: ['international-desk'],
    tags: ['Admin API'],
    sources: [
      { name: 'Al-Akhbar', description: 'Lebanese daily newspaper', url: 'https://al-akhbar.example/report', kind: 'outlet', role: 'reported' },
      { name: 'Wire agency', kind: 'agency', role: 'relayed', relays: 0 },
    ],
    ...extra,
  };
}

describe('Admin API over HTTP', () => {
  let server: TestServer;
  /** One checker per way in, to show every documented operation was used both ways. */
  const checks = new Map<Auth['via'], DocumentCheck>();
  let token: string;
  let session: AdminClient;
  /** A second account, to hold a lock the API must respect. */
  let colleague: AdminClient;

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-all' });
    const admin = await createAccount(server, { role: 'admin', name: 'Script Owner', email: 'script.owner@newsroom.test' });
    token = (await createApiToken(server.store, null, { kind: 'admin', name: 'Newsroom script', role: 'admin', user: admin.email })).token;
    session = await signIn(server, admin.email);
    const editor = await createAccount(server, { role: 'editor', name: 'Lock Holder' });
    colleague = await signIn(server, editor.email);
    for (const via of ['token', 'session'] as const) checks.set(via, await documentCheck(server));
  });
  after(() => server?.close());

  for (const via of ['token', 'session'] as const) {
    describe(`with ${via === 'token' ? 'an admin token' : 'a session and its CSRF token'}`, () => {
      let api: ApiClient;
      const state: { sectionId?: number; documentId?: number; imageId?: number; spareImageId?: number; articleId?: number; version?: number } = {};

      before(() => {
        const auth: Auth = via === 'token' ? { via, token } : { via, client: session };
        api = new ApiClient(server, auth, checks.get(via)!.check);
      });

      it('sections: create, list, read, change, reorder', async () => {
        const me = await api.get('/api/admin/me');
        assert.deepEqual([me.status, me.body.via, me.body.role], [200, via, 'admin']);
        const created = await api.post('/api/admin/sections', { slug: `desk-${via}`, name: `Desk ${via}` });
        assert.equal(created.status, 201, created.text);
        assert.equal(created.headers.get('location'), `/api/admin/sections/${created.body.id}`);
        assert.equal(created.body.path, `/desk-${via}/`);
        state.sectionId = created.body.id;
        const list = await api.get('/api/admin/sections');
        assert.equal(list.status, 200);
        assert.ok(list.body.items.some((s: { slug: string }) => s.slug === `desk-${via}`));
        const changed = await api.patch(`/api/admin/sections/${state.sectionId}`, { slug: `the-desk-${via}`, description: 'Renamed through the API' });
        assert.equal(changed.status, 200, changed.text);
        assert.deepEqual([changed.body.slug, changed.body.name, changed.body.oldSlugs], [`the-desk-${via}`, `Desk ${via}`, [`desk-${via}`]]);
        assert.equal((await fetch(`${server.url}/desk-${via}/`, { redirect: 'manual' })).status, 301, 'the old address answers 301');
        assert.equal((await api.get(`/api/admin/sections/${state.sectionId}`)).body.description, 'Renamed through the API');
        const ids: number[] = list.body.items.map((s: { id: number }) => s.id).reverse();
        const reordered = await api.put('/api/admin/sections/order', { ids });
        assert.equal(reordered.status, 200, reordered.text);
        assert.deepEqual(reordered.body.items.map((s: { id: number }) => s.id), ids);
        const duplicate = await api.post('/api/admin/sections', { slug: `the-desk-${via}`, name: 'Again' });
        assert.equal(duplicate.status, 422);
        assert.match(duplicate.body.error.fields.slug, /already has this slug/);
      });

      it('tags: create, list, read, rename, delete', async () => {
        const created = await api.post('/api/admin/tags', { name: `Elections ${via}` });
        assert.equal(created.status, 201, created.text);
        assert.equal(created.body.slug, `elections-${via}`);
        assert.ok((await api.get('/api/admin/tags')).body.items.some((t: { id: number }) => t.id === created.body.id));
        assert.equal((await api.get(`/api/admin/tags/${created.body.id}`)).body.name, `Elections ${via}`);
        const renamed = await api.patch(`/api/admin/tags/${created.body.id}`, { name: `Votes ${via}` });
        assert.deepEqual([renamed.status, renamed.body.name, renamed.body.slug], [200, `Votes ${via}`, `elections-${via}`]);
        assert.equal((await api.delete(`/api/admin/tags/${created.body.id}`)).status, 204);
        assert.equal((await api.get(`/api/admin/tags/${created.body.id}`)).status, 404);
      });

      it('authors: create, list, read, change', async () => {
        const created = await api.post('/api/admin/authors', { name: `Maya Haddad ${via}`, bio: 'Reports on the region.', links: [{ label: 'Website', url: 'https://maya.example/' }], languages: ['en', 'ar'] });
        assert.equal(created.status, 201, created.text);
        assert.deepEqual([created.body.slug, created.body.languages], [`maya-haddad-${via}`, ['en', 'ar']]);
        assert.ok((await api.get('/api/admin/authors')).body.items.some((p: { id: number }) => p.id === created.body.id));
        const changed = await api.patch(`/api/admin/authors/${created.body.id}`, { url: 'https://maya.example/about' });
        assert.deepEqual([changed.status, changed.body.url, changed.body.bio], [200, 'https://maya.example/about', 'Reports on the region.']);
        assert.equal((await api.get(`/api/admin/authors/${created.body.id}`)).body.name, `Maya Haddad ${via}`);
        const bad = await api.patch(`/api/admin/authors/${created.body.id}`, { languages: ['not a tag'] });
        assert.equal(bad.status, 422);
        assert.ok(bad.body.error.fields.languages);
      });

      it('pages: a draft is not public; published, it is shown at /<slug> on the next request; deleted, 404', async () => {
        const slug = `about-api-${via}`;
        const created = await api.post('/api/admin/pages', { slug, title: `About (${via})`, body: 'We publish **facts**.' });
        assert.equal(created.status, 201, created.text);
        assert.equal(created.body.status, 'draft');
        assert.equal((await fetch(`${server.url}/${slug}`)).status, 404);
        const published = await api.patch(`/api/admin/pages/${created.body.id}`, { status: 'published' });
        assert.equal(published.status, 200, published.text);
        const page = await fetch(`${server.url}/${slug}`);
        assert.equal(page.status, 200);
        assert.match(await page.text(), /We publish <strong>facts<\/strong>/);
        assert.ok((await api.get('/api/admin/pages')).body.items.some((p: { slug: string }) => p.slug === slug));
        assert.equal((await api.get(`/api/admin/pages/${created.body.id}`)).body.title, `About (${via})`);
        assert.equal((await api.delete(`/api/admin/pages/${created.body.id}`)).status, 204);
        assert.equal((await fetch(`${server.url}/${slug}`)).status, 404);
      });

      it('documents: upload (multipart), list, read', async () => {
        const uploaded = await api.post('/api/admin/documents', undefined, { form: uploadForm({ title: `Leaked memo ${via}` }, { name: 'memo.pdf', type: 'application/pdf', bytes: PDF }) });
        assert.equal(uploaded.status, 201, uploaded.text);
        assert.deepEqual([uploaded.body.title, uploaded.body.mediaType, uploaded.body.sizeBytes], [`Leaked memo ${via}`, 'application/pdf', PDF.length]);
        state.documentId = uploaded.body.id;
        assert.ok((await api.get('/api/admin/documents?q=memo')).body.items.some((d: { id: number }) => d.id === state.documentId));
        assert.equal((await api.get(`/api/admin/documents/${state.documentId}`)).body.sha256, uploaded.body.sha256);
        const notPdf = await api.post('/api/admin/documents', undefined, { form: uploadForm({}, { name: 'evil.pdf', type: 'application/pdf', bytes: Buffer.from('<script>alert(1)</script>') }) });
        assert.equal(notPdf.status, 415);
        assert.ok(notPdf.body.error.fields.file);
      });

      it('media: upload, list, read with uses, edit, replace', async () => {
        const uploaded = await api.post('/api/admin/media', undefined, { form: uploadForm({ alt: 'A harbour at dawn', credit: 'Staff', focalX: '300' }, { name: 'harbour.png', type: 'image/png', bytes: await png(600, 400, '#336699') }) });
        assert.equal(uploaded.status, 201, uploaded.text);
        assert.deepEqual([uploaded.body.alt, uploaded.body.credit, uploaded.body.focal, uploaded.body.width], ['A harbour at dawn', 'Staff', { x: 300, y: 500 }, 600]);
        state.imageId = uploaded.body.id;
        const spare = await api.post('/api/admin/media', undefined, { form: uploadForm({ decorative: 'true' }, { name: 'texture.png', type: 'image/png', bytes: await png(300, 200, '#aa3300') }) });
        assert.equal(spare.status, 201, spare.text);
        state.spareImageId = spare.body.id;
        assert.ok((await api.get('/api/admin/media?q=harbour')).body.items.some((i: { id: number }) => i.id === state.imageId));
        const read = await api.get(`/api/admin/media/${state.imageId}`);
        assert.deepEqual([read.status, read.body.uses], [200, []]);
        const edited = await api.patch(`/api/admin/media/${state.imageId}`, { caption: 'The harbour before the strike', focalY: 200 });
        assert.deepEqual([edited.status, edited.body.caption, edited.body.alt, edited.body.focal], [200, 'The harbour before the strike', 'A harbour at dawn', { x: 300, y: 200 }]);
        const replaced = await api.call('PUT', `/api/admin/media/${state.imageId}/file`, { form: uploadForm({}, { name: 'harbour-2.png', type: 'image/png', bytes: await png(640, 480, '#225588') }) });
        assert.equal(replaced.status, 200, replaced.text);
        assert.deepEqual([replaced.body.width, replaced.body.caption], [640, 'The harbour before the strike']);
        assert.notEqual(replaced.body.sha256, uploaded.body.sha256);
        const noAlt = await api.patch(`/api/admin/media/${state.imageId}`, { alt: '' });
        assert.equal(noAlt.status, 422);
        assert.ok(noAlt.body.error.fields.alt);
        const badField = await api.post('/api/admin/media', undefined, { form: uploadForm({ colour: 'red' }, { name: 'x.png', type: 'image/png', bytes: await png(10, 10, '#000000') }) });
        assert.equal(badField.status, 422);
        assert.ok(badField.body.error.fields.colour);
      });

      it('articles: create with sources, a cited document and a cropped lead image; read; list with filters', async () => {
        const body = article(`Harbour strike ${via}`, {
          sources: [
            { name: 'Al-Akhbar', url: 'https://al-akhbar.example/report', kind: 'outlet', role: 'reported' },
            { name: 'The memo', kind: 'document', role: 'obtained', documentId: state.documentId },
          ],
          leadImageId: state.imageId,
          leadImageCrop: { x: 100, y: 100, w: 600, h: 400 },
        });
        const created = await api.post('/api/admin/articles', body);
        assert.equal(created.status, 201, created.text);
        const a = created.body;
        assert.deepEqual([a.status, a.version, a.headline, a.section, a.lock], ['draft', 1, `Harbour strike ${via}`, 'news', null]);
        assert.deepEqual(a.sources.map((s: { name: string; documentId: number | null }) => [s.name, s.documentId]), [['Al-Akhbar', null], ['The memo', state.documentId]]);
        assert.deepEqual([a.leadImageId, a.leadImageCrop], [state.imageId, { x: 100, y: 100, w: 600, h: 400 }]);
        assert.deepEqual(a.actions, { edit: true, submit: true, ready: true, schedule: true, publish: true, unpublish: false, pin: true });
        assert.deepEqual([a.homePinned, a.seoTitle, a.seoDescription], [false, '', '']);
        state.articleId = a.id;
        state.version = a.version;
        const uses = await api.get(`/api/admin/media/${state.imageId}`);
        assert.deepEqual(uses.body.uses.map((u: { articleId: number; as: string[] }) => [u.articleId, u.as]), [[a.id, ['lead']]]);
        assert.equal((await api.get(`/api/admin/articles/${a.id}`)).body.path, `/news/harbour-strike-${via}`);
        const list = await api.get(`/api/admin/articles?status=draft&q=${encodeURIComponent(`Harbour strike ${via}`)}&perPage=5`);
        assert.equal(list.status, 200);
        assert.deepEqual(list.body.items.map((i: { id: number }) => i.id), [a.id]);
        const invalid = await api.post('/api/admin/articles', article('', { sources: [{ name: '', kind: 'outlet', role: 'reported' }] }));
        assert.equal(invalid.status, 422);
        assert.ok(invalid.body.error.fields.headline && invalid.body.error.fields['sources.0.name'], JSON.stringify(invalid.body));
        const badCrop = await api.post('/api/admin/articles', article(`Bad crop ${via}`, { leadImageId: state.imageId, leadImageCrop: { x: 900, y: 0, w: 500, h: 100 } }));
        assert.equal(badCrop.status, 422);
        assert.ok(badCrop.body.error.fields.leadImageCrop);
      });

      it('articles: update with the version it is based on; a stale version is 409 with both versions and nothing saved', async () => {
        const saved = await api.patch(`/api/admin/articles/${state.articleId}`, { version: state.version, subtitle: 'Second version' });
        assert.equal(saved.status, 200, saved.text);
        assert.deepEqual([saved.body.version, saved.body.subtitle, saved.body.headline, saved.body.sources.length, saved.body.lock], [state.version! + 1, 'Second version', `Harbour strike ${via}`, 2, null]);
        const stale = await api.patch(`/api/admin/articles/${state.articleId}`, { version: state.version, subtitle: 'Based on the first version' });
        assert.equal(stale.status, 409);
        assert.equal(stale.body.error.code, 'conflict');
        assert.ok(stale.body.error.fields.version);
        assert.deepEqual([stale.body.current.version, stale.body.current.subtitle], [state.version! + 1, 'Second version']);
        assert.deepEqual(stale.body.yours, { version: state.version, draft: { subtitle: 'Based on the first version' } });
        assert.equal((await api.get(`/api/admin/articles/${state.articleId}`)).body.subtitle, 'Second version', 'nothing was saved');
        // Two saves based on the same version at the same moment: one is saved, the other told it is stale.
        const race = await Promise.all(['Racer A', 'Racer B'].map((summary) => api.patch(`/api/admin/articles/${state.articleId}`, { version: saved.body.version, summary })));
        assert.deepEqual(race.map((r) => r.status).sort(), [200, 409]);
        const winner = race.find((r) => r.status === 200)!.body;
        const loser = race.find((r) => r.status === 409)!.body;
        assert.deepEqual([loser.current.version, loser.current.summary], [winner.version, winner.summary]);
        state.version = winner.version;
      });

      it('articles: submit, ready, schedule, take off the schedule, publish (shown on the public page at once), unpublish', async () => {
        const id = state.articleId!;
        const path = (await api.get(`/api/admin/articles/${id}`)).body.path as string;
        const v = state.version!;
        const submitted = await api.post(`/api/admin/articles/${id}/submit`, { version: v });
        assert.deepEqual([submitted.status, submitted.body.status], [200, 'review'], submitted.text);
        assert.equal((await api.post(`/api/admin/articles/${id}/ready`, { version: v })).body.status, 'ready');
        const at = new Date(Date.now() + 3600_000).toISOString();
        const scheduled = await api.post(`/api/admin/articles/${id}/schedule`, { version: v, at });
        assert.deepEqual([scheduled.status, scheduled.body.status, scheduled.body.scheduledAt], [200, 'scheduled', at], scheduled.text);
        assert.equal((await fetch(server.url + path)).status, 404, 'embargoed until its time');
        const past = await api.post(`/api/admin/articles/${id}/schedule`, { version: v, at: '2001-01-01T00:00:00Z' });
        assert.equal(past.status, 422);
        assert.ok(past.body.error.fields.at);
        assert.equal((await api.post(`/api/admin/articles/${id}/unpublish`, { version: v })).body.status, 'ready');
        const published = await api.post(`/api/admin/articles/${id}/publish`, { version: v });
        assert.deepEqual([published.status, published.body.status], [200, 'published'], published.text);
        const page = await fetch(server.url + path);
        assert.equal(page.status, 200);
        const html = await page.text();
        assert.match(html, new RegExp(`Harbour strike ${via}`));
        assert.match(html, /Second version/);
        const again = await api.post(`/api/admin/articles/${id}/submit`, { version: v });
        assert.equal(again.status, 409, 'a published article cannot be submitted');
        const stale = await api.post(`/api/admin/articles/${id}/unpublish`, { version: v - 1 });
        assert.equal(stale.status, 409);
        assert.equal(stale.body.current.status, 'published');
      });

      it('articles: SEO title and description (checked, named on refusal), pin and unpin on the home page', async () => {
        const id = state.articleId!;
        const current = (await api.get(`/api/admin/articles/${id}`)).body;
        const bad = await api.patch(`/api/admin/articles/${id}`, { version: current.version, seoTitle: 'Two\nlines', seoDescription: 'x'.repeat(501) });
        assert.equal(bad.status, 422, bad.text);
        assert.ok(bad.body.error.fields.seoTitle && bad.body.error.fields.seoDescription, JSON.stringify(bad.body));
        const saved = await api.patch(`/api/admin/articles/${id}`, { version: current.version, seoTitle: `Harbour strike (${via}): what it means`, seoDescription: 'Dockers stop work.' });
        assert.equal(saved.status, 200, saved.text);
        assert.deepEqual([saved.body.seoTitle, saved.body.seoDescription, saved.body.headline], [`Harbour strike (${via}): what it means`, 'Dockers stop work.', `Harbour strike ${via}`]);
        state.version = saved.body.version;
        const pinned = await api.post(`/api/admin/articles/${id}/pin`);
        assert.deepEqual([pinned.status, pinned.body.homePinned, pinned.body.version], [200, true, saved.body.version], pinned.text);
        const home = await (await fetch(server.url + '/')).text();
        const lead = /<h2 class="lead-title"><a href="([^"]+)">/.exec(home);
        assert.equal(lead?.[1], `/news/harbour-strike-${via}`, 'the pinned article leads the home page');
        assert.match(home, /<span class="pinned-mark">Pinned<\/span>/);
        const unpinned = await api.post(`/api/admin/articles/${id}/unpin`);
        assert.deepEqual([unpinned.status, unpinned.body.homePinned], [200, false]);
        assert.equal((await api.post('/api/admin/articles/999999/pin')).status, 404);
      });

      it('articles: lock, notes, revisions (list, read, compare, restore)', async () => {
        const id = state.articleId!;
        const locked = await api.post(`/api/admin/articles/${id}/lock`, {});
        assert.equal(locked.status, 200, locked.text);
        assert.ok(locked.body.lock.userId > 0);
        assert.equal((await api.get(`/api/admin/articles/${id}`)).body.lock.userId, locked.body.lock.userId);
        const note = await api.post(`/api/admin/articles/${id}/notes`, { body: 'Check the memo’s date with legal.' });
        assert.equal(note.status, 201, note.text);
        assert.deepEqual((await api.get(`/api/admin/articles/${id}/notes`)).body.items.map((n: { body: string }) => n.body), ['Check the memo’s date with legal.']);
        const empty = await api.post(`/api/admin/articles/${id}/notes`, { body: '  ' });
        assert.equal(empty.status, 422);
        assert.ok(empty.body.error.fields.body);
        const revisions = (await api.get(`/api/admin/articles/${id}/revisions`)).body.items as { id: number; version: number }[];
        assert.ok(revisions.length >= 2);
        const first = revisions[revisions.length - 1]!;
        const newest = revisions[0]!;
        const one = await api.get(`/api/admin/articles/${id}/revisions/${first.id}`);
        assert.deepEqual([one.status, one.body.revision.version, one.body.draft.subtitle], [200, 1, 'Filed through the Admin API']);
        const diff = await api.get(`/api/admin/articles/${id}/revisions/compare?from=${first.id}&to=${newest.id}`);
        assert.equal(diff.status, 200, diff.text);
        assert.ok(diff.body.fields.some((f: { field: string }) => f.field === 'subtitle'));
        const current = (await api.get(`/api/admin/articles/${id}`)).body;
        const restored = await api.post(`/api/admin/articles/${id}/revisions/${first.id}/restore`, { version: current.version });
        assert.equal(restored.status, 200, restored.text);
        assert.deepEqual([restored.body.version, restored.body.subtitle], [current.version + 1, 'Filed through the Admin API']);
        assert.ok(restored.body.lock, 'a lock the client took is kept');
        const page = await (await fetch(server.url + restored.body.path)).text();
        assert.match(page, /Filed through the Admin API/, 'a published article changed through the API shows the change on the next request');
        assert.doesNotMatch(page, /Second version/);
        assert.equal((await api.delete(`/api/admin/articles/${id}/lock`)).status, 204);
        assert.equal((await api.get(`/api/admin/articles/${id}`)).body.lock, null);
        state.version = restored.body.version;
      });

      it("articles: another account's edit lock is a 409 naming it, until the lock is taken over", async () => {
        const id = state.articleId!;
        assert.equal((await colleague.get(`/admin/articles/${id}`)).status, 200, 'the colleague opens the article in the web editor');
        const refused = await api.patch(`/api/admin/articles/${id}`, { version: state.version, summary: 'While someone edits' });
        assert.equal(refused.status, 409);
        assert.ok(refused.body.lock.userId > 0);
        assert.match(refused.body.error.message, /Someone else is editing/);
        const lockRefused = await api.post(`/api/admin/articles/${id}/lock`, {});
        assert.equal(lockRefused.status, 409);
        assert.equal((await api.post(`/api/admin/articles/${id}/lock`, { takeOver: true })).status, 200);
        const saved = await api.patch(`/api/admin/articles/${id}`, { version: state.version, summary: 'After taking over' });
        assert.equal(saved.status, 200, saved.text);
        await api.delete(`/api/admin/articles/${id}/lock`);
        state.version = saved.body.version;
      });

      it('media: a picture in use cannot be deleted; an unused one can', async () => {
        const inUse = await api.delete(`/api/admin/media/${state.imageId}`);
        assert.equal(inUse.status, 409);
        assert.match(inUse.body.error.fields.image, /Harbour strike/);
        assert.equal((await api.delete(`/api/admin/media/${state.spareImageId}`)).status, 204);
        assert.equal((await api.get(`/api/admin/media/${state.spareImageId}`)).status, 404);
      });

      it('comments: queue, read, approve (public at once), spam, trash, restore, bulk, edit, reply', async () => {
        for (const text of ['First held comment.', 'Second held comment.', 'Third held comment.']) {
          const answer = await postComment(server, fields(await readForm(server, SEED_PATH), { comment: `${text} (${via})` }));
          assert.equal(answer.status, 303);
        }
        const queue = await api.get('/api/admin/comments?status=pending&perPage=3');
        assert.equal(queue.status, 200, queue.text);
        const [third, second, first] = queue.body.items as { id: number; body: string; authorEmail: string; articleId: number }[];
        assert.match(first!.body, /First held comment/);
        assert.ok(first!.authorEmail, 'staff see the address');
        assert.equal((await api.get(`/api/admin/comments/${first!.id}`)).body.status, 'pending');
        const approved = await api.post(`/api/admin/comments/${first!.id}/approve`);
        assert.deepEqual([approved.status, approved.body], [200, { moved: 1, status: 'approved' }]);
        assert.match(await (await fetch(server.url + SEED_PATH)).text(), new RegExp(`First held comment\\. \\(${via}\\)`));
        assert.equal((await api.post(`/api/admin/comments/${second!.id}/spam`)).body.status, 'spam');
        assert.equal((await api.post(`/api/admin/comments/${third!.id}/trash`)).body.status, 'trash');
        assert.equal((await api.post(`/api/admin/comments/${third!.id}/restore`)).body.status, 'pending');
        const bulk = await api.post('/api/admin/comments/bulk', { ids: [second!.id, third!.id], action: 'trash' });
        assert.deepEqual(bulk.body, { moved: 2, status: 'trash' });
        const edited = await api.patch(`/api/admin/comments/${first!.id}`, { body: `First held comment, corrected (${via}).` });
        assert.deepEqual([edited.status, edited.body.body], [200, `First held comment, corrected (${via}).`], edited.text);
        const badUrl = await api.patch(`/api/admin/comments/${first!.id}`, { authorUrl: 'javascript:alert(1)' });
        assert.equal(badUrl.status, 422);
        assert.ok(badUrl.body.error.fields.authorUrl, JSON.stringify(badUrl.body));
        const reply = await api.post(`/api/admin/comments/${first!.id}/replies`, { body: `Thank you (${via}).` });
        assert.equal(reply.status, 201, reply.text);
        assert.equal(reply.body.articlePath, SEED_PATH);
        const closed = await api.put(`/api/admin/comments/articles/${first!.articleId}/open`, { open: false });
        assert.deepEqual([closed.status, closed.body.commentsOpen], [200, false], closed.text);
        assert.doesNotMatch(await (await fetch(server.url + SEED_PATH)).text(), /class="comment-form/, 'closed: no comment form on the next request');
        assert.equal((await api.put(`/api/admin/comments/articles/${first!.articleId}/open`, { open: true })).body.commentsOpen, true);
        assert.match(await (await fetch(server.url + SEED_PATH)).text(), /class="comment-form/);
        assert.equal((await api.post('/api/admin/comments/bulk', { ids: [], action: 'approve' })).status, 422);
        assert.equal((await api.post(`/api/admin/comments/${first!.id}/bless`)).status, 400);
      });

      it('users: list, invite (link shown once without mail), read, change role, disable, enable', async () => {
        const invited = await api.post('/api/admin/users/invite', { email: `new.${via}@newsroom.test`, name: `New ${via}`, role: 'contributor' });
        assert.equal(invited.status, 201, invited.text);
        assert.deepEqual([invited.body.user.role, invited.body.user.invited, invited.body.mailed], ['contributor', true, false]);
        assert.match(invited.body.link, /\/admin\/invite\//);
        const id = invited.body.user.id as number;
        assert.ok((await api.get('/api/admin/users')).body.items.some((u: { id: number }) => u.id === id));
        assert.equal((await api.get(`/api/admin/users/${id}`)).body.email, `new.${via}@newsroom.test`);
        const again1 = await api.post(`/api/admin/users/${id}/reinvite`);
        assert.equal(again1.status, 200, again1.text);
        assert.match(again1.body.link, /\/admin\/invite\//);
        assert.notEqual(again1.body.link, invited.body.link, 'a new link');
        const person = (await api.get('/api/admin/authors')).body.items[0] as { id: number };
        const linked = await api.put(`/api/admin/users/${id}/byline`, { personId: person.id });
        assert.deepEqual([linked.status, linked.body.personId], [200, person.id], linked.text);
        const unknownPerson = await api.put(`/api/admin/users/${id}/byline`, { personId: 99999999 });
        assert.equal(unknownPerson.status, 422);
        assert.ok(unknownPerson.body.error.fields.personId);
        assert.equal((await api.put(`/api/admin/users/${id}/byline`, { personId: null })).body.personId, null);
        const role = await api.put(`/api/admin/users/${id}/role`, { role: 'author' });
        assert.deepEqual([role.status, role.body.role], [200, 'author']);
        assert.equal((await api.post(`/api/admin/users/${id}/disable`)).body.disabled, true);
        assert.equal((await api.post(`/api/admin/users/${id}/enable`)).body.disabled, false);
        const again = await api.post('/api/admin/users/invite', { email: `new.${via}@newsroom.test`, name: 'Twice', role: 'author' });
        assert.equal(again.status, 422);
        assert.ok(again.body.error.fields.email);
        // A token acting as a disabled account stops working at once, and works again once it is enabled.
        const { token: theirs } = await createApiToken(server.store, null, { kind: 'admin', name: `Script of ${via}`, role: 'author', user: `new.${via}@newsroom.test` });
        const asThem = () => fetch(`${server.url}/api/admin/me`, { headers: { authorization: `Bearer ${theirs}` } });
        assert.equal((await asThem()).status, 200);
        assert.equal((await api.post(`/api/admin/users/${id}/disable`)).status, 200);
        assert.equal((await asThem()).status, 401);
        assert.equal((await api.post(`/api/admin/users/${id}/enable`)).status, 200);
        assert.equal((await asThem()).status, 200);
        const self = (await api.get('/api/admin/me')).body.id as number;
        const selfDisable = await api.post(`/api/admin/users/${self}/disable`);
        assert.equal(selfDisable.status, 409, 'nobody disables their own account');
        const badRole = await api.put(`/api/admin/users/${id}/role`, { role: 'owner' });
        assert.equal(badRole.status, 422);
        assert.ok(badRole.body.error.fields.role);
      });

      it('settings: read, change (every page shows them on the next request)', async () => {
        const read = await api.get('/api/admin/settings');
        assert.equal(read.status, 200);
        const changed = await api.patch('/api/admin/settings', { name: `The Harbour Gazette ${via}`, footer: [{ label: 'Contact', url: 'mailto:desk@example.org' }] });
        assert.equal(changed.status, 200, changed.text);
        assert.deepEqual([changed.body.name, changed.body.language], [`The Harbour Gazette ${via}`, read.body.language]);
        assert.match(await (await fetch(`${server.url}/`)).text(), new RegExp(`The Harbour Gazette ${via}`));
        const bad = await api.patch('/api/admin/settings', { timeZone: 'Mars/Olympus' });
        assert.equal(bad.status, 422);
        assert.ok(bad.body.error.fields.timeZone);
      });

      it('refuses bad input as JSON naming the field, never a 500', async () => {
        const unknown = await api.post('/api/admin/articles', { ...article('Unknown field'), colour: 'red' });
        assert.equal(unknown.status, 422);
        assert.ok(unknown.body.error.fields.colour, JSON.stringify(unknown.body));
        const wrongType = await api.post('/api/admin/articles', article('Wrong type', { commentsOpen: 'yes', sources: [{ name: 'X', kind: 'blog', role: 'reported' }] }));
        assert.equal(wrongType.status, 422);
        assert.ok(wrongType.body.error.fields.commentsOpen && wrongType.body.error.fields['sources.0.kind'], JSON.stringify(wrongType.body));
        const malformed = await api.call('POST', '/api/admin/articles', { raw: '{"headline": ', headers: { 'content-type': 'application/json' } });
        assert.equal(malformed.status, 400);
        assert.equal(malformed.body.error.code, 'bad_request');
        assert.equal((await api.get('/api/admin/articles/abc')).status, 400);
        assert.equal((await api.get('/api/admin/articles/99999999')).status, 404);
        const noFile = await api.post('/api/admin/media', { alt: 'JSON is not an upload' });
        assert.ok([415, 422].includes(noFile.status), noFile.text);
        const badQuery = await api.get('/api/admin/articles?status=lost');
        assert.equal(badQuery.status, 400);
        assert.ok(badQuery.body.error.fields.status);
        const badFilter = await api.get('/api/admin/articles?section=Not%20A%20Slug');
        assert.equal(badFilter.status, 400);
        assert.ok(badFilter.body.error.fields.section, JSON.stringify(badFilter.body));
        for (const answer of [unknown, wrongType, malformed, noFile, badQuery]) assert.doesNotMatch(answer.text, /at .*\.ts:\d+/, 'no stack trace');
      });

      it('answers every state-changing operation of the document with a 4xx naming what is wrong when sent nonsense', async () => {
        const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
        let tried = 0;
        for (const [template, methods] of Object.entries(doc.paths)) {
          if (!template.startsWith('/api/admin/')) continue;
          // Ids nobody has: nothing may be found, so nothing can change.
          const path = template.replace('{id}', '99999999').replace('{revision}', '99999999').replace('{action}', 'approve');
          for (const method of Object.keys(methods).filter((m) => m !== 'get')) {
            for (const json of [{ unexpected: true }, [], 'text', null]) {
              const answer = await api.call(method.toUpperCase(), path, { json });
              assert.ok(answer.status >= 400 && answer.status < 500, `${method.toUpperCase()} ${template} with ${JSON.stringify(json)}: ${answer.status} ${answer.text}`);
              assert.equal(typeof answer.body.error.message, 'string');
              tried += 1;
            }
          }
        }
        assert.ok(tried >= 140, `${tried} requests`);
      });

      if (via === 'session') {
        it('refuses a state-changing request without the CSRF token, or from another site', async () => {
          const before = (await api.get('/api/admin/tags')).body.items.length;
          const missing = await api.post('/api/admin/tags', { name: 'Forged' }, { withoutCsrf: true });
          assert.equal(missing.status, 403);
          assert.ok(missing.body.error.fields['x-csrf-token']);
          const crossSite = await api.post('/api/admin/tags', { name: 'Forged' }, { headers: { origin: 'https://evil.example' } });
          assert.equal(crossSite.status, 403);
          const upload = await api.post('/api/admin/documents', undefined, { withoutCsrf: true, form: uploadForm({}, { name: 'memo.pdf', type: 'application/pdf', bytes: PDF }) });
          assert.equal(upload.status, 403);
          assert.equal((await api.get('/api/admin/tags')).body.items.length, before, 'nothing was written');
        });

        it('refuses every state-changing operation of the document without the CSRF token, before reading its body', async () => {
          const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
          const audit = async () => (await server.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
          const entries = Number(await audit());
          let tried = 0;
          for (const [template, methods] of Object.entries(doc.paths)) {
            if (!template.startsWith('/api/admin/')) continue;
            const path = template.replace('{id}', String(state.articleId)).replace('{revision}', '1').replace('{action}', 'approve');
            for (const method of Object.keys(methods).filter((m) => m !== 'get')) {
              // A body that would be refused anyway: the CSRF check must answer first.
              const refused = await api.call(method.toUpperCase(), path, { json: { unexpected: true }, withoutCsrf: true });
              assert.equal(refused.status, 403, `${method.toUpperCase()} ${template}: ${refused.text}`);
              assert.ok(refused.body.error.fields['x-csrf-token']);
              tried += 1;
            }
          }
          assert.ok(tried >= 35, `${tried} operations tried`);
          assert.equal(Number(await audit()), entries, 'nothing was written');
        });
      }
    });
  }

  it('exercised every documented Admin API operation with a token and with a session, each answer as documented', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/admin/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    assert.ok(operations.length >= 50, `${operations.length} operations`);
    for (const [via, { succeeded }] of checks) {
      const missing = operations.filter((o) => !succeeded.has(o));
      assert.deepEqual(missing, [], `operations never answered with success via ${via}`);
    }
  });

  it('refuses a request with no credentials, or a bad token, with 401', async () => {
    const none = await fetch(`${server.url}/api/admin/articles`);
    assert.equal(none.status, 401);
    const bad = await fetch(`${server.url}/api/admin/articles`, { headers: { authorization: 'Bearer gzt_not-a-real-token-at-all-aaaaaaaaaaaaaaaaaaaaaa' } });
    assert.equal(bad.status, 401);
  });
});
