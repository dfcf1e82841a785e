// /admin/comments over real HTTP against the real server (issue 11, part 6): an editor works the queue
// with the forms as a browser sends them, and every change shows on the public page's next request;
// authors and contributors are refused every moderation route, signed-out requests are sent to sign in
// or refused, and a form without its CSRF token is refused. Both engines.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { AdminClient, createAccount, signIn } from '../helpers/admin.ts';
import { tempDir, type TestServer } from '../helpers/server.ts';
import { SEED_PATH, fields, norm, postComment, readForm, startCommentServer } from './helpers.ts';

const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));

const doc = (text: string) => parseHTML(text).document;
const publicPage = async (server: TestServer) => doc(await (await fetch(server.url + SEED_PATH)).text());

describe('comment moderation in /admin (HTTP)', () => {
  let server: TestServer;
  let editor: AdminClient;
  let articleId = '';
  const readerEmail = `held.reader.${process.pid}@example.org`;

  /** Posts a held comment and returns its id. */
  async function held(extra: Record<string, string> = {}): Promise<number> {
    const answer = await postComment(server, fields(await readForm(server, SEED_PATH), extra));
    assert.equal(answer.status, 303);
    return (await server.store.db.selectFrom('comments').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  }

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-all' });
    articleId = (await readForm(server, SEED_PATH)).article_id;
    const account = await createAccount(server, { role: 'editor', name: 'Nadia Desk', email: 'nadia.desk@newsroom.test' });
    editor = await signIn(server, account.email);
  });
  after(() => server.close());

  it('shows the held comment in the pending tab with its count and the reader’s address; approving it shows it on the next public request', async () => {
    const id = await held({ author: 'Held Reader', email: readerEmail, comment: 'Waiting for the desk.' });
    await publicPage(server);
    const queue = await editor.get('/admin/comments');
    assert.equal(queue.status, 200);
    assert.equal(queue.headers.get('cache-control'), 'no-store');
    const page = doc(queue.text);
    assert.match(norm(page.querySelector('.moderation-tabs [aria-current="page"]')?.textContent), /^Pending \(1\)$/);
    const row = page.querySelector(`#comment-${id}`);
    assert.match(norm(row?.textContent), /Waiting for the desk\./);
    assert.match(norm(row?.textContent), new RegExp(readerEmail.replace(/\./g, '\\.')));
    assert.match(norm(page.querySelector('a[href="/admin/comments"]')?.textContent), /\(1 waiting\)/, 'the navigation counts the waiting comment');

    const approved = await editor.post('/admin/comments/bulk', { ids: [String(id)], action: 'approve', status: 'pending', page: '1' });
    assert.equal(approved.status, 303);
    assert.equal(approved.location, '/admin/comments?status=pending&done=approve&moved=1');
    assert.match(norm((await publicPage(server)).querySelector(`#comment-${id}`)?.textContent), /Waiting for the desk\./);
    const after = doc((await editor.get(approved.location!)).text);
    assert.equal(norm(after.querySelector('.notice')?.textContent), '1 comment approved.');
    assert.match(norm(after.querySelector('.moderation-tabs a[href*="approved"]')?.textContent), /Approved \(1\)/);
  });

  it('marks several comments as spam at once, filtered by article', async () => {
    const a = await held({ comment: 'Spam one.' });
    const b = await held({ comment: 'Spam two.' });
    const answer = await editor.post('/admin/comments/bulk', { ids: [String(a), String(b)], action: 'spam', status: 'pending', article: articleId });
    assert.equal(answer.status, 303);
    assert.equal(answer.location, `/admin/comments?status=pending&article=${articleId}&done=spam&moved=2`);
    const spam = doc((await editor.get(`/admin/comments?status=spam&article=${articleId}`)).text);
    assert.ok(spam.querySelector(`#comment-${a}`) && spam.querySelector(`#comment-${b}`));
    assert.match(norm(spam.querySelector('.moderation-article')?.textContent), /Comments on .* are open/);
    const rows = await server.store.db.selectFrom('comments').select('status').where('id', 'in', [a, b]).execute();
    assert.deepEqual(rows.map((r) => r.status), ['spam', 'spam']);
  });

  it('pages a long queue: newer and older links, and a page past the last shows the last', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 21; i++) ids.push(await held({ comment: `Queued comment ${i}.` }));
    const first = doc((await editor.get('/admin/comments?status=pending')).text);
    assert.equal(first.querySelectorAll('.moderation-table tbody tr').length, 20);
    assert.ok(first.querySelector(`#comment-${ids[20]}`), 'newest first');
    const older = first.querySelector('.moderation-pages a[rel="next"]')?.getAttribute('href');
    assert.equal(older, '/admin/comments?status=pending&page=2');
    const second = doc((await editor.get(older!)).text);
    assert.deepEqual([...second.querySelectorAll('.moderation-table tbody tr')].map((r) => r.id), [`comment-${ids[0]}`]);
    assert.equal(second.querySelector('.moderation-pages a[rel="prev"]')?.getAttribute('href'), '/admin/comments?status=pending');
    const past = doc((await editor.get('/admin/comments?status=pending&page=7')).text);
    assert.match(second.querySelector('.moderation-pages p')?.textContent ?? '', /Page 2 of 2/);
    assert.match(past.querySelector('.moderation-pages p')?.textContent ?? '', /Page 2 of 2/);
    const trashed = await editor.post('/admin/comments/bulk', { ids: ids.map(String), action: 'trash', status: 'pending', page: '2' });
    assert.equal(trashed.location, '/admin/comments?status=pending&page=2&done=trash&moved=21');
    assert.equal((await editor.get(trashed.location!)).status, 200, 'the emptied page answers with the last one');
  });

  it('asks for a choice when no comment is ticked, and answers 404 for unknown queues and ids', async () => {
    const none = await editor.post('/admin/comments/bulk', { action: 'approve', status: 'pending' });
    assert.equal(none.status, 422);
    assert.match(norm(doc(none.text).querySelector('#ids')?.textContent), /Choose at least one comment/);
    assert.equal((await editor.get('/admin/comments?status=deleted')).status, 404);
    assert.equal((await editor.get('/admin/comments/abc')).status, 404);
    assert.equal((await editor.get('/admin/comments/99999999')).status, 404);
    assert.equal((await editor.post('/admin/comments/bulk', { ids: ['99999999'], action: 'trash' })).status, 404);
  });

  it('corrects a comment; a bad website comes back with the typed values and a message beside the field', async () => {
    const id = await held({ author: 'Tpyo', comment: 'Speling.' });
    const bad = await editor.post(`/admin/comments/${id}/edit`, { author_name: 'Typo', author_url: 'ftp://nope', body: 'Spelling.' });
    assert.equal(bad.status, 422);
    const form = doc(bad.text);
    assert.equal(form.querySelector('#author_name')?.getAttribute('value'), 'Typo');
    assert.equal(form.querySelector('#body')?.textContent, 'Spelling.');
    assert.match(norm(form.querySelector('#author_url-error')?.textContent), /http/);
    const good = await editor.post(`/admin/comments/${id}/edit`, { author_name: 'Typo', author_url: '', body: 'Spelling.' });
    assert.equal(good.status, 303);
    const row = await server.store.db.selectFrom('comments').select(['author_name', 'body', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { author_name: 'Typo', body: 'Spelling.', status: 'pending' });
  });

  it('publishes a staff reply marked Staff on the public page, with no address on it', async () => {
    const parent = await held({ author: 'Asking Reader', comment: 'Is there a correction policy?' });
    await publicPage(server);
    const answer = await editor.post(`/admin/comments/${parent}/reply`, { reply: 'Yes: see our corrections page.' });
    assert.equal(answer.status, 303);
    const replyId = Number(/\/admin\/comments\/(\d+)\?done=replied$/.exec(answer.location ?? '')?.[1]);
    assert.ok(replyId > parent);
    const response = await fetch(server.url + SEED_PATH);
    const text = await response.text();
    const shown = doc(text).querySelector(`#comment-${parent} #comment-${replyId}`);
    assert.match(norm(shown?.textContent), /Yes: see our corrections page\./);
    assert.equal(norm(shown?.querySelector('.comment-staff')?.textContent), 'Staff');
    assert.equal(norm(shown?.querySelector('.comment-author-name')?.textContent), 'Nadia Desk');
    assert.ok(!text.includes('nadia.desk@newsroom.test') && !text.includes('@newsroom.test'), 'no staff address on the page');
    assert.ok(!text.includes(readerEmail), 'no reader address on the page');
    const empty = await editor.post(`/admin/comments/${parent}/reply`, { reply: '  ' });
    assert.equal(empty.status, 422);
    assert.match(norm(doc(empty.text).querySelector('#reply-error')?.textContent), /Enter the text/);
  });

  it('closes and opens an article’s comments from the filtered queue', async () => {
    await publicPage(server);
    const closed = await editor.post(`/admin/comments/articles/${articleId}/open`, { open: '0', status: 'pending' });
    assert.equal(closed.status, 303);
    assert.match(norm((await publicPage(server)).querySelector('#respond')?.textContent), /Comments are closed/);
    const queue = doc((await editor.get(closed.location!)).text);
    assert.match(norm(queue.querySelector('.moderation-article')?.textContent), /are closed/);
    assert.equal((await editor.post(`/admin/comments/articles/${articleId}/open`, { open: '1' })).status, 303);
    assert.ok((await publicPage(server)).querySelector('#respond form.comment-form'));
    assert.equal((await editor.post('/admin/comments/articles/99999999/open', { open: '1' })).status, 404);
  });

  it('refuses authors and contributors every moderation route, and changes nothing', async () => {
    const id = await held({ comment: 'Not theirs to judge.' });
    for (const role of ['author', 'contributor'] as const) {
      const account = await createAccount(server, { role });
      const client = await signIn(server, account.email);
      for (const path of ['/admin/comments', '/admin/comments?status=spam', `/admin/comments/${id}`]) {
        assert.equal((await client.get(path)).status, 403, `${role} GET ${path}`);
      }
      const posts: [string, Record<string, string | string[]>][] = [
        ['/admin/comments/bulk', { ids: [String(id)], action: 'approve' }],
        [`/admin/comments/${id}/edit`, { author_name: 'X', author_url: '', body: 'Taken over.' }],
        [`/admin/comments/${id}/reply`, { reply: 'Not staff.' }],
        [`/admin/comments/articles/${articleId}/open`, { open: '0' }],
      ];
      for (const [path, form] of posts) assert.equal((await client.post(path, form)).status, 403, `${role} POST ${path}`);
      const nav = doc((await client.get('/admin')).text);
      assert.equal(nav.querySelector('a[href="/admin/comments"]'), null, `no moderation link for ${role}`);
    }
    const row = await server.store.db.selectFrom('comments').select(['status', 'body']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'pending', body: 'Not theirs to judge.' });
    assert.ok((await publicPage(server)).querySelector('#respond form.comment-form'), 'comments still open');
  });

  it('sends signed-out requests to sign in and refuses their posts; refuses a post without the CSRF token', async () => {
    const id = await held({ comment: 'Nobody signed in.' });
    const stranger = new AdminClient(server);
    const get = await stranger.get(`/admin/comments/${id}`);
    assert.equal(get.status, 303);
    assert.match(get.location ?? '', /^\/admin\/sign-in\?next=/);
    for (const path of ['/admin/comments/bulk', `/admin/comments/${id}/reply`, `/admin/comments/articles/${articleId}/open`]) {
      const post = await stranger.post(path, { ids: String(id), action: 'approve', reply: 'x', open: '0' });
      assert.ok([401, 403].includes(post.status), `signed-out POST ${path}: ${post.status}`);
    }
    const noToken = await editor.post('/admin/comments/bulk', { _csrf: null, ids: [String(id)], action: 'approve' });
    assert.equal(noToken.status, 403);
    const otherSite = await editor.post('/admin/comments/bulk', { ids: [String(id)], action: 'approve' }, { origin: 'https://evil.example' });
    assert.equal(otherSite.status, 403);
    const row = await server.store.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
  });

  it('serves valid HTML on every moderation page (Nu Html Checker)', async () => {
    const id = await held({ author: 'Valid Reader', comment: 'Line one.\nLine two.\n\nA second paragraph with <b>markup</b>.' });
    const pages: Record<string, string> = {
      'queue-pending': (await editor.get('/admin/comments')).text,
      'queue-filtered': (await editor.get(`/admin/comments?status=pending&article=${articleId}`)).text,
      'queue-empty-trash': (await editor.get('/admin/comments?status=trash')).text,
      'queue-no-choice': (await editor.post('/admin/comments/bulk', { action: 'spam', status: 'pending' })).text,
      comment: (await editor.get(`/admin/comments/${id}`)).text,
      'comment-refused-edit': (await editor.post(`/admin/comments/${id}/edit`, { author_name: '', author_url: 'nope', body: '' })).text,
    };
    const dir = tempDir('gazette-moderation-html-');
    try {
      const files = Object.entries(pages).map(([name, text]) => {
        const file = path.join(dir.dir, `${name}.html`);
        fs.writeFileSync(file, text);
        return file;
      });
      const run = spawnSync(process.env.JAVA ?? 'java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      const report = JSON.parse(run.stderr) as { messages: { url?: string; message: string; lastLine?: number; extract?: string }[] };
      assert.deepEqual(report.messages.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine ?? '?'} ${m.message} ${m.extract ?? ''}`), []);
    } finally {
      dir.remove();
    }
  });
});
