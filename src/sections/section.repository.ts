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

export function findSectionById(db: Db, id: number): Promise<SectionRow | undefined> {
  return db.selectFrom('sections').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts a new section; the caller checked that the slug is free. */
export async function insertSection(db: Db, s: Omit<SectionRow, 'id'>): Promise<number> {
  const row = await db.insertInto('sections').values(s).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSectionRow(db: Db, id: number, s: Pick<SectionRow, 'slug' | 'name' | 'description' | 'language'>): Promise<void> {
  await db.updateTable('sections').set(s).where('id', '=', id).execute();
}

export async function setSectionPosition(db: Db, id: number, position: number): Promise<void> {
  await db.updateTable('sections').set({ position }).where('id', '=', id).execute();
}

export async function nextSectionPosition(db: Db): Promise<number> {
  const row = await db.selectFrom('sections').select((eb) => eb.fn.max('position').as('top')).executeTakeFirst();
  return row?.top === null || row?.top === undefined ? 0 : Number(row.top) + 1;
}

/** The section an old slug of a renamed section names, if any. */
export function findSectionByOldSlug(db: Db, oldSlug: string): Promise<SectionRow | undefined> {
  return db
    .selectFrom('section_redirects')
    .innerJoin('sections', 'sections.id', 'section_redirects.section_id')
    .selectAll('sections')
    .where('section_redirects.old_slug', '=', oldSlug)
    .executeTakeFirst();
}

/** Makes oldSlug answer for the section (replacing what it answered for before). */
export async function saveSectionRedirect(db: Db, oldSlug: string, sectionId: number, at: string): Promise<void> {
  await db
    .insertInto('section_redirects')
    .values({ old_slug: oldSlug, section_id: sectionId, created_at: at })
    .onConflict((oc) => oc.column('old_slug').doUpdateSet({ section_id: sectionId, created_at: at }))
    .execute();
}

/** An address that a section now owns again stops redirecting. */
export async function deleteSectionRedirect(db: Db, oldSlug: string): Promise<void> {
  await db.deleteFrom('section_redirects').where('old_slug', '=', oldSlug).execute();
}

export async function listOldSlugs(db: Db, sectionId: number): Promise<string[]> {
  const rows = await db.selectFrom('section_redirects').select('old_slug').where('section_id', '=', sectionId).orderBy('created_at').orderBy('old_slug').execute();
  return rows.map((r) => r.old_slug);
}

export async function oldSlugExists(db: Db, slug: string): Promise<boolean> {
  return (await db.selectFrom('section_redirects').select('old_slug').where('old_slug', '=', slug).executeTakeFirst()) !== undefined;
}
