// Authors as the rest of the application sees them.
import type { Db, Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import type { PersonRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { personPath } from '../lib/paths.ts';
import { findPeopleBySlug, findPersonBySlug, upsertPerson } from './person.repository.ts';

export interface Person {
  id: number;
  slug: string;
  name: string;
  bio: string;
  url: string | null;
  path: string;
}

/** The author with this slug, if any. */
export async function findPerson(db: Db, slug: string): Promise<Person | null> {
  const row = await findPersonBySlug(db, slug);
  return row ? { ...row, path: personPath(row.slug) } : null;
}

/** The authors with these slugs, by slug (unknown slugs are absent). */
export async function findPeople(db: Db, slugs: readonly string[]): Promise<Map<string, Person>> {
  return new Map((await findPeopleBySlug(db, [...new Set(slugs)])).map((r) => [r.slug, { ...r, path: personPath(r.slug) }]));
}

/** The author with this slug, or a not_found error. */
export async function getPerson(db: Db, slug: string): Promise<Person> {
  const row = await findPersonBySlug(db, slug);
  if (!row) throw new AppError('not_found', 'There is no author at this address.');
  return { ...row, path: personPath(row.slug) };
}

/**
 * Creates the person or updates the one with this slug. Bylines show people's names on pages that are
 * not about them, so this announces `people` besides the author's own key.
 */
export async function definePerson(store: Store, person: Omit<PersonRow, 'id'>): Promise<number> {
  const id = await upsertPerson(store.db, person);
  store.changes.announce([key.author(id), key.people]);
  return id;
}
