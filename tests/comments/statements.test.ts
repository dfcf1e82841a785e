// What an accepted comment costs the store (decision 0052): the duplicate rule is one statement, and the
// page a published comment is on is found in one statement when the caller has its article (a reader's
// post, which has just checked it), two otherwise; the answers are those of the rules as before.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCommentService, resolveSecret, type CommentService } from '../../src/comments/comment.service.ts';
import { CommentRejected } from '../../src/comments/comment.errors.ts';
import { countingStatements as counting } from '../helpers/counting.ts';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, seedAndOtherArticle, startCommentServer } from './helpers.ts';

describe('the statements of an accepted comment', () => {
  let server: TestServer;
  let service: CommentService;
  let count: () => number;
  let articleId: number;
  let otherId: number;

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-none', COMMENTS_PER_PAGE: '2' });
    const counted = counting(server.store);
    count = counted.count;
    service = createCommentService({ store: counted.store, config: server.config, secret: await resolveSecret(server.store.db, server.config), mailer: null });
    ({ articleId, otherId } = await seedAndOtherArticle(server));
  });
  after(() => server.close());

  const post = (text: string, browserComments: number[] = [], article = articleId, parent = '0') =>
    service.post(
      { article_id: String(article), author: 'Counted Reader', email: 'counted@example.org', comment: text, comment_parent: parent, token: service.formToken(article, new Date(Date.now() - 60_000)) },
      { ip: '203.0.113.5', userAgent: 'test browser', now: new Date(), browserComments },
    );

  /** The statements `work` runs. */
  async function statements(work: () => Promise<unknown>): Promise<number> {
    const before = count();
    await work();
    return count() - before;
  }

  it('finds the page of a comment just posted in one statement, and of any comment in two, with the same answer', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await post(`Thread number ${i} of the counted article.`)).id);
    const reply = await post('A reply in the second thread.', [], articleId, String(ids[1]));
    const path = SEED_PATH;
    for (const id of [ids[0]!, ids[4]!, reply.id]) {
      let known: Awaited<ReturnType<CommentService['locate']>>;
      let looked: Awaited<ReturnType<CommentService['locate']>>;
      assert.equal(await statements(async () => (known = await service.locate(id, { id: articleId, path }))), 1, `comment ${id}, its article given`);
      assert.equal(await statements(async () => (looked = await service.locate(id))), 2, `comment ${id}, its article looked up`);
      assert.deepEqual(known, looked);
    }
    // Two threads per page, oldest first: the fifth thread is on page 3, the reply on page 1 with its thread.
    assert.equal((await service.locate(ids[4]!))!.page, 3);
    assert.equal((await service.locate(reply.id, { id: articleId, path }))!.page, 1);
    // Another article than the comment's: not found there.
    assert.equal(await service.locate(ids[0]!, { id: otherId, path: '/elsewhere' }), undefined);
    await service.moderate([ids[2]!], 'trash');
    assert.equal(await service.locate(ids[2]!, { id: articleId, path }), undefined, 'a trashed comment has no page');
    assert.equal((await service.locate(ids[4]!, { id: articleId, path }))!.page, 2, 'the trashed thread no longer counts');
  });

  it('checks the duplicate rule in one statement, with the same answers', async () => {
    const first = await post('A text this browser sends twice.');
    // One statement for the article, one for the duplicate rule, two for the comment and its thread, one
    // for the webhook endpoints (decision 0052: the two halves of the duplicate rule were two statements).
    assert.equal(await statements(() => post('Another text, counted.', [first.id])), 5);
    const repeat = (text: string, browser: number[], article = articleId) =>
      post(text, browser, article).then(
        () => 'accepted',
        (error: unknown) => (error instanceof CommentRejected ? error.problem : Promise.reject(error)),
      );
    // An approved text on the article, from any browser; the same text on another article is no repeat.
    assert.equal(await repeat('A text this browser sends twice.', []), 'duplicate');
    assert.equal(await repeat('A text this browser sends twice.', [], otherId), 'accepted');
    // This browser's own comment, held: a repeat from it, not from another browser.
    const held = await post('A held text.');
    await service.moderate([held.id], 'pending');
    assert.equal(await repeat('A held text.', [held.id]), 'duplicate');
    assert.equal(await repeat('A held text.', []), 'accepted');
    // This browser's comment in the trash is no repeat.
    const trashed = await post('A trashed text.');
    await service.moderate([trashed.id], 'trash');
    assert.equal(await repeat('A trashed text.', [trashed.id]), 'accepted');
  });
});
