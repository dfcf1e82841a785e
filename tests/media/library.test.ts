// The newsroom's media library over real HTTP, signed in through the real form, with the session's CSRF
// token as a browser sends it: uploads (HTML form and JSON), each refusal named next to the file field
// with its status and nothing left behind, editing the text and focal point, "used in" from articles'
// lead and body images, replace, delete (refused while used), the picker's JSON and the article form's
// lead image fields. Every role that writes articles may use the library (the image service's rule);
// signed-out requests are refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import sharp from 'sharp';
import { AdminClient, createAccount, signIn } from '../helpers/admin.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface Answer {
  status: number;
  text: string;
  location: string | null;
}

/** Posts a multipart form the way a browser does: the token first, then the fields, then the file. */
async function upload(client: AdminClient, url: string, file: { name: string; type: string; bytes: Buffer } | null, options: { fields?: Record<string, string>; json?: boolean; token?: string | null } = {}): Promise<Answer> {
  const form = new FormData();
  const token = options.token === undefined ? client.csrfToken : options.token;
  if (token !== null) form.append('_csrf', token);
  for (const [k, v] of Object.entries(options.fields ?? {})) form.append(k, v);
  if (file) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const response = await fetch(`${client.server.url}${url}`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: client.cookie, origin: client.server.url, ...(options.json ? { accept: 'application/json' } : {}) },
  });
  const text = await response.text();
  const found = /name="_csrf" value="([^"]+)"/.exec(text);
  if (found) client.csrfToken = found[1]!;
  return { status: response.status, text, location: response.headers.get('location') };
}

const photo = (colour: string, width = 900, height = 600) => sharp({ create: { width, height, channels: 3, background: colour } }).jpeg({ quality: 80 }).toBuffer();
const jpeg = async (name: string, colour = '#3070b0') => ({ name, type: 'image/jpeg', bytes: await photo(colour) });
const idOf = (location: string | null) => {
  const m = /^\/admin\/media\/(\d+)\?done=/.exec(location ?? '');
  if (!m) throw new Error(`not a picture's address: ${location}`);
  return Number(m[1]);
};
/** The text of the element with this id in a page. */
const textOf = (page: string, id: string) => parseHTML(page).document.getElementById(id)?.textContent?.trim() ?? null;

/** The fields of a complete article form (lead image fields given by the test). */
function articleForm(headline: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    headline,
    subtitle: 'Subtitle',
    slug: '',
    section: 'news',
    language: 'en',
    tags: 'Pictures',
    authors: 'international-desk',
    summary: '',
    body: `A paragraph of ${headline}.`,
    body_format: 'markdown',
    pin: '',
    comments_open: 'on',
    image_url: '',
    image_alt: '',
    lead_image_id: '',
    lead_image_crop: '',
    scheduled_at: '',
    action: 'save',
    ...extra,
  };
}

describe('the media library in /admin', () => {
  let server: TestServer;
  let editor: AdminClient;
  let contributor: AdminClient;
  before(async () => {
    server = await startTestServer({ env: { IMAGE_MAX_MB: '1' } });
    editor = await signIn(server, (await createAccount(server, { role: 'editor' })).email);
    contributor = await signIn(server, (await createAccount(server, { role: 'contributor' })).email);
  });
  after(() => server.close());

  const rows = async () => Number((await server.store.db.selectFrom('media_images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const files = () => {
    const dir = path.join(server.config.mediaDir, 'images');
    return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : [];
  };

  it('is in the navigation, with the upload form, both types and an empty grid', async () => {
    const page = await contributor.get('/admin/media');
    assert.equal(page.status, 200);
    const { document } = parseHTML(page.text);
    assert.ok(document.querySelector('.admin-nav a[href="/admin/media"][aria-current="page"]'), 'Media is in the navigation, marked current');
    const form = document.querySelector('form[action="/admin/media"][enctype="multipart/form-data"]');
    assert.ok(form?.querySelector('input[name="_csrf"]') && form.querySelector('input[type="file"][name="file"]'), 'a plain multipart form');
    assert.deepEqual([...document.querySelectorAll('.media-tabs a')].map((a) => a.textContent), ['Images', 'Documents']);
    const documents = await contributor.get('/admin/media?type=documents');
    assert.equal(documents.status, 200);
    assert.ok(parseHTML(documents.text).document.querySelector('a[href="/admin/documents"]'), 'documents are uploaded on their own screen');
  });

  it('keeps a PDF dropped into the library as a primary document, byte for byte, and refuses one that is not a PDF', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    await editor.get('/admin/media');
    const answer = await upload(editor, '/admin/media', { name: 'memo.pdf', type: 'application/pdf', bytes: pdf });
    assert.equal(answer.status, 303, answer.text.slice(0, 300));
    assert.equal(answer.location, '/admin/media?type=documents&done=document');
    const listed = await editor.get(answer.location!);
    assert.match(listed.text, /stored as a document/);
    assert.match(listed.text, new RegExp(createHash('sha256').update(pdf).digest('hex')));
    const json = await upload(editor, '/admin/media', { name: 'memo-2.pdf', type: 'application/pdf', bytes: Buffer.concat([pdf, Buffer.from('% second\n')]) }, { json: true });
    assert.equal(json.status, 201);
    assert.equal(JSON.parse(json.text).document.fileName, 'memo-2.pdf');
    const fake = await upload(editor, '/admin/media', { name: 'fake.pdf', type: 'application/pdf', bytes: Buffer.from('<html><script>alert(1)</script></html>') });
    assert.equal(fake.status, 415);
    assert.match(parseHTML(fake.text).document.querySelector('#file-error')?.textContent ?? '', /Upload a PDF/);
  });

  it('uploads a picture through the plain form and opens its screen to describe it', async () => {
    await editor.get('/admin/media');
    const answer = await upload(editor, '/admin/media', await jpeg('harbour at dawn.jpg'));
    assert.equal(answer.status, 303, answer.text.slice(0, 400));
    const id = idOf(answer.location);
    const page = await editor.get(answer.location!);
    assert.equal(page.status, 200);
    const { document } = parseHTML(page.text);
    assert.equal(document.querySelector('h1')?.textContent, 'harbour at dawn.jpg');
    assert.match(document.querySelector('[role="status"]')?.textContent ?? '', /Uploaded/);
    const preview = document.querySelector('[data-focal-picker] img');
    assert.ok(preview?.getAttribute('width') && preview.getAttribute('height'), 'the preview has its size');
    assert.equal(document.querySelectorAll('.crop-previews img').length, 2, 'card and social crops are shown');
    assert.match(document.querySelector(`a[download]`)?.getAttribute('href') ?? '', /^\/media\/images\/.+\/original\.jpg$/);
    const original = await fetch(server.url + document.querySelector('a[download]')!.getAttribute('href')!);
    assert.equal(original.status, 200);
    assert.equal(original.headers.get('content-type'), 'image/jpeg');
    const grid = parseHTML((await editor.get('/admin/media')).text).document;
    assert.ok(grid.querySelector(`.media-grid a[href="/admin/media/${id}"] img[width][height]`), 'the grid shows its card');
  });

  it('answers uploads from scripts in JSON, and the picker finds them by name, alt text or caption', async () => {
    await contributor.get('/admin/media');
    const answer = await upload(contributor, '/admin/media', await jpeg('minister.jpg', '#a04020'), { json: true, fields: { alt: 'The minister at the podium', caption: 'Press conference' } });
    assert.equal(answer.status, 201, answer.text);
    const { image } = JSON.parse(answer.text);
    assert.equal(image.fileName, 'minister.jpg');
    assert.equal(image.alt, 'The minister at the podium');
    assert.match(image.src, /^\/media\/images\//);
    assert.equal(image.editUrl, `/admin/media/${image.id}`);
    for (const q of ['MINISTER.jpg', 'podium', 'press conf']) {
      const found = JSON.parse((await contributor.get(`/admin/media.json?q=${encodeURIComponent(q)}`, { accept: 'application/json' })).text);
      assert.deepEqual(found.images.map((i: { id: number }) => i.id), [image.id], q);
    }
    const page = parseHTML((await contributor.get('/admin/media?q=podium')).text).document;
    assert.equal(page.querySelectorAll('.media-grid li').length, 1);
    assert.equal(JSON.parse((await contributor.get('/admin/media.json?q=nothing-like-this', { accept: 'application/json' })).text).images.length, 0);
  });

  it('refuses bad files next to the field, naming the file, with 415, 422 and 413, leaving no row or file', async () => {
    await editor.get('/admin/media');
    const before = { rows: await rows(), files: files().length };
    const cases = [
      { file: { name: 'holiday.jpg', type: 'image/jpeg', bytes: Buffer.from('<!doctype html><script>alert(1)</script>') }, status: 415 },
      { file: { name: 'empty.png', type: 'image/png', bytes: Buffer.alloc(0) }, status: 422 },
      { file: { name: 'huge.jpg', type: 'image/jpeg', bytes: Buffer.concat([await photo('#222'), Buffer.alloc(1024 * 1024 + 10)]) }, status: 413 },
    ];
    for (const { file, status } of cases) {
      const answer = await upload(editor, '/admin/media', file);
      assert.equal(answer.status, status, `${file.name}: ${answer.text.slice(0, 300)}`);
      const error = textOf(answer.text, 'file-error');
      assert.ok(error?.includes(file.name), `${file.name}: the message next to the field names the file: ${error}`);
      assert.equal(parseHTML(answer.text).document.getElementById('file')?.getAttribute('aria-invalid'), 'true');
      const json = await upload(editor, '/admin/media', file, { json: true });
      assert.equal(json.status, status);
      assert.ok(JSON.parse(json.text).error.fields.file.includes(file.name));
    }
    const none = await upload(editor, '/admin/media', null);
    assert.equal(none.status, 422);
    assert.ok(textOf(none.text, 'file-error'));
    assert.equal(await rows(), before.rows);
    assert.equal(files().length, before.files);
  });

  it('refuses uploads without the session’s token, and every library write signed out', async () => {
    await editor.get('/admin/media');
    const before = await rows();
    assert.equal((await upload(editor, '/admin/media', await jpeg('forged.jpg'), { token: 'not-the-token' })).status, 403);
    assert.equal((await upload(editor, '/admin/media', await jpeg('forged.jpg'), { token: null })).status, 403);
    const stranger = new AdminClient(server);
    await stranger.get('/admin/sign-in');
    assert.equal((await upload(stranger, '/admin/media', await jpeg('stranger.jpg'))).status, 401);
    assert.equal((await stranger.post('/admin/media/1', { alt: 'x' })).status, 401);
    assert.equal((await stranger.post('/admin/media/1/delete')).status, 401);
    assert.equal((await stranger.get('/admin/media.json', { accept: 'application/json' })).status, 401);
    assert.equal(await rows(), before);
  });

  it('saves alt text, caption, credit and focal point; asks for alt text or "decorative", keeping what was typed', async () => {
    await contributor.get('/admin/media');
    const id = idOf((await upload(contributor, '/admin/media', await jpeg('street.jpg'))).location);
    await contributor.get(`/admin/media/${id}`);
    const refused = await contributor.post(`/admin/media/${id}`, { alt: '', caption: 'Market street at noon', credit: 'Photo: Rana Haddad', focal_x: '25', focal_y: '75' });
    assert.equal(refused.status, 422);
    const page = parseHTML(refused.text).document;
    assert.match(textOf(refused.text, 'alt-error') ?? '', /decorative/);
    assert.equal(page.querySelector('textarea[name="caption"]')?.textContent, 'Market street at noon');
    assert.equal((page.querySelector('input[name="credit"]') as unknown as { getAttribute(n: string): string })?.getAttribute('value'), 'Photo: Rana Haddad');
    const saved = await contributor.post(`/admin/media/${id}`, { alt: 'A crowded market street', caption: 'Market street at noon', credit: 'Photo: Rana Haddad', focal_x: '25', focal_y: '75' });
    assert.equal(saved.status, 303);
    const json = JSON.parse((await contributor.get(`/admin/media/${id}`, { accept: 'application/json' })).text).image;
    assert.equal(json.alt, 'A crowded market street');
    assert.equal(json.credit, 'Photo: Rana Haddad');
    const shown = parseHTML((await contributor.get(`/admin/media/${id}`)).text).document;
    assert.equal(shown.querySelector('input[name="focal_x"]')?.getAttribute('value'), '25');
    assert.equal(shown.querySelector('input[name="focal_y"]')?.getAttribute('value'), '75');
    const decorative = await contributor.post(`/admin/media/${id}`, { alt: '', decorative: 'on', caption: '', credit: '' }, { accept: 'application/json' });
    assert.equal(decorative.status, 200);
    assert.equal(JSON.parse(decorative.text).image.decorative, true);
    const badFocal = await contributor.post(`/admin/media/${id}`, { alt: 'x', focal_x: '150' });
    assert.equal(badFocal.status, 422);
    assert.match(textOf(badFocal.text, 'focal_x-error') ?? '', /from 0 to 100/);
    const notNumber = await contributor.post(`/admin/media/${id}`, { alt: 'x', focal_x: '50', focal_y: 'middle' });
    assert.equal(notNumber.status, 422);
    assert.match(textOf(notNumber.text, 'focal_y-error') ?? '', /from the top/);
  });

  it('replaces the file (new addresses, old files gone) and refuses a bad replacement without touching the picture', async () => {
    await editor.get('/admin/media');
    const id = idOf((await upload(editor, '/admin/media', await jpeg('before.jpg', '#101010'))).location);
    const first = JSON.parse((await editor.get(`/admin/media/${id}`, { accept: 'application/json' })).text).image;
    await editor.get(`/admin/media/${id}`);
    const bad = await upload(editor, `/admin/media/${id}/replace`, { name: 'notes.png', type: 'image/png', bytes: Buffer.from('just some text') });
    assert.equal(bad.status, 415);
    assert.ok(textOf(bad.text, 'replace-error')?.includes('notes.png'));
    assert.equal(JSON.parse((await editor.get(`/admin/media/${id}`, { accept: 'application/json' })).text).image.src, first.src);
    const good = await upload(editor, `/admin/media/${id}/replace`, await jpeg('after.jpg', '#e0e0e0'));
    assert.equal(good.status, 303, good.text.slice(0, 300));
    const second = JSON.parse((await editor.get(`/admin/media/${id}`, { accept: 'application/json' })).text).image;
    assert.equal(second.fileName, 'after.jpg');
    assert.notEqual(second.src, first.src);
    assert.equal((await fetch(server.url + second.src)).status, 200);
    assert.equal((await fetch(server.url + first.src)).status, 404, 'the old files are removed');
  });

  it('lists the articles using a picture, refuses to delete it then (409, the message shown), and deletes an unused one', async () => {
    await editor.get('/admin/media');
    const lead = idOf((await upload(editor, '/admin/media', await jpeg('lead.jpg'), { fields: { alt: 'Rescue workers at the port' } })).location);
    const inBody = idOf((await upload(editor, '/admin/media', await jpeg('body.jpg'), { fields: { alt: 'A crane over the harbour' } })).location);
    await editor.get('/admin/articles/new');
    const body = `<p>Text.</p><figure class="body-image"><img src="/media/x.jpg" alt="A crane" data-media-id="${inBody}"><figcaption>The crane</figcaption></figure>`;
    const created = await editor.post('/admin/articles/new', articleForm('Port reopens after the blast', { lead_image_id: String(lead), body, body_format: 'html' }));
    assert.equal(created.status, 303, created.text.slice(0, 500));
    const articleId = Number(/\/admin\/articles\/(\d+)/.exec(created.location!)![1]);
    for (const [id, as] of [[lead, 'lead image'], [inBody, 'in the body']] as const) {
      const page = await editor.get(`/admin/media/${id}`);
      const link = parseHTML(page.text).document.querySelector(`.used-in a[href="/admin/articles/${articleId}"]`);
      assert.equal(link?.textContent, 'Port reopens after the blast');
      assert.match(link?.parentElement?.textContent ?? '', new RegExp(as));
      assert.equal(parseHTML(page.text).document.querySelector(`form[action="/admin/media/${id}/delete"]`), null, 'no delete button while used');
      const refused = await editor.post(`/admin/media/${id}/delete`);
      assert.equal(refused.status, 409);
      assert.match(textOf(refused.text, 'delete-error') ?? '', /Port reopens after the blast/);
    }
    assert.equal(await server.store.db.selectFrom('media_images').select('id').where('id', '=', lead).executeTakeFirst().then((r) => r !== undefined), true);
    const unused = idOf((await upload(editor, '/admin/media', await jpeg('spare.jpg', '#55aa55'))).location);
    const item = JSON.parse((await editor.get(`/admin/media/${unused}`, { accept: 'application/json' })).text).image;
    await editor.get(`/admin/media/${unused}`);
    const deleted = await editor.post(`/admin/media/${unused}/delete`);
    assert.equal(deleted.status, 303);
    assert.equal(deleted.location, '/admin/media?done=deleted');
    assert.equal((await editor.get(`/admin/media/${unused}`)).status, 404);
    assert.equal((await fetch(server.url + item.src)).status, 404, 'its files are gone');
  });

  it('lets writers describe any picture, but only editors or the uploader replace or delete it', async () => {
    await editor.get('/admin/media');
    const id = idOf((await upload(editor, '/admin/media', await jpeg('editors.jpg', '#777777'))).location);
    const page = parseHTML((await contributor.get(`/admin/media/${id}`)).text).document;
    assert.equal(page.querySelector(`form[action="/admin/media/${id}/delete"]`), null, 'no delete button for a contributor on an editor’s picture');
    assert.equal(page.querySelector(`form[action="/admin/media/${id}/replace"]`), null);
    assert.equal((await contributor.post(`/admin/media/${id}`, { alt: 'Described by a contributor' })).status, 303);
    assert.equal((await upload(contributor, `/admin/media/${id}/replace`, await jpeg('contributors.jpg', '#888888'))).status, 403);
    await contributor.get(`/admin/media/${id}`);
    assert.equal((await contributor.post(`/admin/media/${id}/delete`)).status, 403);
    assert.equal((await editor.get(`/admin/media/${id}`)).status, 200, 'still there');
    // Their own upload, they may replace and delete.
    await contributor.get('/admin/media');
    const own = idOf((await upload(contributor, '/admin/media', await jpeg('mine.jpg', '#999999'))).location);
    assert.equal((await upload(contributor, `/admin/media/${own}/replace`, await jpeg('mine-again.jpg', '#aaaaaa'))).status, 303);
    await contributor.get(`/admin/media/${own}`);
    assert.equal((await contributor.post(`/admin/media/${own}/delete`)).status, 303);
    // Editors may replace and delete anyone's.
    await editor.get(`/admin/media/${id}`);
    assert.equal((await editor.post(`/admin/media/${id}/delete`)).status, 303);
  });

  it('the article form shows the lead image, keeps its crop, and puts refusals next to the picker keeping what was typed', async () => {
    await contributor.get('/admin/media');
    const described = idOf((await upload(contributor, '/admin/media', await jpeg('described.jpg'), { fields: { alt: 'Fishing boats', caption: 'Boats in the old port', credit: 'Photo: Agency' } })).location);
    const bare = idOf((await upload(contributor, '/admin/media', await jpeg('bare.jpg'))).location);
    await contributor.get('/admin/articles/new');
    const noAlt = await contributor.post('/admin/articles/new', articleForm('Boats return', { lead_image_id: String(bare), subtitle: 'Typed subtitle stays' }));
    assert.equal(noAlt.status, 422);
    let doc = parseHTML(noAlt.text).document;
    assert.match(textOf(noAlt.text, 'lead_image_id-error') ?? '', /alt text/);
    assert.equal(doc.querySelector('input[name="subtitle"]')?.getAttribute('value'), 'Typed subtitle stays');
    assert.equal(doc.querySelector('input[name="lead_image_id"]')?.getAttribute('value'), String(bare));
    const badCrop = await contributor.post('/admin/articles/new', articleForm('Boats return', { lead_image_id: String(described), lead_image_crop: '0,0,2000,10' }));
    assert.equal(badCrop.status, 422);
    assert.match(textOf(badCrop.text, 'lead_image_crop-error') ?? '', /thousandths/);
    assert.equal(parseHTML(badCrop.text).document.querySelector('input[name="lead_image_crop"]')?.getAttribute('value'), '0,0,2000,10');
    const notANumber = await contributor.post('/admin/articles/new', articleForm('Boats return', { lead_image_id: 'abc' }));
    assert.equal(notANumber.status, 422);
    assert.ok(textOf(notANumber.text, 'lead_image_id-error'));
    const saved = await contributor.post('/admin/articles/new', articleForm('Boats return', { lead_image_id: String(described), lead_image_crop: '100,200,800,500' }));
    assert.equal(saved.status, 303, saved.text.slice(0, 500));
    const form = await contributor.get(saved.location!);
    doc = parseHTML(form.text).document;
    assert.equal(doc.querySelector('input[name="lead_image_id"]')?.getAttribute('value'), String(described));
    assert.equal(doc.querySelector('input[name="lead_image_crop"]')?.getAttribute('value'), '100,200,800,500');
    const preview = doc.querySelector('[data-lead-preview] img');
    assert.equal(preview?.getAttribute('alt'), 'Fishing boats');
    assert.match(preview?.getAttribute('src') ?? '', /^\/media\/images\//);
    assert.match(doc.querySelector('[data-lead-caption]')?.textContent ?? '', /Boats in the old port — Photo: Agency/);
    // Saving made the crop's files: readers get the cropped picture (names carry the crop's key), each file there.
    const articleId = Number(/\/admin\/articles\/(\d+)/.exec(saved.location!)![1]);
    const preview2 = await contributor.get(`/admin/articles/${articleId}/preview`);
    const cropped = parseHTML(preview2.text).document.querySelector('figure.article-image img');
    assert.match(cropped?.getAttribute('srcset') ?? '', /\/crop-[0-9a-f]{10}-\d+\./, preview2.text.slice(0, 300));
    for (const candidate of (cropped?.getAttribute('srcset') ?? '').split(', ')) assert.equal((await fetch(`${server.url}${candidate.split(' ')[0]}`)).status, 200, candidate);
  });
});
