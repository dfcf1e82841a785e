// `gazette comments ...` as an editor runs it: the real bin/gazette.mjs in a child process, against the
// SQLite file a running test server uses, so each action must also show on the server's next page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { runCli, type TestServer } from '../helpers/server.ts';
import { SEED_PATH, commentIdFrom, fields, norm, postComment, readForm, startCommentServer } from './helpers.ts';


const gazette = (server: TestServer, ...args: string[]) => runCli(server, ['comments', ...args]);

const page = async (server: TestServer, p = SEED_PATH) => parseHTML(await (await fetch(server.url + p)).text()).document;

describe('gazette comments', () => {
  let server: TestServer;
  let heldId: number;
  let spamId: number;
  const email = 'cli.reader@example.org';

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-all' });
    const form = await readForm(server, SEED_PATH);
    await postComment(server, fields(form, { author: 'Dana', email, url: 'https://dana.example', comment: 'Dana’s first comment, held.' }));
    await postComment(server, fields(form, { author: 'Spammer', comment: 'Buy now' }));
    const rows = await server.store.db.selectFrom('comments').select(['id', 'author_name']).orderBy('id').execute();
    heldId = rows.find((r) => r.author_name === 'Dana')!.id;
    spamId = rows.find((r) => r.author_name === 'Spammer')!.id;
  });
  after(() => server.close());

  it('lists the pending queue with what editors need, the address included', async () => {
    const { code, stdout, stderr } = await gazette(server, 'list');
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`#${heldId}\\s+pending`));
    assert.match(stdout, /Dana <cli\.reader@example\.org>  https:\/\/dana\.example  IP 127\.0\.0\.1/);
    assert.match(stdout, /held because: every comment is held/);
    assert.match(stdout, /Dana’s first comment, held\./);
    assert.match(stdout, /\/news\/disclosure-of-confidential-document/);
  });

  it('approves, and the running server shows the comment on its next page', async () => {
    assert.equal(norm((await page(server)).querySelector(`#comment-${heldId}`)?.textContent), '');
    const { code, stdout } = await gazette(server, 'approve', String(heldId));
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`#${heldId}: approved`));
    const shown = (await page(server)).querySelector(`#comment-${heldId}`);
    assert.match(norm(shown?.textContent), /Dana’s first comment, held\./);
    assert.equal(shown?.querySelector('a.comment-author-name')?.getAttribute('rel'), 'nofollow ugc noopener');
  });

  it('marks spam and trashes, and lists by status', async () => {
    assert.equal((await gazette(server, 'spam', String(spamId))).code, 0);
    const spam = await gazette(server, 'list', '--status', 'spam');
    assert.match(spam.stdout, new RegExp(`#${spamId}\\s+spam`));
    assert.equal((await gazette(server, 'trash', String(spamId))).code, 0);
    const all = await gazette(server, 'list', '--status', 'all', '--article', 'news/disclosure-of-confidential-document');
    assert.match(all.stdout, new RegExp(`#${spamId}\\s+trash`));
    assert.match(all.stdout, new RegExp(`#${heldId}\\s+approved`));
  });

  it('edits a comment and replies as an editor', async () => {
    assert.equal((await gazette(server, 'edit', String(heldId), '--text', 'Dana’s comment, corrected by an editor.')).code, 0);
    const reply = await gazette(server, 'reply', String(heldId), '--name', 'The Editors', '--email', 'desk@gazette.test', '--text', 'Thank you, Dana.');
    assert.equal(reply.code, 0, reply.stderr);
    const replyId = commentIdFrom(/(#comment-\d+)/.exec(reply.stdout)?.[1] ?? null);
    const doc = await page(server);
    assert.match(norm(doc.querySelector(`#comment-${heldId} .comment-content`)?.textContent), /corrected by an editor/);
    assert.match(norm(doc.querySelector(`#comment-${heldId} .comment-children #comment-${replyId}`)?.textContent), /Thank you, Dana\./);
  });

  it('closes and reopens comments on an article', async () => {
    assert.equal((await gazette(server, 'close', 'news/disclosure-of-confidential-document')).code, 0);
    assert.match(norm((await page(server)).querySelector('#respond')?.textContent), /Comments are closed for this article/);
    assert.equal((await gazette(server, 'open', '/news/disclosure-of-confidential-document')).code, 0);
    assert.ok((await page(server)).querySelector('#respond form.comment-form'));
  });

  it('says what is wrong with a bad command, with a usage exit status', async () => {
    const notId = await gazette(server, 'approve', 'abc');
    assert.equal(notId.code, 64);
    assert.match(notId.stderr, /"abc" is not a comment id/);
    const status = await gazette(server, 'list', '--status', 'maybe');
    assert.equal(status.code, 64);
    assert.match(status.stderr, /--status must be one of pending, approved, spam, trash or all/);
    const missing = await gazette(server, 'approve', '999999');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /There is no comment 999999/);
    const tooLong = await gazette(server, 'edit', String(heldId), '--text', '');
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.stderr, /not valid \(comment: required\)/);
  });
});
