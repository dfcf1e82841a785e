// Sections: the desks an article belongs to ("News", "Occupied Palestinian Territories").
import type { Db } from '../db/store.ts';
import type { SectionRow } from '../db/schema.ts';

export function findSectionBySlug(db: Db, slug: string): Promise<SectionRow | undefined> {
  return db.selectFrom('sections').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function listSections(db: Db): Promise<SectionRow[]> {
  return db.selectFrom('sections').selectAll().orderBy('position').orderBy('name').execute();
}

export async function upsertSection(db: Db, s: Omit<SectionRow, 'id'>): Promise<number> {
  const existing = await findSectionBySlug(db, s.slug);
  if (existing) {
    await db.updateTable('sections').set(s).where('id', '=', existing.id).execute();
    return existing.id;
  }
  return (await db.insertInto('sections').values(s).returning('id').executeTakeFirstOrThrow()).id;
}
