// People who write for the publication (bylines and author pages).
import type { Db } from '../db/store.ts';
import type { PersonRow } from '../db/schema.ts';

export function findPersonBySlug(db: Db, slug: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function upsertPerson(db: Db, p: Omit<PersonRow, 'id'>): Promise<number> {
  const existing = await findPersonBySlug(db, p.slug);
  if (existing) {
    await db.updateTable('people').set(p).where('id', '=', existing.id).execute();
    return existing.id;
  }
  return (await db.insertInto('people').values(p).returning('id').executeTakeFirstOrThrow()).id;
}
