// Moderation by staff accounts at the service level (issue 11, part 6): the queue by state with counts,
// article filter and pages; bulk moves; corrections; staff replies marked as staff with no address on the
// page; open/close; the comment.moderate permission on every action. Each change must show on the running
// server's next page (the page cache drops what the service announces), on both engines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import type { Account } from '../../src/accounts/account.service.ts';
import { auditLog } from '../../src/accounts/audit.service.ts';
import { openCommentService, type CommentService } from '../../src/comments/comment.service.ts';
import { AppError } from '../../src/errors.ts';
import { createAccount } from '../helpers/admin.ts';
import { Mailbox } from '../helpers/mailbox.ts';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, fields, norm, postComment, readForm, snapshot, startCommentServer } from './helpers.ts';

const page = async (server: TestServer, path = SEED_PATH) => {
  const response = await fetch(server.url + path);
  return { text: await response.text(), cache: response.headers.get('server-timing') ?? '' };
};
const doc = (text: string) => parseHTML(text).document;

/** Rejects with an AppError of this code. */
async function refused(work: Promise<unknown>, code: AppError['code']): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

describe('comment moderation by staff (service)', () => {
  const mailbox = new Mailbox();
  let server: TestServer;
  let comments: CommentService;
  let closeService: () => Promise<void>;
  let editor: Account;
  let admin: Account;
  let seedArticleId = 0;

  /** Posts a held comment on a page and returns its id. */
  async function held(path: string, extra: Record<string, string> = {}): Promise<number> {
    const answer = await postComment(server, fields(await readForm(server, path), extra));
    assert.equal(answer.status, 303, answer.text.slice(0, 300));
    const row = await server.store.db.selectFrom('comments').select(['id', 'status']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    return row.id;
  }

  before(async () => {
    await mailbox.start();
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-all', ...mailbox.env });
    ({ service: comments, close: closeService } = await openCommentService(server.store, server.config, () => {}));
    editor = await createAccount(server, { role: 'editor', name: 'Mira Desk', email: 'mira.desk@staff.gazette.test' });
    admin = await createAccount(server, { role: 'admin', email: 'chief@staff.gazette.test' });
    seedArticleId = Number((await readForm(server, SEED_PATH)).article_id);
  });
  after(async () => {
    await closeService();
    await server.close();
    await mailbox.close();
  });

  it('pages the queue by state with counts of every state, and filters by article', async () => {
    const ids = [await held(SEED_PATH), await held(SEED_PATH), await held(SEED_PATH)];
    const first = await comments.moderationQueue(editor, { status: 'pending', articleId: seedArticleId, perPage: 2 });
    assert.equal(first.counts.pending, 3);
    assert.equal(first.counts.approved, 0);
    assert.equal(first.pageCount, 2);
    assert.deepEqual(first.items.map((c) => c.id), [ids[2], ids[1]], 'newest first');
    assert.equal(first.article?.path, SEED_PATH);
    assert.equal(first.article?.commentsOpen, true);
    assert.ok(first.items[0]!.authorEmail.includes('@'), 'staff see the reader’s address');
    const last = await comments.moderationQueue(editor, { status: 'pending', articleId: seedArticleId, perPage: 2, page: 9 });
    assert.equal(last.page, 2, 'a page past the last shows the last');
    assert.deepEqual(last.items.map((c) => c.id), [ids[0]]);
    assert.ok(last.articles.some((a) => a.id === seedArticleId && a.path === SEED_PATH && a.comments >= 3));
    assert.equal(await comments.pendingCount(), 3);
    await comments.bulkModerate(editor, ids, 'trash');
  });

  it('approves in bulk: the running server shows the comments on the next request, the reply notice goes out once', async () => {
    const form = await readForm(server, SEED_PATH);
    const asker = `asker.${process.pid}@example.org`;
    await postComment(server, fields(form, { author: 'Asker', email: asker, comment: 'Will anyone answer me?', notify: 'on' }));
    const askerId = (await comments.moderationQueue(editor, { status: 'pending' })).items[0]!.id;
    await comments.bulkModerate(editor, [askerId], 'approve');
    const replyForm = await readForm(server, SEED_PATH);
    await postComment(server, fields(replyForm, { author: 'Answerer', comment: 'Here is an answer, Asker.', comment_parent: String(askerId) }));
    const answerId = (await comments.moderationQueue(editor, { status: 'pending' })).items[0]!.id;

    const unapproved = await page(server);
    assert.equal(doc(unapproved.text).querySelector(`#comment-${answerId}`), null);
    assert.match((await page(server)).cache, /hit/, 'the page is cached before the approval');
    assert.deepEqual(await comments.bulkModerate(editor, [answerId], 'approve'), { moved: 1, status: 'approved' });
    const afterApproval = await page(server);
    assert.match(norm(doc(afterApproval.text).querySelector(`#comment-${askerId} #comment-${answerId}`)?.textContent), /Here is an answer, Asker\./);
    const mail = await mailbox.next(asker);
    assert.match(mail.raw, /Answerer replied to your comment/);
    // Moving it away and back does not send the notice again.
    await comments.bulkModerate(editor, [answerId], 'unapprove');
    await comments.bulkModerate(editor, [answerId], 'approve');
    await comments.settle();
    assert.equal(mailbox.mails.filter((m) => m.to.includes(asker)).length, 1);
  });

  it('marks spam, trashes and restores in bulk; an unknown id moves nothing', async () => {
    const a = await held(SEED_PATH, { comment: 'Cheap watches here.' });
    const b = await held(SEED_PATH, { comment: 'More cheap watches.' });
    await comments.bulkModerate(editor, [a, b], 'spam');
    const spam = await comments.moderationQueue(editor, { status: 'spam' });
    assert.deepEqual(spam.items.map((c) => c.id).slice(0, 2), [b, a]);
    const counts = spam.counts;
    const unchanged = await snapshot(server);
    await refused(comments.bulkModerate(editor, [a, 999_999], 'trash'), 'not_found');
    assert.deepEqual(await snapshot(server), unchanged, 'nothing moved');
    await comments.bulkModerate(editor, [a], 'trash');
    await comments.bulkModerate(editor, [b], 'restore');
    const trash = await comments.moderationQueue(editor, { status: 'trash' });
    assert.equal(trash.counts.spam, counts.spam - 2);
    assert.equal(trash.counts.trash, counts.trash + 1);
    assert.equal(trash.counts.pending, counts.pending + 1);
    assert.ok(trash.items.some((c) => c.id === a));
    const spamEntries = (await auditLog(server.store.db, { action: 'comment.spam' })).entries;
    assert.deepEqual(spamEntries.map((e) => e.subject).slice(0, 2).sort(), [`comment:${a}`, `comment:${b}`].sort());
    assert.equal(spamEntries[0]!.actorId, editor.id);
    assert.equal(spamEntries[0]!.actorName, 'Mira Desk');
    assert.deepEqual(spamEntries[0]!.details, { article: seedArticleId, from: 'pending', to: 'spam' });
  });

  it('edits a comment’s text, name and website; bad fields are refused field by field and nothing changes', async () => {
    const id = await held(SEED_PATH, { author: 'Typo Tom', comment: 'Teh text with a typo.' });
    await comments.bulkModerate(editor, [id], 'approve');
    await page(server);
    const bad = await refused(comments.editComment(editor, id, { body: '   ', authorName: '', authorUrl: 'javascript:alert(1)' }), 'invalid_input');
    assert.deepEqual(Object.keys(bad.fields).sort(), ['author_name', 'author_url', 'body']);
    assert.match(bad.fields.author_url!, /http/);
    assert.equal((await comments.staffComment(editor, id)).body, 'Teh text with a typo.', 'nothing half-written');
    const edited = await comments.editComment(editor, id, { body: 'The text, corrected.', authorName: 'Tom', authorUrl: 'https://tom.example' });
    assert.equal(edited.body, 'The text, corrected.');
    const shown = doc((await page(server)).text).querySelector(`#comment-${id}`);
    assert.match(norm(shown?.textContent), /The text, corrected\./);
    assert.equal(norm(shown?.querySelector('.comment-author-name')?.textContent), 'Tom');
    assert.equal(shown?.querySelector('a.comment-author-name')?.getAttribute('href'), 'https://tom.example');
  });

  it('replies as staff: approved with its held parent, marked Staff on the page, no address anywhere on it', async () => {
    const parent = await held(SEED_PATH, { author: 'Curious', comment: 'Who wrote this article?' });
    await page(server);
    const reply = await comments.replyAsStaff(editor, parent, 'Our desk did; thank you for asking.');
    assert.equal(reply.articlePath, SEED_PATH);
    const row = await server.store.db.selectFrom('comments').selectAll().where('id', '=', reply.id).executeTakeFirstOrThrow();
    assert.equal(row.staff_account_id, editor.id);
    assert.equal(row.status, 'approved');
    assert.equal(row.author_name, 'Mira Desk');
    const { text } = await page(server);
    const shown = doc(text).querySelector(`#comment-${parent} #comment-${reply.id}`);
    assert.match(norm(shown?.textContent), /Our desk did/);
    assert.equal(norm(shown?.querySelector('.comment-staff')?.textContent), 'Staff');
    assert.match(shown?.getAttribute('class') ?? '', /comment-by-staff/);
    assert.equal(doc(text).querySelector(`#comment-${parent} > article .comment-staff`), null, 'the reader’s comment is not marked');
    assert.ok(!text.includes(editor.email), 'the staff address is not on the page');
    assert.doesNotMatch(text, /@staff\.gazette\.test|@example\.org/, 'no address at all');
    const audit = (await auditLog(server.store.db, { actorId: editor.id })).entries;
    assert.ok(audit.some((e) => e.action === 'comment.reply' && e.subject === `comment:${reply.id}`));
    assert.ok(audit.some((e) => e.action === 'comment.approve' && e.subject === `comment:${parent}`));
    assert.doesNotMatch(JSON.stringify(audit), /@/, 'no address in the audit log');
    const tooLong = await refused(comments.replyAsStaff(editor, parent, 'x'.repeat(server.config.comments.maxLength + 1)), 'invalid_input');
    assert.ok(tooLong.fields.body);
  });

  it('closes and opens an article’s comments, shown on the next request', async () => {
    await page(server);
    const closed = await comments.setArticleCommentsOpen(admin, seedArticleId, false);
    assert.equal(closed.commentsOpen, false);
    assert.match(norm(doc((await page(server)).text).querySelector('#respond')?.textContent), /Comments are closed/);
    await comments.setArticleCommentsOpen(editor, seedArticleId, true);
    assert.ok(doc((await page(server)).text).querySelector('#respond form.comment-form'));
    await refused(comments.setArticleCommentsOpen(editor, 987_654, false), 'not_found');
    const entries = (await auditLog(server.store.db, { actorId: admin.id })).entries;
    assert.deepEqual(entries.map((e) => [e.action, e.subject]), [['comment.close', `article:${seedArticleId}`]]);
  });

  it('refuses authors and contributors every moderation action, changing nothing', async () => {
    const id = await held(SEED_PATH);
    const actors = [await createAccount(server, { role: 'author' }), await createAccount(server, { role: 'contributor' })];
    const unchanged = await snapshot(server);
    for (const actor of actors) {
      await refused(comments.moderationQueue(actor, { status: 'pending' }), 'forbidden');
      await refused(comments.staffComment(actor, id), 'forbidden');
      await refused(comments.bulkModerate(actor, [id], 'approve'), 'forbidden');
      await refused(comments.editComment(actor, id, { body: 'Taken over.', authorName: 'X', authorUrl: '' }), 'forbidden');
      await refused(comments.replyAsStaff(actor, id, 'Not staff.'), 'forbidden');
      await refused(comments.setArticleCommentsOpen(actor, seedArticleId, false), 'forbidden');
    }
    assert.deepEqual(await snapshot(server), unchanged);
  });
});
