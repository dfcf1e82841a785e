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

/**
 * upsertTag for many tags (distinct slugs); returns each slug's id. A tag already spelled as given is
 * only read: rewriting it unchanged, as an upsert of every tag would, leaves a new row version for each
 * article batch of a bulk load, and on PostgreSQL, inside one long transaction, none of those versions
 * can be pruned, so every later read of the tag (the foreign key check of each article_tags row among
 * them) walked a chain that grew with the import (a 30,000-post import spent most of its database time
 * there). New tags are inserted in one statement, which renames instead when a concurrent writer made
 * the slug meanwhile; renamed ones are updated.
 */
export async function upsertTags(db: Db, tags: readonly Omit<TagRow, 'id'>[]): Promise<Map<string, number>> {
  if (!tags.length) return new Map();
  const existing = new Map((await db.selectFrom('tags').selectAll().where('slug', 'in', tags.map((t) => t.slug)).execute()).map((r) => [r.slug, r]));
  const ids = new Map<string, number>();
  const added: Omit<TagRow, 'id'>[] = [];
  for (const t of tags) {
    const row = existing.get(t.slug);
    if (!row) added.push(t);
    else {
      if (row.name !== t.name) await updateTagRow(db, row.id, t);
      ids.set(t.slug, row.id);
    }
  }
  if (added.length) {
    const rows = await db
      .insertInto('tags')
      .values(added)
      .onConflict((oc) => oc.column('slug').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
      .returning(['id', 'slug'])
      .execute();
    for (const r of rows) ids.set(r.slug, r.id);
  }
  return ids;
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
