// Tags as the rest of the application sees them.
import type { Db } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { tagPath } from '../lib/paths.ts';
import { findTagBySlug, upsertTag, upsertTags } from './tag.repository.ts';

export interface Tag {
  id: number;
  slug: string;
  name: string;
  path: string;
}

/**
 * The id of the tag with this name's slug, made when there is none; a tag spelled differently is
 * renamed to this spelling (`renamed` then says so: every page showing it changes). Runs in the
 * caller's transaction; article writes are what make tags, and they announce the change.
 */
export async function ensureTag(db: Db, slug: string, name: string): Promise<{ id: number; renamed: boolean }> {
  const existing = await findTagBySlug(db, slug);
  return { id: await upsertTag(db, { slug, name }), renamed: Boolean(existing && existing.name !== name) };
}

/**
 * ensureTag for many tags at once (a bulk load, which announces every change itself): one statement.
 * When one slug is given twice the last spelling wins, as it would with one ensureTag after another.
 * Returns each slug's id.
 */
export async function ensureTags(db: Db, tags: readonly { slug: string; name: string }[]): Promise<Map<string, number>> {
  const wanted = new Map<string, string>();
  for (const t of tags) {
    wanted.delete(t.slug);
    wanted.set(t.slug, t.name);
  }
  return upsertTags(db, [...wanted].map(([slug, name]) => ({ slug, name })));
}

/** The tag with this slug, or a not_found error. */
export async function getTag(db: Db, slug: string): Promise<Tag> {
  const row = await findTagBySlug(db, slug);
  if (!row) throw new AppError('not_found', 'There is no tag at this address.');
  return { ...row, path: tagPath(row.slug) };
}
