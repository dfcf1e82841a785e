// Sections: the desks an article belongs to ("News", "Occupied Palestinian Territories").
import type { Db } from '../db/store.ts';
import type { SectionRow } from '../db/schema.ts';

export function findSectionBySlug(db: Db, slug: string): Promise<SectionRow | undefined> {
  return db.selectFrom('sections').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function listSections(db: Db): Promise<SectionRow[]> {
  return db.selectFrom('sections').selectAll().orderBy('position').orderBy('name').execute();
}

/** Creates the section or updates the one with this slug, in one statement (safe under concurrent writers). */
export async function upsertSection(db: Db, s: Omit<SectionRow, 'id'>): Promise<number> {
  const row = await db
    .insertInto('sections')
    .values(s)
    .onConflict((oc) =>
      oc.column('slug').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        description: eb.ref('excluded.description'),
        language: eb.ref('excluded.language'),
        position: eb.ref('excluded.position'),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findSectionsBySlug(db: Db, slugs: readonly string[]): Promise<SectionRow[]> {
  return slugs.length ? db.selectFrom('sections').selectAll().where('slug', 'in', slugs).execute() : Promise.resolve([]);
}
