// Sections as the rest of the application sees them.
import type { Db } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { sectionPath } from '../lib/paths.ts';
import { findSectionBySlug, listSections } from './section.repository.ts';

export interface Section {
  id: number;
  slug: string;
  name: string;
  description: string;
  language: string;
  path: string;
}

/** Paths the router uses for other things; a section cannot take them. */
export const RESERVED_SECTION_SLUGS = new Set(['tag', 'author', 'assets', 'search', 'feed', 'feeds', 'comments', 'documents', 'api', 'admin', 'sitemap', 'robots.txt', 'favicon.ico']);

const toSection = (r: { id: number; slug: string; name: string; description: string; language: string }): Section => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  language: r.language,
  path: sectionPath(r.slug),
});

/** Every section in navigation order. */
export async function allSections(db: Db): Promise<Section[]> {
  return (await listSections(db)).map(toSection);
}

/** The section with this slug, or a not_found error. */
export async function getSection(db: Db, slug: string): Promise<Section> {
  const row = await findSectionBySlug(db, slug);
  if (!row) throw new AppError('not_found', 'There is no section at this address.');
  return toSection(row);
}
