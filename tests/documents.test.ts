// Uploading primary documents in the newsroom: stored byte for byte with their SHA-256, judged by content,
// limited in size, refused without the form's token; a refused upload leaves no file and no row. Readers
// get a document only once a published article cites it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAccount, signIn, type AdminClient } from './helpers/admin.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** Posts a multipart form the way a browser does: fields in order, then the file. */
async function upload(client: AdminClient, fields: Record<string, string | null>, file: { name: string; type: string; bytes: Buffer } | null, headers: Record<string, string> = {}) {
  const form = new FormData();
  const withToken = '_csrf' in fields ? fields : { _csrf: client.csrfToken, ...fields };
  for (const [k, v] of Object.entries(withToken)) if (v !== null) form.append(k, v);
  if (file) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const response = await fetch(`${client.server.url}/admin/documents`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: client.cookie, origin: client.server.url, ...headers } });
  const text = await response.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(text);
  if (token) client.csrfToken = token[1]!;
  return { status: response.status, text };
}

const filesUnder = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : []);
const countDocuments = async (server: TestServer) => (await server.store.db.selectFrom('documents').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n;

describe('documents', () => {
  let server: TestServer;
  let client: AdminClient;
  before(async () => {
    server = await startTestServer({ env: { DOCUMENT_MAX_MB: '1' } });
    const author = await createAccount(server, { role: 'contributor' });
    client = await signIn(server, author.email);
    await client.get('/admin/documents');
  });
  after(() => server.close());

  it('stores an uploaded PDF byte for byte with its SHA-256, listed for staff', async () => {
    const answer = await upload(client, { title: 'Classified memo' }, { name: 'memo (final).pdf', type: 'application/pdf', bytes: PDF });
    assert.equal(answer.status, 200, answer.text);
    const sha = createHash('sha256').update(PDF).digest('hex');
    assert.match(answer.text, new RegExp(`SHA-256 <code>${sha}</code>`));
    const stored = filesUnder(path.join(server.config.mediaDir, 'documents'));
    assert.deepEqual(stored, [path.join(sha.slice(0, 2), `${sha}.pdf`)]);
    assert.deepEqual(fs.readFileSync(path.join(server.config.mediaDir, 'documents', stored[0]!)), PDF);
    const list = await client.get('/admin/documents?q=memo');
    assert.match(list.text, /Classified memo/);
    const id = /href="\/admin\/documents\/(\d+)\/file"/.exec(list.text)![1];
    const download = await fetch(`${server.url}/admin/documents/${id}/file`, { headers: { cookie: client.cookie } });
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), PDF);
    assert.match(download.headers.get('content-disposition') ?? '', /filename\*=UTF-8''memo-final-.pdf/);
    // Readers cannot fetch a document no published article cites.
    assert.equal((await fetch(`${server.url}/documents/${id}/memo.pdf`)).status, 404);
    assert.equal((await fetch(`${server.url}/admin/documents/${id}/file`, { redirect: 'manual' })).status, 303);
  });

  it('judges the type by content, not by name, and keeps nothing it refuses', async () => {
    const before = { files: filesUnder(server.config.mediaDir).filter((f) => !f.startsWith('tmp')), rows: await countDocuments(server) };
    const script = await upload(client, { title: 'Not a PDF' }, { name: 'evil.pdf', type: 'application/pdf', bytes: Buffer.from('<script>alert(1)</script>') });
    assert.equal(script.status, 415);
    assert.match(script.text, /id="file-error"[^>]*>[^<]*Upload a PDF, or an image/);
    assert.match(script.text, /value="Not a PDF"/, 'the title typed is kept');
    const empty = await upload(client, { title: 'Empty' }, { name: 'empty.pdf', type: 'application/pdf', bytes: Buffer.alloc(0) });
    assert.equal(empty.status, 422);
    const big = await upload(client, { title: 'Too big' }, { name: 'big.pdf', type: 'application/pdf', bytes: Buffer.concat([PDF, Buffer.alloc(1024 * 1024 + 10)]) });
    assert.equal(big.status, 413);
    assert.match(big.text, /larger than 1 MB/);
    const none = await upload(client, { title: 'No file' }, null);
    assert.equal(none.status, 422);
    assert.deepEqual(filesUnder(server.config.mediaDir).filter((f) => !f.startsWith('tmp')), before.files);
    assert.deepEqual(filesUnder(path.join(server.config.mediaDir, 'tmp')), []);
    assert.equal(await countDocuments(server), before.rows);
  });

  it('refuses an upload without the token, from another site, or to a form that takes no files', async () => {
    const rows = await countDocuments(server);
    const file = { name: 'x.pdf', type: 'application/pdf', bytes: PDF };
    assert.equal((await upload(client, { _csrf: null, title: 'x' }, file)).status, 403);
    assert.equal((await upload(client, { _csrf: 'y'.repeat(43), title: 'x' }, file)).status, 403);
    assert.equal((await upload(client, { title: 'x' }, file, { origin: 'https://evil.test' })).status, 403);
    const elsewhere = new FormData();
    elsewhere.append('_csrf', client.csrfToken);
    const other = await fetch(`${server.url}/admin/account/sign-out-everywhere`, { method: 'POST', body: elsewhere, headers: { cookie: client.cookie, origin: server.url } });
    assert.equal(other.status, 415);
    assert.equal(await countDocuments(server), rows);
    assert.equal((await client.get('/admin')).status, 200, 'still signed in');
  });

  it('is cited by a source from the article form, and offered to readers with its hash once the article is published', async () => {
    const editor = await createAccount(server, { role: 'editor' });
    const desk = await signIn(server, editor.email);
    await desk.get('/admin/documents');
    const bytes = Buffer.concat([PDF, Buffer.from('% the cited one\n')]);
    assert.equal((await upload(desk, { title: 'Cited memo' }, { name: 'cited.pdf', type: 'application/pdf', bytes })).status, 200);
    await desk.get('/admin/articles/new');
    const form = await desk.post('/admin/articles/new', { headline: 'x', section: 'news', action: 'add_source' });
    const option = new RegExp('<option value="(\\d+)">Cited memo \\(cited\\.pdf').exec(form.text);
    assert.ok(option, 'the source picker offers the upload');
    const fields = {
      headline: 'A memo that was leaked',
      section: 'news',
      language: 'en',
      body: 'The memo says what it says.',
      'sources.0.name': 'Al-Akhbar',
      'sources.0.kind': 'document',
      'sources.0.role': 'obtained',
      'sources.0.document': option[1]!,
    };
    const forged = await desk.post('/admin/articles/new', { ...fields, 'sources.0.document': '999999', action: 'save' });
    assert.equal(forged.status, 422);
    assert.match(forged.text, /choose one of the documents listed/);
    const draft = await desk.post('/admin/articles/new', { ...fields, action: 'save' });
    assert.equal(draft.status, 303, draft.text.slice(0, 500));
    const sha = createHash('sha256').update(bytes).digest('hex');
    const download = `/documents/${option[1]}/cited.pdf`;
    assert.equal((await fetch(server.url + download)).status, 404, 'not offered before the article is out');
    await desk.get(draft.location!);
    const id = /\/admin\/articles\/(\d+)/.exec(draft.location!)![1];
    const version = /name="version" value="(\d+)"/.exec((await desk.get(`/admin/articles/${id}`)).text)![1]!;
    const published = await desk.post(`/admin/articles/${id}`, { ...fields, version, action: 'publish' });
    assert.equal(published.status, 303, published.text.slice(0, 500));
    const page = await (await fetch(`${server.url}/news/a-memo-that-was-leaked`)).text();
    assert.match(page, new RegExp(`href="${download}" download>Download</a> <span class="source-file">\\(PDF, `));
    assert.match(page, new RegExp(`SHA-256 <code dir="ltr">${sha}</code>`));
    assert.match(page, /sha256sum FILE/);
    const file = await fetch(server.url + download);
    assert.equal(file.status, 200);
    assert.equal(createHash('sha256').update(Buffer.from(await file.arrayBuffer())).digest('hex'), sha);
    assert.equal(file.headers.get('content-security-policy'), 'sandbox');
  });
});
