// Sections as the rest of the application sees them.
import type { Db, Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import { AppError } from '../errors.ts';
import { sectionPath } from '../lib/paths.ts';
import { isSlug } from '../lib/slug.ts';
import { findSectionBySlug, findSectionsBySlug, listSections, upsertSection } from './section.repository.ts';

export interface Section {
  id: number;
  slug: string;
  name: string;
  description: string;
  language: string;
  path: string;
}

/** Paths the router uses for other things; a section cannot take them (names with a dot are not slugs anyway). */
export const RESERVED_SECTION_SLUGS = new Set(['tag', 'author', 'assets', 'search', 'feed', 'feeds', 'comments', 'documents', 'api', 'admin', 'sitemap', 'sitemaps']);

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

/** The section with this slug, or null. */
export async function findSection(db: Db, slug: string): Promise<Section | null> {
  const row = await findSectionBySlug(db, slug);
  return row ? toSection(row) : null;
}

/** The sections with these slugs, by slug (unknown slugs are absent). */
export async function findSections(db: Db, slugs: readonly string[]): Promise<Map<string, Section>> {
  return new Map((await findSectionsBySlug(db, [...new Set(slugs)])).map((r) => [r.slug, toSection(r)]));
}

/** The section with this slug, or a not_found error. */
export async function getSection(db: Db, slug: string): Promise<Section> {
  const section = await findSection(db, slug);
  if (!section) throw new AppError('not_found', 'There is no section at this address.');
  return section;
}

export interface SectionInput {
  slug: string;
  name: string;
  description?: string;
  language?: string;
  position?: number;
}

/**
 * Creates the section or updates the one with this slug; refuses slugs the router needs for itself.
 * Every page's navigation shows the sections, so this announces `sections` besides the section's own key.
 */
export async function defineSection(store: Store, input: SectionInput): Promise<number> {
  if (!isSlug(input.slug)) throw new AppError('invalid_input', `"${input.slug}" is not a valid section slug.`, { slug: 'invalid' });
  if (RESERVED_SECTION_SLUGS.has(input.slug)) throw new AppError('invalid_input', `"${input.slug}" is used by the site itself; choose another section slug.`, { slug: 'reserved' });
  if (!input.name.trim()) throw new AppError('invalid_input', 'A section needs a name.', { name: 'required' });
  const id = await upsertSection(store.db, { slug: input.slug, name: input.name.trim(), description: input.description ?? '', language: input.language ?? 'en', position: input.position ?? 0 });
  store.changes.announce([key.section(id), key.sections]);
  return id;
}
