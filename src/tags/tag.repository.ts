// Tags: free topics that cut across sections.
import type { Db } from '../db/store.ts';
import type { TagRow } from '../db/schema.ts';

export function findTagBySlug(db: Db, slug: string): Promise<TagRow | undefined> {
  return db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function upsertTag(db: Db, t: Omit<TagRow, 'id'>): Promise<number> {
  const existing = await findTagBySlug(db, t.slug);
  if (existing) {
    if (existing.name !== t.name) await db.updateTable('tags').set({ name: t.name }).where('id', '=', existing.id).execute();
    return existing.id;
  }
  return (await db.insertInto('tags').values(t).returning('id').executeTakeFirstOrThrow()).id;
}

/** Tag names of each article, keyed by article id, in name order. */
export async function tagNamesOf(db: Db, articleIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!articleIds.length) return out;
  const rows = await db
    .selectFrom('article_tags as at')
    .innerJoin('tags as t', 't.id', 'at.tag_id')
    .where('at.article_id', 'in', articleIds)
    .select(['at.article_id', 't.name'])
    .orderBy('t.name')
    .execute();
  for (const r of rows) out.set(r.article_id, [...(out.get(r.article_id) ?? []), r.name]);
  return out;
}
