// People who write for the publication (bylines and author pages).
import type { Db } from '../db/store.ts';
import type { PersonRow } from '../db/schema.ts';

export function findPersonBySlug(db: Db, slug: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** What a byline needs: the profile's other fields keep their values (or defaults) on an upsert. */
export type PersonBasics = Pick<PersonRow, 'slug' | 'name' | 'bio' | 'url'>;

/** Creates the person or updates the one with this slug, in one statement (safe under concurrent writers). */
export async function upsertPerson(db: Db, p: PersonBasics): Promise<number> {
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

export function findPersonById(db: Db, id: number): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listPersonRows(db: Db): Promise<PersonRow[]> {
  return db.selectFrom('people').selectAll().orderBy('name').orderBy('id').execute();
}

export async function insertPerson(db: Db, p: Omit<PersonRow, 'id'>): Promise<number> {
  const row = await db.insertInto('people').values(p).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePersonRow(db: Db, id: number, p: Omit<PersonRow, 'id'>): Promise<void> {
  await db.updateTable('people').set(p).where('id', '=', id).execute();
}
