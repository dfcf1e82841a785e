// The media_images table (migration 016). Only src/media/ reads or writes it.
import { sql } from 'kysely';
import type { Db } from '../db/store.ts';
import type { MediaImageTable } from '../db/schema.ts';
import type { Insertable, Selectable, Updateable } from 'kysely';

export type ImageRow = Selectable<MediaImageTable>;
export type NewImageRow = Insertable<MediaImageTable>;
export type ImageUpdate = Updateable<MediaImageTable>;

export async function insertImage(db: Db, row: NewImageRow): Promise<number> {
  const r = await db.insertInto('media_images').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export function imageById(db: Db, id: number): Promise<ImageRow | undefined> {
  return db.selectFrom('media_images').selectAll().where('id', '=', id).executeTakeFirst();
}

export function imagesByIds(db: Db, ids: readonly number[]): Promise<ImageRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('media_images').selectAll().where('id', 'in', [...ids]).execute();
}

export async function updateImage(db: Db, id: number, changes: ImageUpdate): Promise<void> {
  await db.updateTable('media_images').set(changes).where('id', '=', id).execute();
}

export async function deleteImage(db: Db, id: number): Promise<void> {
  await db.deleteFrom('media_images').where('id', '=', id).execute();
}

/** Newest first, matching the text in name, alt text or caption (case-insensitive), a page at a time. */
export function findImages(db: Db, contains: string, limit: number, offset: number): Promise<ImageRow[]> {
  let q = db.selectFrom('media_images').selectAll();
  if (contains) {
    const like = `%${contains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(file_name)`, 'like', sql`${like} escape '\\'`),
        eb(sql`lower(alt)`, 'like', sql`${like} escape '\\'`),
        eb(sql`lower(caption)`, 'like', sql`${like} escape '\\'`),
        eb(sql`lower(credit)`, 'like', sql`${like} escape '\\'`),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

/** Every image, oldest first, a batch after the given id at a time (regenerate, verify). */
export function imagesAfter(db: Db, afterId: number, limit: number): Promise<ImageRow[]> {
  return db.selectFrom('media_images').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

export async function countImages(db: Db): Promise<number> {
  const r = await db.selectFrom('media_images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The rendition plans of the other library items holding the same bytes (so sharing their folder). */
export async function twinRenditions(db: Db, sha256: string, exceptId: number): Promise<string[]> {
  const rows = await db.selectFrom('media_images').select('renditions').where('sha256', '=', sha256).where('id', '!=', exceptId).execute();
  return rows.map((r) => r.renditions);
}
