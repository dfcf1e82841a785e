// Tags: free topics that cut across sections.
import type { Db } from '../db/store.ts';
import type { TagRow } from '../db/schema.ts';

export function findTagBySlug(db: Db, slug: string): Promise<TagRow | undefined> {
  return db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Creates the tag or renames the one with this slug; one statement, so concurrent writers cannot both insert it. */
export async function upsertTag(db: Db, t: Omit<TagRow, 'id'>): Promise<number> {
  const row = await db
    .insertInto('tags')
    .values(t)
    .onConflict((oc) => oc.column('slug').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** upsertTag for many tags (distinct slugs) in one statement; returns each slug's id. */
export async function upsertTags(db: Db, tags: readonly Omit<TagRow, 'id'>[]): Promise<Map<string, number>> {
  if (!tags.length) return new Map();
  const rows = await db
    .insertInto('tags')
    .values([...tags])
    .onConflict((oc) => oc.column('slug').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
    .returning(['id', 'slug'])
    .execute();
  return new Map(rows.map((r) => [r.slug, r.id]));
}

export function findTagById(db: Db, id: number): Promise<TagRow | undefined> {
  return db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listTagRows(db: Db): Promise<TagRow[]> {
  return db.selectFrom('tags').selectAll().orderBy('name').orderBy('id').execute();
}

export async function insertTag(db: Db, t: Omit<TagRow, 'id'>): Promise<number> {
  const row = await db.insertInto('tags').values(t).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTagRow(db: Db, id: number, t: Omit<TagRow, 'id'>): Promise<void> {
  await db.updateTable('tags').set(t).where('id', '=', id).execute();
}

/** Deletes the tag; the schema removes it from its articles (article_tags cascades). */
export async function deleteTagRow(db: Db, id: number): Promise<void> {
  await db.deleteFrom('tags').where('id', '=', id).execute();
}
