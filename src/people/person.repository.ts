// People who write for the publication (bylines and author pages).
import type { Db } from '../db/store.ts';
import type { PersonRow } from '../db/schema.ts';

export function findPersonBySlug(db: Db, slug: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Creates the person or updates the one with this slug, in one statement (safe under concurrent writers). */
export async function upsertPerson(db: Db, p: Omit<PersonRow, 'id'>): Promise<number> {
  const row = await db
    .insertInto('people')
    .values(p)
    .onConflict((oc) => oc.column('slug').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), bio: eb.ref('excluded.bio'), url: eb.ref('excluded.url') })))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findPeopleBySlug(db: Db, slugs: readonly string[]): Promise<PersonRow[]> {
  return slugs.length ? db.selectFrom('people').selectAll().where('slug', 'in', slugs).execute() : Promise.resolve([]);
}
