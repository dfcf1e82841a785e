// An article's approved comments and threads are kept, not counted (migration 029, decision 0062): the
// triggers on comments keep comment_counts and comment_live_threads right through every write. After each
// step below, the kept counts, and the place of every approved comment (how many threads come before its
// own), must equal a count made from the comments themselves: readers' posts and replies, moderation one
// at a time and in bulk, a thread's last approved comment leaving and coming back, a status set again to
// what it was, an edit, an import (again, and in bulk), and a deletion that takes its replies with it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator } from 'kysely';
import { cardsFor } from '../../src/articles/article.service.ts';
import * as repo from '../../src/comments/comment.repository.ts';
import { importCommentIn, importNewCommentsIn, resolveSecret, type CommentService } from '../../src/comments/comment.service.ts';
import { migrationsFor } from '../../src/db/migrations/index.ts';
import type { Db } from '../../src/db/store.ts';
import type { TestServer } from '../helpers/server.ts';
import { seedAndOtherArticle, serviceFor, startCommentServer } from './helpers.ts';

/** Per article, the approved comments and threads counted from the comments, and every approved comment's threads before its own. */
async function recount(db: Db) {
  const rows = await db.selectFrom('comments').select(['id', 'article_id', 'root_id']).where('status', '=', 'approved').orderBy('id').execute();
  const byArticle = new Map<number, { comments: number; roots: Set<number> }>();
  for (const r of rows) {
    const a = byArticle.get(r.article_id) ?? { comments: 0, roots: new Set<number>() };
    a.comments++;
    a.roots.add(r.root_id!);
    byArticle.set(r.article_id, a);
  }
  const places = new Map<number, { articleId: number; before: number; threads: number }>();
  for (const r of rows) {
    const roots = [...byArticle.get(r.article_id)!.roots];
    places.set(r.id, { articleId: r.article_id, before: roots.filter((root) => root < r.root_id!).length, threads: roots.length });
  }
  return { byArticle, places, rows };
}

/** The kept counts equal a recount, for every article and every approved comment. */
async function assertCounts(db: Db, articleIds: readonly number[], step: string): Promise<void> {
  const { byArticle, places, rows } = await recount(db);
  for (const articleId of articleIds) {
    const want = byArticle.get(articleId);
    assert.deepEqual(await repo.approvedTotals(db, articleId), { comments: want?.comments ?? 0, threads: want?.roots.size ?? 0 }, `${step}: totals of article ${articleId}`);
  }
  // Cards read their counts in their own row (decision 0079).
  const cards = await cardsFor(db, articleIds);
  assert.deepEqual(
    cards.map((c) => [c.id, c.commentCount]),
    articleIds.map((a) => [a, byArticle.get(a)?.comments ?? 0]),
    `${step}: the cards' counts`,
  );
  // No row kept for a thread without an approved comment, and none left over anywhere.
  const live = await db.selectFrom('comment_live_threads').select(['article_id', 'root_id', 'approved']).orderBy('article_id').orderBy('root_id').execute();
  const wantLive = new Map<string, number>();
  for (const r of rows) wantLive.set(`${r.article_id}/${r.root_id}`, (wantLive.get(`${r.article_id}/${r.root_id}`) ?? 0) + 1);
  assert.deepEqual(new Map(live.map((l) => [`${l.article_id}/${l.root_id}`, Number(l.approved)])), wantLive, `${step}: the live threads`);
  for (const [id, place] of places) {
    assert.deepEqual(await repo.approvedPlace(db, id), place, `${step}: the place of comment ${id}`);
    assert.deepEqual(await repo.approvedPlaceOn(db, id, place.articleId), { before: place.before, threads: place.threads }, `${step}: the place of comment ${id} on its article`);
  }
}

describe('the kept counts of approved comments and threads', () => {
  let server: TestServer;
  let service: CommentService;
  let secret: string;
  let articleId: number;
  let otherId: number;
  let articles: number[];
  const db = () => server.store.db;

  const post = async (text: string, parent = 0, on = articleId) =>
    (
      await service.post(
        { article_id: String(on), author: 'Counted Reader', email: 'counted@example.org', comment: text, comment_parent: String(parent), token: service.formToken(on, new Date(Date.now() - 60_000)) },
        { ip: '203.0.113.7', userAgent: 'test browser', now: new Date(), browserComments: [] },
      )
    ).id;

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-none' });
    service = await serviceFor(server);
    secret = await resolveSecret(server.store.db, server.config);
    ({ articleId, otherId } = await seedAndOtherArticle(server));
    articles = [articleId, otherId];
  });
  after(() => server.close());

  it('stay right through posts, replies, moderation, imports and deletions', async () => {
    await assertCounts(db(), articles, 'none yet');
    const a = await post('Thread A.');
    const b = await post('Thread B.');
    const c = await post('Thread C.');
    await assertCounts(db(), articles, 'three threads');
    assert.deepEqual(await repo.approvedTotals(db(), articleId), { comments: 3, threads: 3 });

    const a1 = await post('A reply in thread A.', a);
    const a2 = await post('A reply to the reply.', a1);
    await assertCounts(db(), articles, 'replies');
    assert.deepEqual(await repo.approvedTotals(db(), articleId), { comments: 5, threads: 3 });

    // The thread's top comment leaves; its replies keep the thread.
    await service.moderate([a], 'pending');
    await assertCounts(db(), articles, 'the top comment held');
    assert.deepEqual(await repo.approvedTotals(db(), articleId), { comments: 4, threads: 3 });

    // Its last approved comments leave in one bulk move: the thread no longer counts, and C moves up.
    await service.moderate([a1, a2], 'spam');
    await assertCounts(db(), articles, 'the last approved comments of a thread out');
    assert.deepEqual(await repo.approvedTotals(db(), articleId), { comments: 2, threads: 2 });
    assert.equal((await repo.approvedPlace(db(), c))!.before, 1);

    // One reply comes back: the thread counts again, before B and C.
    await service.moderate([a2], 'approved');
    await assertCounts(db(), articles, 'a reply back');
    assert.deepEqual(await repo.approvedTotals(db(), articleId), { comments: 3, threads: 3 });
    assert.equal((await repo.approvedPlace(db(), c))!.before, 2);

    // The same status twice counts once; an edit of the text counts nothing.
    await service.moderate([b], 'trash');
    await service.moderate([b], 'trash');
    await service.moderate([c, c], 'approved');
    await server.store.writeTransaction((trx) => repo.setShownFields(trx, c, { body: 'Thread C, corrected.', authorName: 'Counted Reader', authorUrl: null }, new Date().toISOString()));
    await assertCounts(db(), articles, 'a status set again, an edit');
    assert.deepEqual(await repo.approvedTotals(db(), articleId), { comments: 2, threads: 2 });

    // Everything back at once, and comments on the other article beside them.
    await service.moderate([a, a1, b], 'approved');
    const o = await post('On the other article.', 0, otherId);
    await post('A reply there.', o, otherId);
    await assertCounts(db(), articles, 'bulk approval, another article');
    assert.deepEqual(await repo.approvedTotals(db(), articleId), { comments: 5, threads: 3 });
    assert.deepEqual(await repo.approvedTotals(db(), otherId), { comments: 2, threads: 1 });

    // An import: the same comment imported again with another status, and a batch of new threads and replies.
    const createdAt = '2026-11-01T10:00:00.000Z';
    const imported = { articleId, parentId: null, author: 'Imported', email: 'imported@example.org', url: null, text: 'Thread C.', createdAt };
    await server.store.writeTransaction((trx) => importCommentIn(trx, secret, { ...imported, status: 'pending' }, c));
    await assertCounts(db(), articles, 'imported again, held');
    await server.store.writeTransaction((trx) => importCommentIn(trx, secret, { ...imported, status: 'approved' }, c));
    await assertCounts(db(), articles, 'imported again, approved');
    await server.store.writeTransaction((trx) =>
      importNewCommentsIn(trx, secret, [
        { ...imported, key: 'w1', parentKey: null, text: 'Imported thread one.', status: 'approved' },
        { ...imported, key: 'w2', parentKey: 'w1', text: 'Imported reply.', status: 'approved' },
        { ...imported, key: 'w3', parentKey: null, text: 'Imported held thread.', status: 'pending' },
        { ...imported, key: 'w4', parentKey: 'w3', text: 'Imported approved reply to a held thread.', status: 'approved' },
        { ...imported, key: 'w5', parentKey: null, text: 'Imported spam.', status: 'spam' },
        { ...imported, articleId: otherId, key: 'w6', parentKey: null, text: 'Imported on the other article.', status: 'approved' },
      ]),
    );
    await assertCounts(db(), articles, 'a batch imported');
    assert.deepEqual(await repo.approvedTotals(db(), articleId), { comments: 8, threads: 5 });
    assert.deepEqual(await repo.approvedTotals(db(), otherId), { comments: 3, threads: 2 });

    // A deleted comment takes its replies with it (the foreign key's cascade).
    await server.store.writeTransaction((trx) => trx.deleteFrom('comments').where('id', '=', a).execute());
    await assertCounts(db(), articles, 'a thread deleted');
    assert.deepEqual(await repo.approvedTotals(db(), articleId), { comments: 5, threads: 4 });

    // Moderation in bulk through the staff queue's transaction, every comment of the article.
    const all = (await db().selectFrom('comments').select('id').where('article_id', '=', articleId).execute()).map((r) => r.id);
    await service.moderate(all, 'trash');
    await assertCounts(db(), articles, 'all trashed');
    assert.deepEqual(await repo.approvedTotals(db(), articleId), { comments: 0, threads: 0 });
    assert.equal(await repo.approvedPlaceOn(db(), c, articleId), undefined);
    await service.moderate(all, 'approved');
    await assertCounts(db(), articles, 'all approved again');
  });

  it('migration 029 fills them from the comments already there, and goes down and up again', async () => {
    const migrator = new Migrator({ db: db(), provider: { getMigrations: async () => migrationsFor(server.store.schema) } });
    const down = await migrator.migrateTo('028_comment_text_index_by_article');
    assert.equal(down.error, undefined);
    assert.equal(down.results?.at(-1)?.migrationName, '029_comment_counts');
    // Written while nothing keeps the counts: the migration must count them.
    const t = await post('Before the counts were kept.');
    await post('A reply, before them too.', t);
    const up = await migrator.migrateToLatest();
    assert.equal(up.error, undefined);
    await assertCounts(db(), articles, 'after migration 029');
    assert.ok((await repo.approvedTotals(db(), articleId)).threads > 0);
    await post('After them.', t);
    await assertCounts(db(), articles, 'kept again after the migration');
  });

  it('a comment that is not approved, or of another article, has no place', async () => {
    const held = await post('To be held.');
    await service.moderate([held], 'pending');
    assert.equal(await repo.approvedPlace(db(), held), undefined);
    assert.equal(await repo.approvedPlaceOn(db(), held, articleId), undefined);
    const shown = await post('Shown.');
    assert.equal(await repo.approvedPlaceOn(db(), shown, otherId), undefined);
    assert.equal(await repo.approvedPlaceOn(db(), 99_999_999, articleId), undefined);
  });
});
