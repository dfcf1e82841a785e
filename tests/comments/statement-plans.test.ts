// What the two statements of an accepted comment that read its article's comments cost as the article's
// comments grow (decision 0055): the duplicate rule finds the comments whose text begins alike through
// comments_article_prefix_idx (migrations 026 and 028, decisions 0055 and 0057) instead of reading every
// approved comment of the article, and the page of a comment just posted reads the article's kept counts
// and the threads from its own on (migration 029, decision 0062), not every approved comment of its
// article (decision 0055 had made that one pass of their index). Plans are read as each engine makes
// them without statistics (nothing analyses in these tests, nor on the bench's server); the answers are
// those of the rules as before.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, type Compilable } from 'kysely';
import * as repo from '../../src/comments/comment.repository.ts';
import type { Db } from '../../src/db/store.ts';
import { ENGINE } from '../helpers/database.ts';
import type { TestServer } from '../helpers/server.ts';
import { seedAndOtherArticle, serviceFor, startCommentServer } from './helpers.ts';

/** Comments of the article beside the test's own: enough that reading them all is not the cheapest plan. */
const FILLER = 2000;

/** A filler comment's text: the bench's form, about 60 characters that differ only near their end. */
const fillerText = (n: number) => `A published comment under load ${String(n).padStart(8, '0')}-padded-to-the-bench-length`;

/** The plan of a statement: PostgreSQL's nodes (JSON), or SQLite's EXPLAIN QUERY PLAN lines. */
async function planOf(db: Db, query: Compilable<unknown>): Promise<string> {
  const { sql, parameters } = query.compile();
  if (ENGINE === 'postgres') {
    const { rows } = await db.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`explain (format json) ${sql}`, [...parameters]));
    return JSON.stringify(rows[0]!['QUERY PLAN']);
  }
  const { rows } = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${sql}`, [...parameters]));
  return rows.map((r) => r.detail).join('\n');
}

describe('the statements that read an article’s comments for an accepted comment', () => {
  let server: TestServer;
  let articleId: number;
  let otherId: number;
  const ids: number[] = [];

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-none' });
    const service = await serviceFor(server);
    ({ articleId, otherId } = await seedAndOtherArticle(server));
    const post = (text: string, parent = 0) =>
      service.post(
        { article_id: String(articleId), author: 'Planned Reader', email: 'planned@example.org', comment: text, comment_parent: String(parent), token: service.formToken(articleId, new Date(Date.now() - 60_000)) },
        { ip: '203.0.113.9', userAgent: 'test browser', now: new Date(), browserComments: [] },
      );
    for (let i = 0; i < 4; i++) ids.push((await post(`Thread ${i} of the planned article.`)).id);
    ids.push((await post('A reply in the second thread.', ids[1])).id);
    // Many more approved threads and held comments, written as rows (the service's checks are not under test).
    const model = await repo.findComment(server.store.db, ids[0]!);
    const { id: _id, ...columns } = model!;
    for (let i = 0; i < FILLER; i += 500) {
      const batch = Array.from({ length: 500 }, (_, j) => ({ ...columns, body: fillerText(i + j), status: j % 2 ? ('approved' as const) : ('pending' as const), root_id: null }));
      await server.store.db.insertInto('comments').values(batch).execute();
    }
    await server.store.db.updateTable('comments').set((eb) => ({ root_id: eb.ref('id') })).where('root_id', 'is', null).execute();
    ids.push((await post('The newest thread, after the filler.')).id);
  });
  after(() => server.close());

  it('checks the duplicate rule through the index of the texts’ beginnings, with and without the browser’s comments', async () => {
    for (const browser of [[], [ids[0]!]]) {
      const plan = await planOf(server.store.db, repo.repeatQuery(server.store.db, articleId, fillerText(7), browser));
      assert.match(plan, /comments_article_prefix_idx/, `browser comments ${JSON.stringify(browser)}: ${plan}`);
    }
    const repeat = (text: string, browser: number[] = []) => repo.isRepeat(server.store.db, articleId, text, browser);
    assert.equal(await repeat(fillerText(7)), true, 'an approved text');
    assert.equal(await repeat(fillerText(8)), false, 'a held text');
    assert.equal(await repeat(fillerText(8), [ids[0]!]), false, 'a held text not of this browser');
    assert.equal(await repeat('Thread 0 of the planned article.', [ids[0]!]), true, 'this browser’s text');
    assert.equal(await repeat(fillerText(7).slice(0, -1)), false, 'a text that only begins alike');
    const long = `${'x'.repeat(70)} one ending`;
    assert.equal(await repeat(long), false);
    await server.store.db.insertInto('comments').values({ ...(await repo.findComment(server.store.db, ids[0]!))!, id: undefined, body: long } as never).execute();
    assert.equal(await repeat(long), true, 'a text longer than the indexed beginning');
    assert.equal(await repeat(`${'x'.repeat(70)} another ending`), false, 'a text that shares only the indexed beginning');
  });

  it('finds the page of a comment on a known article from the kept counts, by keys only, with the answers of a recount', async () => {
    const plan = await planOf(server.store.db, repo.placeOnQuery(server.store.db, ids.at(-1)!, articleId));
    if (ENGINE === 'postgres') {
      // The comment by its key, the counts by theirs, the threads from the comment's own on by a range of their key.
      assert.doesNotMatch(plan, /"Node Type":"(Seq Scan|Sort|Nested Loop|Hash Join|Merge Join)"/, plan);
      assert.deepEqual([...plan.matchAll(/"Index Name":"([a-z_]+)"/g)].map((m) => m[1]).sort(), ['comment_counts_pkey', 'comment_live_threads_pkey', 'comments_pkey', 'comments_pkey'], plan);
      assert.match(plan, /"Index Cond":"\(\(article_id = \d+\) AND \(root_id >= \$\d\)\)"/, plan);
    } else {
      assert.doesNotMatch(plan, /\bSCAN (c|t|l)\b|TEMP B-TREE|comments_article/, plan);
      assert.match(plan, /SEARCH l USING COVERING INDEX \S+ \(article_id=\? AND root_id>\?\)/, plan);
    }
    // The answers of a count made from the comments themselves.
    const approved = await server.store.db.selectFrom('comments').select(['id', 'root_id']).where('article_id', '=', articleId).where('status', '=', 'approved').execute();
    const roots = [...new Set(approved.map((c) => c.root_id!))];
    for (const c of approved) {
      const want = { before: roots.filter((r) => r < c.root_id!).length, threads: roots.length };
      assert.deepEqual(await repo.approvedPlaceOn(server.store.db, c.id, articleId), want, `comment ${c.id}`);
      assert.deepEqual(await repo.approvedPlace(server.store.db, c.id), { articleId, ...want }, `comment ${c.id}, its article not given`);
    }
    assert.equal((await repo.approvedPlaceOn(server.store.db, ids.at(-1)!, articleId))!.threads, 4 + FILLER / 2 + 1);
    assert.equal(await repo.approvedPlaceOn(server.store.db, ids[0]!, otherId), undefined, 'another article’s');
    const held = await server.store.db.selectFrom('comments').select('id').where('status', '=', 'pending').executeTakeFirstOrThrow();
    assert.equal(await repo.approvedPlaceOn(server.store.db, held.id, articleId), undefined, 'a held comment');
    assert.equal(await repo.approvedPlaceOn(server.store.db, 99_999_999, articleId), undefined, 'no such comment');
  });
});
