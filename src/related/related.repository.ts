// Stored "Check Also" lists: which articles each article's list holds, and whether it was computed.
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Db } from '../db/store.ts';
import { reusableQuery } from '../db/reusable-query.ts';
import { jsonRows, parseJsonRows } from '../db/json-rows.ts';

export interface StoredRelated {
  relatedId: number;
  score: number;
}

/** An article's list marker with its rows (one row with no related article when the list is empty). */
const listRows = reusableQuery((db, articleId: number) =>
  db
    .selectFrom('related_lists as rl')
    .leftJoin('related_articles as ra', 'ra.article_id', 'rl.article_id')
    .select(['ra.related_article_id', 'ra.score'])
    .where('rl.article_id', '=', articleId)
    .orderBy('ra.position'),
);

/** The stored list of an article, best first, or null when it was never computed (or went stale). */
export async function storedList(db: Db, articleId: number): Promise<StoredRelated[] | null> {
  const rows = await listRows(db, articleId);
  if (!rows.length) return null;
  return rows.flatMap((r) => (r.related_article_id === null ? [] : [{ relatedId: r.related_article_id, score: r.score ?? 0 }]));
}

/** A stored list as `storedListColumn` gives it: null, or its ids as JSON objects (text on SQLite). */
export type StoredListColumn = { id: number }[] | string | null;

/**
 * An article's stored list as one column of a query on the article's own row (`articleId`, e.g. the
 * reference `a.id`): its related ids best first, as a JSON array, or null when the list was never
 * computed (as storedList). The article page's row carries it (decision 0077), so an uncached page
 * reads the list with the article instead of in a round trip of its own. The SQL is this module's; the
 * articles repository only places the column in its row.
 */
export function storedListColumn(db: Db, articleId: Expression<number>): RawBuilder<StoredListColumn> {
  const rows = db.selectFrom('related_articles as ra').select(['ra.related_article_id as id', 'ra.position']).where('ra.article_id', '=', articleId);
  const computed = db.selectFrom('related_lists as rl').select('rl.article_id').where('rl.article_id', '=', articleId);
  return sql<StoredListColumn>`case when exists ${computed} then ${jsonRows<{ id: number; position: number }>(db, rows, ['id'], ['position'])} end`;
}

/**
 * The first article of an article's stored list other than itself, as a scalar subquery on the article's
 * row (`articleId`); null when the list holds none. The article page's row reads that article's card
 * with it (decision 0078).
 */
export function storedFirstColumn(db: Db, articleId: Expression<number>) {
  return db
    .selectFrom('related_articles as ra')
    .select('ra.related_article_id')
    .where('ra.article_id', '=', articleId)
    .where('ra.related_article_id', '<>', articleId)
    .orderBy('ra.position')
    .limit(1);
}

/** The ids of a storedListColumn value, best first; null when the list was never computed. */
export function parseStoredListColumn(value: StoredListColumn): number[] | null {
  return value === null ? null : parseJsonRows(value).map((r) => Number(r.id));
}

/** Replaces an article's list and marks it computed. */
export async function saveList(db: Db, articleId: number, list: readonly StoredRelated[], computedAt: string): Promise<void> {
  await db.deleteFrom('related_articles').where('article_id', '=', articleId).execute();
  if (list.length)
    await db
      .insertInto('related_articles')
      .values(list.map((r, position) => ({ article_id: articleId, related_article_id: r.relatedId, position, score: r.score })))
      // Two readers of a page whose list is missing may compute it at once on separate connections
      // (PostgreSQL): the second one's rows meet the first one's, which hold the same list.
      .onConflict((oc) => oc.columns(['article_id', 'related_article_id']).doNothing())
      .execute();
  await db
    .insertInto('related_lists')
    .values({ article_id: articleId, computed_at: computedAt })
    .onConflict((oc) => oc.column('article_id').doUpdateSet({ computed_at: computedAt }))
    .execute();
}

/** saveList for many articles at once (a bulk load or a recompute): a few statements in all. */
export async function saveLists(db: Db, lists: readonly { articleId: number; list: readonly StoredRelated[] }[], computedAt: string): Promise<void> {
  if (!lists.length) return;
  const ids = lists.map((l) => l.articleId);
  await db.deleteFrom('related_articles').where('article_id', 'in', ids).execute();
  const rows = lists.flatMap((l) => l.list.map((r, position) => ({ article_id: l.articleId, related_article_id: r.relatedId, position, score: r.score })));
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('related_articles')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.columns(['article_id', 'related_article_id']).doNothing())
      .execute();
  await db
    .insertInto('related_lists')
    .values(ids.map((article_id) => ({ article_id, computed_at: computedAt })))
    .onConflict((oc) => oc.column('article_id').doUpdateSet({ computed_at: computedAt }))
    .execute();
}

/** Forgets an article's list; it is computed again when next needed. */
export async function dropList(db: Db, articleId: number): Promise<void> {
  await db.deleteFrom('related_articles').where('article_id', '=', articleId).execute();
  await db.deleteFrom('related_lists').where('article_id', '=', articleId).execute();
}

/** Articles whose stored list holds the given article. */
export async function listsHolding(db: Db, relatedId: number): Promise<number[]> {
  const rows = await db.selectFrom('related_articles').select('article_id').where('related_article_id', '=', relatedId).execute();
  return rows.map((r) => r.article_id);
}

/** Which of the ids have a computed list. */
export async function computedAmong(db: Db, ids: readonly number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await db.selectFrom('related_lists').select('article_id').where('article_id', 'in', ids).execute();
  return new Set(rows.map((r) => r.article_id));
}
