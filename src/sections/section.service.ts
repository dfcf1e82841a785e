// Sections as the rest of the application sees them.
import type { ChangeKey, Db, Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import type { Account } from '../accounts/account.service.ts';
import { recordAudit } from '../accounts/audit.service.ts';
import { ensureCan } from '../accounts/permissions.ts';
import { AppError } from '../errors.ts';
import { sectionPath } from '../lib/paths.ts';
import { isSlug, lowerAscii } from '../lib/slug.ts';
import { isPageSlug } from '../pages/page.lookups.ts';
import * as repo from './section.repository.ts';
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

/** The section with this id, or null. */
export async function findSectionById(db: Db, id: number): Promise<Section | null> {
  const row = await repo.findSectionById(db, id);
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
  const id = await defineSectionIn(store.db, input);
  store.changes.announce([key.section(id), key.sections]);
  return id;
}

/** defineSection's checks and write on `db` (an importer's transaction); the caller announces `sections`. */
export async function defineSectionIn(db: Db, input: SectionInput): Promise<number> {
  if (!isSlug(input.slug)) throw new AppError('invalid_input', `"${input.slug}" is not a valid section slug.`, { slug: 'invalid' });
  if (RESERVED_SECTION_SLUGS.has(input.slug)) throw new AppError('invalid_input', `"${input.slug}" is used by the site itself; choose another section slug.`, { slug: 'reserved' });
  if (!input.name.trim()) throw new AppError('invalid_input', 'A section needs a name.', { name: 'required' });
  return upsertSection(db, { slug: input.slug, name: input.name.trim(), description: input.description ?? '', language: input.language ?? 'en', position: input.position ?? 0 });
}

// Managing sections on screen (issue 11, part 7). A slug change keeps the old slug in
// section_redirects, so /<old>/ and /<old>/<article> answer 301 to the new addresses (decision 0022).

/** What an editor sets on a section. */
export interface SectionDraft {
  slug: string;
  name: string;
  description: string;
  language: string;
}

/** A section with what the editor's screens show besides the public fields. */
export interface ManagedSection extends Section {
  position: number;
  /** Slugs it had before, whose addresses answer 301 to its current ones. */
  oldSlugs: string[];
}

const MAX_NAME = 120;
const MAX_DESCRIPTION = 1000;

/** True for a language tag Intl accepts ("en", "fa-IR"). */
export function isLanguageTag(value: string): boolean {
  if (!/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(value)) return false;
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/** The same draft, trimmed; fields absent from a form arrive as empty strings. */
function tidyDraft(input: SectionDraft): SectionDraft {
  return { slug: lowerAscii(input.slug.trim()), name: input.name.trim(), description: input.description.trim(), language: input.language.trim() || 'en' };
}

/** Per-field problems of a draft that need no database. */
function draftProblems(d: SectionDraft): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!d.name) fields.name = 'Enter a name.';
  else if (d.name.length > MAX_NAME) fields.name = `Use at most ${MAX_NAME} characters.`;
  if (!d.slug) fields.slug = 'Enter a slug.';
  else if (!isSlug(d.slug)) fields.slug = 'Use lower-case letters and digits joined by hyphens, e.g. "world-news".';
  else if (RESERVED_SECTION_SLUGS.has(d.slug)) fields.slug = `"${d.slug}" is used by the site itself; choose another slug.`;
  if (d.description.length > MAX_DESCRIPTION) fields.description = `Use at most ${MAX_DESCRIPTION} characters.`;
  if (!isLanguageTag(d.language)) fields.language = 'Enter a language tag such as "en", "ar" or "fa".';
  return fields;
}

/** Refuses a slug another section or a static page has; run inside the write transaction. */
async function slugTaken(db: Db, slug: string, sectionId: number | null): Promise<string | null> {
  const holder = await repo.findSectionBySlug(db, slug);
  if (holder && holder.id !== sectionId) return `The section “${holder.name}” already has this slug.`;
  if (await isPageSlug(db, slug)) return 'A page already has this address; choose another slug.';
  return null;
}

function refuse(fields: Record<string, string>): never {
  throw new AppError('invalid_input', Object.values(fields).join(' '), fields);
}

/** Refuses the draft with a message for every field that is wrong, the slug's owner included. */
async function refuseProblems(db: Db, draft: SectionDraft, sectionId: number | null): Promise<void> {
  const problems = draftProblems(draft);
  if (!problems.slug) {
    const taken = await slugTaken(db, draft.slug, sectionId);
    if (taken) problems.slug = taken;
  }
  if (Object.keys(problems).length) refuse(problems);
}

const toManaged = (r: { id: number; slug: string; name: string; description: string; language: string; position: number }, oldSlugs: string[]): ManagedSection => ({
  ...toSection(r),
  position: r.position,
  oldSlugs,
});

/** The section with this id, with its old slugs, or a not_found error. */
export async function getManagedSection(db: Db, id: number): Promise<ManagedSection> {
  const row = await repo.findSectionById(db, id);
  if (!row) throw new AppError('not_found', 'There is no such section.');
  return toManaged(row, await repo.listOldSlugs(db, id));
}

/** Every section in navigation order, with positions, for the editor's list. */
export async function listManagedSections(db: Db): Promise<ManagedSection[]> {
  return (await listSections(db)).map((r) => toManaged(r, []));
}

/** Creates a section at the end of the navigation. */
export async function createSection(store: Store, actor: Account, input: SectionDraft): Promise<ManagedSection> {
  ensureCan(actor, 'section.manage');
  const draft = tidyDraft(input);
  const id = await store.writeTransaction(async (trx) => {
    await refuseProblems(trx, draft, null);
    // The address of a renamed section goes to the new section that takes its slug.
    await repo.deleteSectionRedirect(trx, draft.slug);
    const newId = await repo.insertSection(trx, { ...draft, position: await repo.nextSectionPosition(trx) });
    await recordAudit(trx, { actorId: actor.id, action: 'section.create', subject: `section:${newId}`, details: { slug: draft.slug, name: draft.name } });
    return newId;
  });
  store.changes.announce([key.section(id), key.sections, key.feeds]);
  return getManagedSection(store.db, id);
}

/**
 * Renames and describes a section. A new slug keeps the old one answering with 301 (for the section's
 * page and every article in it); the new slug stops redirecting if it was an old slug itself.
 */
export async function updateSection(store: Store, actor: Account, id: number, input: SectionDraft): Promise<ManagedSection> {
  ensureCan(actor, 'section.manage');
  const draft = tidyDraft(input);
  const moved = await store.writeTransaction(async (trx) => {
    const before = await repo.findSectionById(trx, id);
    if (!before) throw new AppError('not_found', 'There is no such section.');
    await refuseProblems(trx, draft, id);
    const slugChanged = before.slug !== draft.slug;
    if (slugChanged) {
      await repo.deleteSectionRedirect(trx, draft.slug);
      await repo.saveSectionRedirect(trx, before.slug, id, new Date().toISOString());
    }
    await repo.updateSectionRow(trx, id, draft);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'section.update',
      subject: `section:${id}`,
      details: { before: { slug: before.slug, name: before.name }, after: { slug: draft.slug, name: draft.name } },
    });
    return slugChanged;
  });
  // Every page shows the navigation; a new slug also moves every article of the section.
  const keys: ChangeKey[] = [key.section(id), key.sections, key.feeds];
  if (moved) keys.push(key.articles, key.sitemaps, key.home, key.search);
  store.changes.announce(keys);
  return getManagedSection(store.db, id);
}

/** Puts the sections in this order in the navigation; every section must be named once. */
export async function reorderSections(store: Store, actor: Account, ids: readonly number[]): Promise<void> {
  ensureCan(actor, 'section.manage');
  await store.writeTransaction(async (trx) => {
    const existing = (await listSections(trx)).map((s) => s.id);
    const given = new Set(ids);
    if (given.size !== ids.length || given.size !== existing.length || existing.some((id) => !given.has(id)))
      throw new AppError('invalid_input', 'Give every section once to reorder them.', { order: 'Give every section once.' });
    for (const [position, id] of ids.entries()) await repo.setSectionPosition(trx, id, position);
    await recordAudit(trx, { actorId: actor.id, action: 'section.reorder', subject: 'sections', details: { order: [...ids] } });
  });
  store.changes.announce([key.sections, key.home]);
}

/**
 * The section an address names when it is not the section's own spelling: the slug typed with ASCII
 * capitals, or an old slug of a renamed section (a lookup for the article and page routes' 301s).
 */
export async function findMovedSection(db: Db, slug: string): Promise<Section | null> {
  const lower = lowerAscii(slug);
  if (lower !== slug) {
    const current = await repo.findSectionBySlug(db, lower);
    if (current) return toSection(current);
  }
  const renamed = await repo.findSectionByOldSlug(db, lower);
  return renamed ? toSection(renamed) : null;
}

/** True when /<slug> belongs to a section, now or as a renamed section's old address (static pages may not take it). */
export async function isSectionAddress(db: Db, slug: string): Promise<boolean> {
  return (await repo.findSectionBySlug(db, slug)) !== undefined || (await repo.oldSlugExists(db, slug));
}
