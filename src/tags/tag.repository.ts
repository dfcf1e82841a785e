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
