// Static pages: About, Contact, Privacy, Corrections policy… at /<slug>.
import type { Db } from '../db/store.ts';
import type { PageRow } from '../db/schema.ts';

export function findPageBySlug(db: Db, slug: string): Promise<PageRow | undefined> {
  return db.selectFrom('pages').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function findPublishedPageBySlug(db: Db, slug: string): Promise<PageRow | undefined> {
  return db.selectFrom('pages').selectAll().where('slug', '=', slug).where('status', '=', 'published').executeTakeFirst();
}

export function findPageById(db: Db, id: number): Promise<PageRow | undefined> {
  return db.selectFrom('pages').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listPageRows(db: Db): Promise<PageRow[]> {
  return db.selectFrom('pages').selectAll().orderBy('title').orderBy('id').execute();
}

export async function insertPage(db: Db, p: Omit<PageRow, 'id'>): Promise<number> {
  const row = await db.insertInto('pages').values(p).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePageRow(db: Db, id: number, p: Omit<PageRow, 'id' | 'created_at'>): Promise<void> {
  await db.updateTable('pages').set(p).where('id', '=', id).execute();
}

export async function deletePageRow(db: Db, id: number): Promise<void> {
  await db.deleteFrom('pages').where('id', '=', id).execute();
}
