// Authors as the rest of the application sees them.
import type { Db } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { personPath } from '../lib/paths.ts';
import { findPersonBySlug } from './person.repository.ts';

export interface Person {
  id: number;
  slug: string;
  name: string;
  bio: string;
  url: string | null;
  path: string;
}

/** The author with this slug, or a not_found error. */
export async function getPerson(db: Db, slug: string): Promise<Person> {
  const row = await findPersonBySlug(db, slug);
  if (!row) throw new AppError('not_found', 'There is no author at this address.');
  return { ...row, path: personPath(row.slug) };
}
