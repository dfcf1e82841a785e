// Static pages as the rest of the application sees them. The Markdown body is rendered when the page is
// written, as articles' are (article.body.ts), so serving a page parses nothing.
import type { Account } from '../accounts/account.service.ts';
import { recordAudit } from '../accounts/audit.service.ts';
import { ensureCan } from '../accounts/permissions.ts';
import { deriveBody } from '../articles/article.body.ts';
import { key } from '../db/change-keys.ts';
import type { ArticleStatus, PageRow } from '../db/schema.ts';
import type { ChangeKey, Db, Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { isSlug, lowerAscii } from '../lib/slug.ts';
import { RESERVED_SECTION_SLUGS, isLanguageTag, isSectionAddress } from '../sections/section.service.ts';
import * as repo from './page.repository.ts';

export type PageStatus = ArticleStatus;

/** A static page: what readers see, and the Markdown an editor changes. */
export interface StaticPage {
  id: number;
  slug: string;
  title: string;
  /** Markdown source. */
  body: string;
  /** HTML rendered from the body when the page was written (markdown-it, raw HTML disabled). */
  bodyHtml: string;
  language: string;
  status: PageStatus;
  createdAt: string;
  updatedAt: string;
  path: string;
  /** What a response showing the page depends on. */
  keys: ChangeKey[];
}

/** What an editor sets on a page. */
export interface PageDraft {
  slug: string;
  title: string;
  body: string;
  language: string;
  status: PageStatus;
}

const MAX_TITLE = 200;
const MAX_BODY = 200_000;

/** The public address of the static page with this slug. */
export const staticPagePath = (slug: string) => `/${encodeURIComponent(slug)}`;

const toPage = (r: PageRow): StaticPage => ({
  id: r.id,
  slug: r.slug,
  title: r.title,
  body: r.body,
  bodyHtml: r.body_html,
  language: r.language,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  path: staticPagePath(r.slug),
  keys: [key.page(r.id)],
});

/** The published page at /<slug>, or null. */
export async function findPublishedPage(db: Db, slug: string): Promise<StaticPage | null> {
  const row = await repo.findPublishedPageBySlug(db, slug);
  return row ? toPage(row) : null;
}

/** The page with this id (any status), or a not_found error. */
export async function getPage(db: Db, id: number): Promise<StaticPage> {
  const row = await repo.findPageById(db, id);
  if (!row) throw new AppError('not_found', 'There is no such page.');
  return toPage(row);
}

/** The published pages, by title (for the sitemap). */
export async function listPublishedPages(db: Db): Promise<StaticPage[]> {
  return (await repo.listPageRows(db)).filter((p) => p.status === 'published').map(toPage);
}

/** Every page, drafts too, by title. */
export async function listPages(db: Db): Promise<StaticPage[]> {
  return (await repo.listPageRows(db)).map(toPage);
}

function tidyDraft(d: PageDraft): PageDraft {
  return { slug: lowerAscii(d.slug.trim()), title: d.title.trim(), body: d.body.replace(/\r\n?/g, '\n'), language: d.language.trim() || 'en', status: d.status };
}

function draftProblems(d: PageDraft): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!d.title) fields.title = 'Enter a title.';
  else if (d.title.length > MAX_TITLE) fields.title = `Use at most ${MAX_TITLE} characters.`;
  if (!d.slug) fields.slug = 'Enter a slug.';
  else if (!isSlug(d.slug)) fields.slug = 'Use lower-case letters and digits joined by hyphens, e.g. "corrections-policy".';
  else if (RESERVED_SECTION_SLUGS.has(d.slug)) fields.slug = `"${d.slug}" is used by the site itself; choose another slug.`;
  if (d.body.length > MAX_BODY) fields.body = `Use at most ${MAX_BODY} characters.`;
  if (!isLanguageTag(d.language)) fields.language = 'Enter a language tag such as "en", "ar" or "fa".';
  if (d.status !== 'draft' && d.status !== 'published') fields.status = 'Choose draft or published.';
  return fields;
}

function refuse(fields: Record<string, string>): never {
  throw new AppError('invalid_input', Object.values(fields).join(' '), fields);
}

/** Refuses a slug held by another page or by a section (now or as a renamed section's old address). */
async function slugProblem(db: Db, slug: string, pageId: number | null): Promise<string | null> {
  const holder = await repo.findPageBySlug(db, slug);
  if (holder && holder.id !== pageId) return `The page “${holder.title}” already has this slug.`;
  if (await isSectionAddress(db, slug)) return 'A section has this address; choose another slug.';
  return null;
}

/** Refuses the draft with a message for every field that is wrong, the slug's address included. */
async function refuseProblems(db: Db, draft: PageDraft, pageId: number | null): Promise<void> {
  const problems = draftProblems(draft);
  if (!problems.slug) {
    const taken = await slugProblem(db, draft.slug, pageId);
    if (taken) problems.slug = taken;
  }
  if (Object.keys(problems).length) refuse(problems);
}

function rowFor(d: PageDraft, at: string): Omit<PageRow, 'id' | 'created_at'> {
  return { slug: d.slug, title: d.title, body: d.body, body_html: deriveBody(d.body, d.language).html, language: d.language, status: d.status, updated_at: at };
}

/** Creates a page (a draft or published at once). */
export async function createPage(store: Store, actor: Account, input: PageDraft): Promise<StaticPage> {
  ensureCan(actor, 'page.manage');
  const draft = tidyDraft(input);
  const id = await store.writeTransaction(async (trx) => {
    await refuseProblems(trx, draft, null);
    const at = new Date().toISOString();
    const newId = await repo.insertPage(trx, { ...rowFor(draft, at), created_at: at });
    await recordAudit(trx, { actorId: actor.id, action: 'page.create', subject: `page:${newId}`, details: { slug: draft.slug, status: draft.status } });
    return newId;
  });
  store.changes.announce([key.page(id), key.pages, key.sitemaps]);
  return getPage(store.db, id);
}

/** Changes a page: its text, address, language or status; shown on the next request. */
export async function updatePage(store: Store, actor: Account, id: number, input: PageDraft): Promise<StaticPage> {
  ensureCan(actor, 'page.manage');
  const draft = tidyDraft(input);
  await store.writeTransaction(async (trx) => {
    const before = await repo.findPageById(trx, id);
    if (!before) throw new AppError('not_found', 'There is no such page.');
    await refuseProblems(trx, draft, id);
    await repo.updatePageRow(trx, id, rowFor(draft, new Date().toISOString()));
    const action = before.status === draft.status ? 'page.update' : draft.status === 'published' ? 'page.publish' : 'page.unpublish';
    await recordAudit(trx, { actorId: actor.id, action, subject: `page:${id}`, details: { slug: draft.slug } });
  });
  // The old address may now be free, the new one taken: `pages` drops cached 404s and pages at either.
  store.changes.announce([key.page(id), key.pages, key.sitemaps]);
  return getPage(store.db, id);
}

/** Publishes or withdraws a page, leaving the rest as it is. */
export async function setPageStatus(store: Store, actor: Account, id: number, status: PageStatus): Promise<StaticPage> {
  const page = await getPage(store.db, id);
  return updatePage(store, actor, id, { slug: page.slug, title: page.title, body: page.body, language: page.language, status });
}

/** Deletes a page: its address answers 404 from the next request. */
export async function deletePage(store: Store, actor: Account, id: number): Promise<void> {
  ensureCan(actor, 'page.manage');
  await store.writeTransaction(async (trx) => {
    const before = await repo.findPageById(trx, id);
    if (!before) throw new AppError('not_found', 'There is no such page.');
    await repo.deletePageRow(trx, id);
    await recordAudit(trx, { actorId: actor.id, action: 'page.delete', subject: `page:${id}`, details: { slug: before.slug } });
  });
  store.changes.announce([key.page(id), key.pages, key.sitemaps]);
}

/**
 * Creates or replaces the page with this slug without an acting account: for the demo loader and
 * other bootstrap code that runs before anyone can sign in. The same checks as createPage apply.
 */
export async function definePage(store: Store, input: PageDraft): Promise<number> {
  const draft = tidyDraft(input);
  const problems = draftProblems(draft);
  if (Object.keys(problems).length) refuse(problems);
  const id = await store.writeTransaction((trx) => writePageDraft(trx, draft));
  store.changes.announce([key.page(id), key.pages, key.sitemaps]);
  return id;
}

async function writePageDraft(trx: Db, draft: PageDraft): Promise<number> {
  if (await isSectionAddress(trx, draft.slug)) refuse({ slug: 'A section has this address; choose another slug.' });
  const at = new Date().toISOString();
  const existing = await repo.findPageBySlug(trx, draft.slug);
  if (existing) {
    await repo.updatePageRow(trx, existing.id, rowFor(draft, at));
    return existing.id;
  }
  return repo.insertPage(trx, { ...rowFor(draft, at), created_at: at });
}

/** definePage's checks and write inside an importer's transaction; the caller announces `pages`. */
export async function definePageIn(trx: Db, input: PageDraft): Promise<number> {
  const draft = tidyDraft(input);
  const problems = draftProblems(draft);
  if (Object.keys(problems).length) refuse(problems);
  return writePageDraft(trx, draft);
}
