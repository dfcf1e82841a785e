// What feeds need beyond article cards: the Markdown body, the creation time (part of each entry's
// permanent id) and tag names.
import type { Db } from '../db/store.ts';

export interface FeedFilter {
  sectionId?: number;
  tagId?: number;
  personId?: number;
}

/**
 * The newest published articles of a feed, newest first. Ordered by publication time alone so that
 * the (status, published_at) index is walked from its end and stops after `limit` rows.
 */
export async function latestIds(db: Db, filter: FeedFilter, limit: number): Promise<number[]> {
  let q = db.selectFrom('articles as a').select('a.id').where('a.status', '=', 'published');
  if (filter.sectionId !== undefined) q = q.where('a.section_id', '=', filter.sectionId);
  if (filter.tagId !== undefined) {
    const tagId = filter.tagId;
    q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId));
  }
  if (filter.personId !== undefined) {
    const personId = filter.personId;
    q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('person_id', '=', personId));
  }
  const rows = await q.orderBy('a.published_at', 'desc').limit(limit).execute();
  return rows.map((r) => r.id);
}

export interface FeedExtraRow {
  id: number;
  body: string;
  created_at: string;
}

export function feedExtras(db: Db, ids: readonly number[]): Promise<FeedExtraRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('articles').select(['id', 'body', 'created_at']).where('id', 'in', ids).execute();
}

export async function tagNamesOf(db: Db, ids: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('article_tags as at')
    .innerJoin('tags as t', 't.id', 'at.tag_id')
    .where('at.article_id', 'in', ids)
    .select(['at.article_id', 't.name'])
    .orderBy('t.name')
    .execute();
  for (const r of rows) out.set(r.article_id, [...(out.get(r.article_id) ?? []), r.name]);
  return out;
}
