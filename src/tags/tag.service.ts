// Tags as the rest of the application sees them.
import type { Db } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { tagPath } from '../lib/paths.ts';
import { findTagBySlug } from './tag.repository.ts';

export interface Tag {
  id: number;
  slug: string;
  name: string;
  path: string;
}

/** The tag with this slug, or a not_found error. */
export async function getTag(db: Db, slug: string): Promise<Tag> {
  const row = await findTagBySlug(db, slug);
  if (!row) throw new AppError('not_found', 'There is no tag at this address.');
  return { ...row, path: tagPath(row.slug) };
}
