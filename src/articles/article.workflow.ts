// The newsroom's workflow over articles (issue 11, decision 0020): drafts written by accounts, saved
// against the version they were based on (a stale save is refused with both versions), autosaved into
// one revision per editing stretch, locked while one person edits, moved through review, ready,
// scheduled, published and unpublished, with notes, revisions, a field-level diff and restore.
// Every function takes the acting Account and checks what its role may do, whoever calls it (the
// admin routes, the coming API, the CLI): hiding a button is never the only guard. No Fastify here.
import { z } from 'zod';
import type { Account } from '../accounts/account.service.ts';
import { can, ensureCan } from '../accounts/permissions.ts';
import { recordAudit } from '../accounts/audit.service.ts';
import { key } from '../db/change-keys.ts';
import type { ArticleStatus } from '../db/schema.ts';
import type { ChangeKey, Db, Store } from '../db/store.ts';
import { documentTitles } from '../documents/document.service.ts';
import { AppError } from '../errors.ts';
import { imagesWithoutAlt } from '../lib/body-html.ts';
import { diffLines, type DiffLine } from '../lib/diff.ts';
import { articlePath } from '../lib/paths.ts';
import { isSlug, slugify } from '../lib/slug.ts';
import { relatedAfterChange } from '../related/related.service.ts';
import { recordArticleChange } from '../webhooks/webhook.events.ts';
import { indexArticle } from '../search/indexing.ts';
import { findSection } from '../sections/section.service.ts';
import { BODY_FORMATS, deriveBody } from './article.body.ts';
import { articleWriteKeys, authorIds, ensureDocument, pinnedArticleIds, parseInput, previewArticle, saveTags, sourceInput, type Article } from './article.service.ts';
import { bodyImagesToRecord, checkLeadImage, cropBoxSchema, parseCrop, recordBodyImages } from './article.images.ts';
import * as articles from './article.repository.ts';
import { seoDescriptionField, seoTitleField } from './article.seo.ts';
import * as repo from './workflow.repository.ts';

export const STATUSES = ['draft', 'review', 'ready', 'scheduled', 'published', 'unpublished'] as const satisfies readonly ArticleStatus[];

/** A lock not refreshed for this long (autosaves refresh it every few seconds) no longer holds. */
export const LOCK_TTL_MS = 2 * 60_000;
/** Autosaves by one account less than this apart share one revision. */
export const AUTOSAVE_STRETCH_MS = 30 * 60_000;

const language = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as en, ar or fa');
const address = z.string().regex(/^[^/]+\/[^/]+$/, 'expected section/slug');

/** Every field an editor writes, as a revision keeps it. */
const draftFields = z.object({
  section: z.string().refine(isSlug, 'choose a section'),
  /** Empty: made from the headline. */
  slug: z
    .string()
    .trim()
    .refine((s) => s === '' || isSlug(s), 'use lower-case letters and digits joined by hyphens')
    .default(''),
  language: language.default('en'),
  headline: z.string().trim().min(1, 'a headline is required').max(300, 'use at most 300 characters'),
  subtitle: z.string().trim().max(500, 'use at most 500 characters').default(''),
  summary: z.string().trim().max(1000, 'use at most 1,000 characters').default(''),
  body: z.string().max(500_000, 'use at most 500,000 characters').default(''),
  /** Markdown, or HTML from the body editor (cleaned on the server before it is stored; decision 0021). */
  bodyFormat: z.enum(BODY_FORMATS, 'expected markdown or html').default('markdown'),
  imageUrl: z.url({ protocol: /^https?$/, error: 'expected an http or https URL' }).max(2000).nullable().default(null),
  imageAlt: z.string().max(500).default(''),
  /** The lead image from the media library, and this article's crop of it (thousandths), if any. */
  leadImageId: z.number().int().positive('choose a picture from the library').nullable().default(null),
  leadImageCrop: cropBoxSchema.nullable().default(null),
  authors: z.array(z.string().refine(isSlug, 'unknown author')).max(20).default([]),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  // The newsroom cites stored documents by id (uploads); it never describes a file path itself.
  sources: z.array(sourceInput.omit({ document: true })).max(100).default([]),
  pins: z.array(address).max(10).default([]),
  commentsOpen: z.boolean().default(true),
  /** The search and social title and description (decision 0033); empty: the headline and subtitle or excerpt. */
  seoTitle: seoTitleField.default(''),
  seoDescription: seoDescriptionField.default(''),
});
/** What a save sends: every field, and an image only with its description (alt text). */
export const draftInput = draftFields
  .refine((d) => d.imageUrl === null || d.imageAlt.trim() !== '', {
    path: ['imageAlt'],
    message: 'describe what the image shows, for readers who cannot see it',
  })
  .refine((d) => d.bodyFormat !== 'html' || imagesWithoutAlt(d.body) === 0, {
    path: ['body'],
    message: 'every image in the body needs alternative text, or to be marked decorative',
  });

export type DraftInput = z.input<typeof draftInput>;
export type ArticleDraft = z.output<typeof draftInput>;

/** Who holds an article's edit lock, and since when. */
export interface EditLock {
  userId: number;
  since: string;
}

/** An article as its editors see it: every field, and where it is in the workflow. */
export interface EditableArticle {
  id: number;
  status: ArticleStatus;
  version: number;
  ownerId: number | null;
  /** Its public address (where it is, or will be, published). */
  path: string;
  sectionName: string;
  scheduledAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The body as readers' pages show it (for the body editor to open a Markdown body). */
  bodyHtml: string;
  /** A lock that still holds (not older than LOCK_TTL_MS), or null. */
  lock: EditLock | null;
  /** Pinned to the home page by an editor: a placement, not a field of the text (no revision keeps it). */
  homePinned: boolean;
  draft: ArticleDraft;
}

/** A save based on a version that is no longer the article's: both versions, for the editor to compare. */
export class StaleSave extends AppError {
  constructor(
    readonly current: EditableArticle,
    readonly attempted: { version: number; draft: DraftInput },
  ) {
    super('conflict', `This article was saved by someone else since you opened it (version ${current.version}; yours was based on version ${attempted.version}). Nothing was saved.`);
  }
}

/** A save or lock refused because another account holds the article's lock. */
export class ArticleLocked extends AppError {
  constructor(readonly lock: EditLock) {
    super('conflict', 'Someone else is editing this article. Take over the lock to edit it.');
  }
}

// ---- reading ----

function lockOf(row: repo.EditableRow, now: Date): EditLock | null {
  if (row.locked_by === null || row.locked_at === null) return null;
  if (Date.parse(row.locked_at) + LOCK_TTL_MS <= now.getTime()) return null;
  return { userId: row.locked_by, since: row.locked_at };
}

/** Every field of a stored article, as a draft. */
async function readDraft(db: Db, row: repo.EditableRow): Promise<ArticleDraft> {
  const [authors, tags, sources, pins] = await Promise.all([repo.authorSlugs(db, row.id), repo.tagNames(db, row.id), repo.sourcesWithDocuments(db, row.id), repo.pinAddresses(db, row.id)]);
  return {
    section: row.section_slug,
    slug: row.slug,
    language: row.language,
    headline: row.headline,
    subtitle: row.subtitle,
    summary: row.summary,
    body: row.body,
    bodyFormat: row.body_format,
    imageUrl: row.image_url,
    imageAlt: row.image_alt,
    leadImageId: row.lead_image_id,
    leadImageCrop: row.lead_image_id === null ? null : parseCrop(row.lead_image_crop),
    authors,
    tags,
    sources: sources.map((s) => ({
      name: s.name,
      description: s.description,
      url: s.url,
      kind: s.kind,
      role: s.role,
      relays: s.relays,
      documentId: s.document_id,
    })),
    pins,
    commentsOpen: row.comments_open === 1,
    seoTitle: row.seo_title,
    seoDescription: row.seo_description,
  };
}

async function toEditable(db: Db, row: repo.EditableRow, now: Date): Promise<EditableArticle> {
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    ownerId: row.owner_user_id,
    path: articlePath(row.section_slug, row.slug),
    sectionName: row.section_name,
    scheduledAt: row.scheduled_at,
    publishedAt: row.published_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    bodyHtml: row.body_html,
    lock: lockOf(row, now),
    homePinned: row.home_pinned === 1,
    draft: await readDraft(db, row),
  };
}

async function rowOrNotFound(db: Db, id: number): Promise<repo.EditableRow> {
  const row = Number.isSafeInteger(id) ? await repo.findEditable(db, id) : undefined;
  if (!row) throw new AppError('not_found', `There is no article with id ${id}.`);
  return row;
}

const owned = (row: { owner_user_id: number | null }) => ({ ownerId: row.owner_user_id });

/** The article with every field, for an account that may edit it. */
export async function getEditable(store: Store, actor: Account, id: number, now = new Date()): Promise<EditableArticle> {
  const row = await rowOrNotFound(store.db, id);
  ensureCan(actor, 'article.edit', owned(row));
  return toEditable(store.db, row, now);
}

/** What the actor may do with an article, for the screens (the services check again). */
export function allowedActions(actor: Account, article: Pick<EditableArticle, 'ownerId' | 'status'>) {
  const mine = { ownerId: article.ownerId };
  const edit = can(actor, 'article.edit', mine);
  const publish = can(actor, 'article.publish', mine);
  const s = article.status;
  return {
    edit: edit && (publish || !['scheduled', 'published'].includes(s)),
    submit: edit && ['draft', 'unpublished'].includes(s),
    ready: publish && ['draft', 'review'].includes(s),
    schedule: publish && s !== 'published',
    publish: publish && s !== 'published',
    unpublish: publish && ['published', 'scheduled'].includes(s),
    pin: can(actor, 'article.pin'),
  };
}

// ---- writing ----

/** Checks that a draft's section, authors and pins exist; returns their ids and the slug it gets. */
async function resolveDraft(trx: Db, d: ArticleDraft, selfId: number | null) {
  const section = await findSection(trx, d.section);
  if (!section) throw new AppError('invalid_input', `There is no section "${d.section}".`, { section: 'choose an existing section' });
  const slug = d.slug || slugify(d.headline);
  if (!isSlug(slug)) throw new AppError('invalid_input', 'Cannot make an address from this headline; give a slug.', { slug: 'give a slug' });
  const taken = await articles.findBySlugInSection(trx, section.id, slug);
  if (taken && taken.id !== selfId) throw new AppError('invalid_input', `Another article already has the address /${section.slug}/${slug}.`, { slug: 'already used by another article in this section' });
  const personIds = await authorIds(trx, d.authors);
  const pinIds = await pinnedArticleIds(trx, d.pins, selfId);
  await checkLeadImage(trx, d.leadImageId);
  d.sources.forEach((s, i) => {
    if (s.relays !== null && (s.relays === i || s.relays >= d.sources.length))
      throw new AppError('invalid_input', `Source ${i + 1} relays a source that is not in the list.`, { [`sources.${i}.relays`]: 'choose another source of this article' });
  });
  return { section, slug, personIds, pinIds };
}

/** The sources as stored; each cited document must exist. */
async function storedSources(trx: Db, _id: number, d: ArticleDraft, _stamp: string): Promise<articles.NewSource[]> {
  const out: articles.NewSource[] = [];
  for (const [i, s] of d.sources.entries()) {
    const documentId = s.documentId === null ? null : await ensureDocument(trx, s.documentId, i);
    out.push({ name: s.name, description: s.description, url: s.url, kind: s.kind, role: s.role, documentId, relays: s.relays });
  }
  return out;
}

/** Writes every field of a draft into the article (which exists), with its authors, tags, sources and pins. */
/** The article columns a draft sets, with the body's derived forms worked out once, at write time. */
function draftColumns(d: ArticleDraft, sectionId: number, slug: string) {
  const derived = deriveBody(d.body, d.language, d.bodyFormat);
  return {
    section_id: sectionId,
    slug,
    language: d.language,
    headline: d.headline,
    subtitle: d.subtitle,
    summary: d.summary,
    body: derived.source,
    body_format: d.bodyFormat,
    body_html: derived.html,
    body_text: derived.text,
    word_count: derived.words,
    image_url: d.imageUrl,
    image_alt: d.imageAlt,
    lead_image_id: d.leadImageId,
    lead_image_crop: d.leadImageId !== null && d.leadImageCrop ? JSON.stringify(d.leadImageCrop) : null,
    comments_open: d.commentsOpen ? 1 : 0,
    seo_title: d.seoTitle,
    seo_description: d.seoDescription,
  };
}

async function writeDraft(trx: Db, row: repo.EditableRow, d: ArticleDraft, version: number, stamp: string): Promise<{ renamedTag: boolean }> {
  const { section, slug, personIds, pinIds } = await resolveDraft(trx, d, row.id);
  const columns = draftColumns(d, section.id, slug);
  await repo.updateArticleRow(trx, row.id, { ...columns, version, updated_at: stamp });
  await recordBodyImages(trx, row.id, await bodyImagesToRecord(trx, columns.body_html));
  await articles.setAuthors(trx, row.id, personIds);
  const { renamed } = await saveTags(trx, row.id, d.tags);
  await articles.setSources(trx, row.id, await storedSources(trx, row.id, d, stamp));
  await articles.setPins(trx, row.id, pinIds);
  // A published article's old address keeps answering, with a 301 to the new one.
  const moved = section.slug !== row.section_slug || slug !== row.slug;
  if (moved && row.published_at !== null) await repo.rememberAddress(trx, row.id, row.section_slug, row.slug, stamp);
  if (moved) await repo.forgetAddress(trx, section.slug, slug);
  return { renamedTag: renamed };
}

/**
 * After a write that changes what readers may see (the article is published, or just stopped being):
 * the search index and "Check Also" follow in the transaction, and the keys of every page, feed and
 * sitemap that may show it are returned for announcing after commit.
 */
async function publicChange(store: Store, trx: Db, id: number, now: Date, also: readonly ChangeKey[] = []): Promise<ChangeKey[]> {
  await indexArticle(store.search, trx, id);
  const checkAlso = await relatedAfterChange(store.search, trx, id, now);
  return [...new Set([...(await articleWriteKeys(trx, id, checkAlso, [key.comments(id)])), ...also])];
}

const snapshotOf = (d: ArticleDraft) => JSON.stringify(d);

/** Keeps the state of an article written before revisions existed (or by the demo) as its first revision. */
async function keepFirstRevision(trx: Db, row: repo.EditableRow): Promise<void> {
  if (await repo.latestRevision(trx, row.id)) return;
  await repo.insertRevision(trx, { articleId: row.id, version: row.version, savedBy: row.owner_user_id, savedAt: row.updated_at, autosave: false, snapshot: snapshotOf(await readDraft(trx, row)) });
}

/**
 * Records a save as a revision. Consecutive autosaves by one account within AUTOSAVE_STRETCH_MS share
 * one revision, and the save that ends such a stretch takes it over.
 */
async function recordRevision(trx: Db, articleId: number, actor: Account, version: number, draft: ArticleDraft, autosave: boolean, now: Date): Promise<void> {
  const last = await repo.latestRevision(trx, articleId);
  const revision = { version, savedBy: actor.id, savedAt: now.toISOString(), autosave, snapshot: snapshotOf(draft) };
  const continues = last && last.autosave === 1 && last.saved_by === actor.id && Date.parse(last.saved_at) + AUTOSAVE_STRETCH_MS > now.getTime();
  if (continues) await repo.updateRevision(trx, last.id, revision);
  else await repo.insertRevision(trx, { articleId, ...revision });
}

/** Starts a draft owned by the actor, locked by it; returns it as its editor sees it. */
export async function createDraft(store: Store, actor: Account, input: DraftInput, now = new Date()): Promise<EditableArticle> {
  ensureCan(actor, 'article.create');
  const d = parseInput(draftInput, input, 'The article is not valid');
  const stamp = now.toISOString();
  const id = await store.writeTransaction(async (trx) => {
    const { section, slug, personIds, pinIds } = await resolveDraft(trx, d, null);
    const columns = draftColumns(d, section.id, slug);
    const id = await articles.insertArticle(trx, {
      ...columns,
      status: 'draft',
      published_at: null,
      created_at: stamp,
      updated_at: stamp,
      translation_of: null,
      owner_user_id: actor.id,
      locked_by: actor.id,
      locked_at: stamp,
    });
    await articles.setAuthors(trx, id, personIds);
    await saveTags(trx, id, d.tags);
    await articles.setSources(trx, id, await storedSources(trx, id, d, stamp));
    await articles.setPins(trx, id, pinIds);
    await recordBodyImages(trx, id, await bodyImagesToRecord(trx, columns.body_html));
    const row = await rowOrNotFound(trx, id);
    await recordRevision(trx, id, actor, row.version, await readDraft(trx, row), false, now);
    await recordAudit(trx, { actorId: actor.id, action: 'article.create', subject: `article:${id}` });
    return id;
  });
  // Nothing public shows a draft: nothing to announce.
  return getEditable(store, actor, id, now);
}

/** May the actor change this article's fields? Changing a published or scheduled one is publishing. */
function ensureCanSave(actor: Account, row: repo.EditableRow): void {
  ensureCan(actor, 'article.edit', owned(row));
  if (row.status === 'published' || row.status === 'scheduled') ensureCan(actor, 'article.publish', owned(row));
}

function ensureNotLockedByOther(actor: Account, row: repo.EditableRow, now: Date): void {
  const lock = lockOf(row, now);
  if (lock && lock.userId !== actor.id) throw new ArticleLocked(lock);
}

export interface SaveOptions {
  /** An autosave: coalesced into one revision per stretch, never announced, and for a published article kept as a revision only. */
  autosave?: boolean;
  now?: Date;
}

/**
 * Saves every field of an article, based on `version` (what the editor loaded or last saved). A save
 * based on another version is refused (StaleSave, with both versions); one while another account holds
 * the lock is refused (ArticleLocked). Each save bumps the version and keeps a revision. Saving a
 * published article changes it for readers at once (every page, feed and sitemap showing it); autosaving
 * one keeps the text as an autosave revision without touching what readers see.
 */
export async function saveArticle(store: Store, actor: Account, id: number, version: number, input: DraftInput, options: SaveOptions = {}): Promise<EditableArticle> {
  const now = options.now ?? new Date();
  const autosave = options.autosave === true;
  const d = parseInput(draftInput, input, 'The article is not valid');
  const stamp = now.toISOString();
  const keys = await store.writeTransaction(async (trx) => {
    const row = await rowOrNotFound(trx, id);
    ensureCanSave(actor, row);
    ensureNotLockedByOther(actor, row, now);
    if (row.version !== version) throw new StaleSave(await toEditable(trx, row, now), { version, draft: input });
    if (autosave && row.status === 'published') {
      await recordRevision(trx, id, actor, row.version, { ...d, slug: d.slug || slugify(d.headline) }, true, now);
      await repo.updateArticleRow(trx, id, { locked_by: actor.id, locked_at: stamp });
      return [];
    }
    await keepFirstRevision(trx, row);
    const published = row.status === 'published';
    // The pages that showed it before the save (its old section, tags and authors) change too.
    const before = published ? await articleWriteKeys(trx, id, [], []) : [];
    const { renamedTag } = await writeDraft(trx, row, d, row.version + 1, stamp);
    await recordArticleChange(trx, id, { from: row.status, to: row.status }, now);
    await repo.updateArticleRow(trx, id, { locked_by: actor.id, locked_at: stamp });
    // The revision keeps the fields as stored (slug made, tags in order), so that diffs show real changes only.
    await recordRevision(trx, id, actor, row.version + 1, await readDraft(trx, await rowOrNotFound(trx, id)), autosave, now);
    if (!autosave) await recordAudit(trx, { actorId: actor.id, action: 'article.save', subject: `article:${id}`, details: { version: row.version + 1 } });
    // What readers see changes only when the article is published; drafts, reviews and schedules are nobody's page yet.
    return published ? publicChange(store, trx, id, now, [...before, ...(renamedTag ? [key.tags] : [])]) : [];
  });
  if (keys.length) store.changes.announce(keys);
  return getEditable(store, actor, id, now);
}

// ---- workflow ----

interface Transition {
  action: string;
  /** Statuses it may start from. */
  from: readonly ArticleStatus[];
  /** The permission it needs besides editing. */
  needsPublish: boolean;
}

/**
 * Moves an article to another status after checking the permission, the version the actor saw and the
 * status it starts from; `write` changes the row and returns the keys to announce.
 */
async function transition(
  store: Store,
  actor: Account,
  id: number,
  version: number,
  t: Transition,
  now: Date,
  write: (trx: Db, row: repo.EditableRow) => Promise<ChangeKey[]>,
): Promise<EditableArticle> {
  const keys = await store.writeTransaction(async (trx) => {
    const row = await rowOrNotFound(trx, id);
    ensureCan(actor, 'article.edit', owned(row));
    if (t.needsPublish) ensureCan(actor, 'article.publish', owned(row));
    if (row.version !== version) throw new StaleSave(await toEditable(trx, row, now), { version, draft: await readDraft(trx, row) });
    if (!t.from.includes(row.status)) throw new AppError('conflict', `An article that is ${row.status} cannot be moved this way.`);
    const keys = await write(trx, row);
    await recordAudit(trx, { actorId: actor.id, action: t.action, subject: `article:${id}` });
    return keys;
  });
  if (keys.length) store.changes.announce(keys);
  return getEditable(store, actor, id, now);
}

/** Hands the article to the editors; the writer's lock is released. */
export function submitForReview(store: Store, actor: Account, id: number, version: number, now = new Date()): Promise<EditableArticle> {
  return transition(store, actor, id, version, { action: 'article.submit', from: ['draft', 'unpublished'], needsPublish: false }, now, async (trx) => {
    await repo.updateArticleRow(trx, id, { status: 'review', locked_by: null, locked_at: null });
    return [];
  });
}

/** Marks a reviewed article as ready to publish. */
export function markReady(store: Store, actor: Account, id: number, version: number, now = new Date()): Promise<EditableArticle> {
  return transition(store, actor, id, version, { action: 'article.ready', from: ['draft', 'review'], needsPublish: true }, now, async (trx) => {
    await repo.updateArticleRow(trx, id, { status: 'ready' });
    return [];
  });
}

/**
 * Schedules the article to be published at `at` (in the future). Until then it is embargoed: no public
 * page, listing, feed, sitemap, search or "Check Also" shows it. The scheduler publishes it within a
 * minute of its time, or at the next start when the server was down.
 */
export async function scheduleArticle(store: Store, actor: Account, id: number, version: number, at: Date, now = new Date()): Promise<EditableArticle> {
  if (Number.isNaN(at.getTime())) throw new AppError('invalid_input', 'The publication time is not a valid date.', { scheduledAt: 'give a date and time' });
  if (at.getTime() <= now.getTime()) throw new AppError('invalid_input', 'The publication time has passed; choose a time in the future, or publish now.', { scheduledAt: 'choose a time in the future' });
  return transition(store, actor, id, version, { action: 'article.schedule', from: ['draft', 'review', 'ready', 'scheduled', 'unpublished'], needsPublish: true }, now, async (trx, row) => {
    await repo.updateArticleRow(trx, id, { status: 'scheduled', scheduled_at: at.toISOString() });
    await recordArticleChange(trx, id, { from: row.status, to: 'scheduled', scheduledAt: at.toISOString() }, now);
    return [];
  });
}

/**
 * For an import (src/import/), inside its transaction: puts an article it has just written as a draft
 * in review, or scheduled for `at` (embargoed until then, published by the scheduler as any other).
 * No account acts, so nothing is audited; the importer announces its changes after it commits.
 */
export async function holdImportedIn(trx: Db, id: number, hold: { status: 'review' } | { status: 'scheduled'; at: string }): Promise<void> {
  const scheduledAt = hold.status === 'scheduled' ? new Date(hold.at) : null;
  if (scheduledAt && Number.isNaN(scheduledAt.getTime())) throw new AppError('invalid_input', 'The publication time is not a valid date.', { scheduledAt: 'give a date and time' });
  await repo.updateArticleRow(trx, id, { status: hold.status, scheduled_at: scheduledAt ? scheduledAt.toISOString() : null, published_at: null });
}

/** Writes the row of an article going public at `at`; returns the keys of what it changes. */
async function goPublic(store: Store, trx: Db, row: repo.EditableRow, at: string, now: Date): Promise<ChangeKey[]> {
  await keepFirstRevision(trx, row);
  // An article published before keeps its first publication time; the update time says when it returned.
  await repo.updateArticleRow(trx, row.id, { status: 'published', published_at: row.published_at ?? at, scheduled_at: null, updated_at: row.published_at ? now.toISOString() : at });
  await repo.forgetAddress(trx, row.section_slug, row.slug);
  await recordArticleChange(trx, row.id, { from: row.status, to: 'published' }, now);
  return publicChange(store, trx, row.id, now);
}

/** Publishes the article now: every page, listing, feed, sitemap and search shows it on the next request. */
export function publishArticle(store: Store, actor: Account, id: number, version: number, now = new Date()): Promise<EditableArticle> {
  return transition(store, actor, id, version, { action: 'article.publish', from: ['draft', 'review', 'ready', 'scheduled', 'unpublished'], needsPublish: true }, now, (trx, row) =>
    goPublic(store, trx, row, now.toISOString(), now),
  );
}

/** Takes a published article off the site (or a scheduled one off the schedule, back to ready). */
export function unpublishArticle(store: Store, actor: Account, id: number, version: number, now = new Date()): Promise<EditableArticle> {
  return transition(store, actor, id, version, { action: 'article.unpublish', from: ['published', 'scheduled'], needsPublish: true }, now, async (trx, row) => {
    if (row.status === 'scheduled') {
      await repo.updateArticleRow(trx, id, { status: 'ready', scheduled_at: null });
      return [];
    }
    await repo.updateArticleRow(trx, id, { status: 'unpublished', updated_at: now.toISOString() });
    await recordArticleChange(trx, id, { from: 'published', to: 'unpublished' }, now);
    return publicChange(store, trx, id, now);
  });
}

/**
 * Publishes every scheduled article whose time has come, each in its own transaction (which checks
 * again, so two servers never publish one twice), at its scheduled time. Returns the ids published.
 */
export async function publishDueArticles(store: Store, now = new Date()): Promise<number[]> {
  const done: number[] = [];
  for (const id of await repo.dueScheduled(store.db, now.toISOString())) {
    const keys = await store.writeTransaction(async (trx) => {
      const row = await repo.findEditable(trx, id);
      if (!row || row.status !== 'scheduled' || row.scheduled_at === null || row.scheduled_at > now.toISOString()) return null;
      const keys = await goPublic(store, trx, row, row.scheduled_at, now);
      await recordAudit(trx, { actorId: null, action: 'article.publish', subject: `article:${id}`, details: { scheduledAt: row.scheduled_at } });
      return keys;
    });
    if (keys) {
      store.changes.announce(keys);
      done.push(id);
    }
  }
  return done;
}

// ---- the home page ----

/**
 * Pins the article to the home page, or unpins it (editors and administrators: where an article stands on
 * the home page is the newsroom's choice, not its writer's). A placement, like its status: no version is
 * needed, no revision is kept and the update time readers see does not move. Any article may be pinned;
 * the home page shows it once it is published. Announces every page that shows it (the home page first).
 */
export async function setHomePinned(store: Store, actor: Account, id: number, pinned: boolean, now = new Date()): Promise<EditableArticle> {
  ensureCan(actor, 'article.pin');
  const keys = await store.writeTransaction(async (trx) => {
    const row = await rowOrNotFound(trx, id);
    if ((row.home_pinned === 1) === pinned) return [];
    await repo.updateArticleRow(trx, id, { home_pinned: pinned ? 1 : 0 });
    await recordAudit(trx, { actorId: actor.id, action: pinned ? 'article.pin' : 'article.unpin', subject: `article:${id}` });
    return articleWriteKeys(trx, id, [], []);
  });
  if (keys.length) store.changes.announce(keys);
  return getEditable(store, actor, id, now);
}

// ---- locks ----

/**
 * Takes the article's edit lock for the actor (or refreshes it). When another account holds it, the
 * lock is refused (ArticleLocked, naming the holder) unless `takeOver`, which moves it to the actor.
 */
export async function takeLock(store: Store, actor: Account, id: number, options: { takeOver?: boolean; now?: Date } = {}): Promise<EditLock> {
  const now = options.now ?? new Date();
  return store.writeTransaction(async (trx) => {
    const row = await rowOrNotFound(trx, id);
    ensureCan(actor, 'article.edit', owned(row));
    const held = lockOf(row, now);
    if (held && held.userId !== actor.id) {
      if (!options.takeOver) throw new ArticleLocked(held);
      await recordAudit(trx, { actorId: actor.id, action: 'article.lock.takeover', subject: `article:${id}`, details: { from: held.userId } });
    }
    const since = now.toISOString();
    await repo.updateArticleRow(trx, id, { locked_by: actor.id, locked_at: since });
    return { userId: actor.id, since };
  });
}

/** Gives up the actor's lock on the article, if it holds it. */
export async function releaseLock(store: Store, actor: Account, id: number): Promise<void> {
  await store.writeTransaction(async (trx) => {
    const row = await rowOrNotFound(trx, id);
    if (row.locked_by === actor.id) await repo.updateArticleRow(trx, id, { locked_by: null, locked_at: null });
  });
}

// ---- notes ----

export interface ArticleNote {
  id: number;
  authorId: number | null;
  body: string;
  createdAt: string;
}

const noteInput = z.string().trim().min(1, 'write a note').max(5000, 'use at most 5,000 characters');

/** Adds a private note to the article (never shown to readers). */
export async function addNote(store: Store, actor: Account, id: number, body: string, now = new Date()): Promise<ArticleNote> {
  const text = noteInput.safeParse(body);
  if (!text.success) throw new AppError('invalid_input', `The note is not valid: ${text.error.issues[0]!.message}.`, { note: text.error.issues[0]!.message });
  return store.writeTransaction(async (trx) => {
    const row = await rowOrNotFound(trx, id);
    ensureCan(actor, 'article.edit', owned(row));
    const createdAt = now.toISOString();
    const noteId = await repo.insertNote(trx, { articleId: id, authorId: actor.id, body: text.data, createdAt });
    return { id: noteId, authorId: actor.id, body: text.data, createdAt };
  });
}

export async function listNotes(store: Store, actor: Account, id: number): Promise<ArticleNote[]> {
  const row = await rowOrNotFound(store.db, id);
  ensureCan(actor, 'article.edit', owned(row));
  return (await repo.notesOf(store.db, id)).map((n) => ({ id: n.id, authorId: n.author_user_id, body: n.body, createdAt: n.created_at }));
}

// ---- revisions ----

export interface RevisionSummary {
  id: number;
  version: number;
  savedBy: number | null;
  savedAt: string;
  autosave: boolean;
}

/** The article's revisions, newest first. */
export async function listRevisions(store: Store, actor: Account, id: number): Promise<RevisionSummary[]> {
  const row = await rowOrNotFound(store.db, id);
  ensureCan(actor, 'article.edit', owned(row));
  return (await repo.revisionsOf(store.db, id)).map((r) => ({ id: r.id, version: r.version, savedBy: r.saved_by, savedAt: r.saved_at, autosave: r.autosave === 1 }));
}

async function revisionDraft(db: Db, articleId: number, revisionId: number): Promise<{ summary: RevisionSummary; draft: ArticleDraft }> {
  const r = Number.isSafeInteger(revisionId) ? await repo.revision(db, articleId, revisionId) : undefined;
  if (!r) throw new AppError('not_found', `This article has no revision ${revisionId}.`);
  return {
    summary: { id: r.id, version: r.version, savedBy: r.saved_by, savedAt: r.saved_at, autosave: r.autosave === 1 },
    // Read as it was kept: a revision saved before a rule existed still opens.
    draft: draftFields.parse(JSON.parse(r.snapshot)),
  };
}

/** One field's change between two revisions: lines removed and added, with the lines kept around them. */
export interface FieldDiff {
  field: keyof ArticleDraft;
  label: string;
  lines: DiffLine[];
}

const FIELD_LABELS: Record<keyof ArticleDraft, string> = {
  headline: 'Headline',
  subtitle: 'Subtitle',
  slug: 'Slug',
  section: 'Section',
  tags: 'Tags',
  language: 'Language',
  summary: 'Summary',
  body: 'Body',
  bodyFormat: 'Body format',
  authors: 'Authors',
  sources: 'Sources',
  pins: 'Check Also',
  commentsOpen: 'Comments',
  seoTitle: 'SEO title',
  seoDescription: 'SEO description',
  imageUrl: 'Image',
  imageAlt: 'Image description',
  leadImageId: 'Lead picture',
  leadImageCrop: 'Lead picture crop',
};

/** A field as lines of text a person reads: one line per source, author, tag or pin; the body line by line. */
function fieldLines(d: ArticleDraft, field: keyof ArticleDraft, documents: DocumentNames): string[] {
  switch (field) {
    case 'sources':
      return d.sources.map((s, i) =>
        [
          `${i + 1}. ${s.name}`,
          s.description,
          `${s.kind}, ${s.role}`,
          s.url ?? '',
          s.relays !== null ? `relays ${s.relays + 1}. ${d.sources[s.relays]?.name ?? ''}` : '',
          s.documentId !== null ? `document: ${documents.get(s.documentId)?.title ?? `#${s.documentId}`}` : '',
        ]
          .filter(Boolean)
          .join(' · '),
      );
    case 'authors':
    case 'tags':
    case 'pins':
      return [...d[field]];
    case 'commentsOpen':
      return [d.commentsOpen ? 'open' : 'closed'];
    case 'leadImageId':
      return d.leadImageId === null ? [] : [`picture #${d.leadImageId}`];
    case 'leadImageCrop': {
      const c = d.leadImageCrop;
      return c ? [`from ${c.x / 10}%, ${c.y / 10}%, ${c.w / 10}% wide, ${c.h / 10}% high`] : [];
    }
    case 'body':
    case 'summary':
      return d[field] === '' ? [] : d[field].split('\n');
    default: {
      const v = d[field];
      return v === null || v === '' ? [] : [String(v)];
    }
  }
}

/** Titles of the documents sources cite, so a diff names them (documentTitles in src/documents/). */
export type DocumentNames = ReadonlyMap<number, { title: string }>;

/** The titles of every document two drafts cite. */
export async function citedDocumentNames(db: Db, ...drafts: ArticleDraft[]): Promise<DocumentNames> {
  return documentTitles(db, drafts.flatMap((d) => d.sources.map((s) => s.documentId).filter((id): id is number => id !== null)));
}

/** Every field that differs between two drafts, in the order of the form. */
export function diffDrafts(before: ArticleDraft, after: ArticleDraft, documents: DocumentNames = new Map()): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const field of Object.keys(FIELD_LABELS) as (keyof ArticleDraft)[]) {
    const a = fieldLines(before, field, documents);
    const b = fieldLines(after, field, documents);
    if (a.length === b.length && a.every((line, i) => line === b[i])) continue;
    out.push({ field, label: FIELD_LABELS[field], lines: diffLines(a, b) });
  }
  return out;
}

/** What changed from one revision of the article to another, field by field. */
export async function compareRevisions(store: Store, actor: Account, id: number, fromId: number, toId: number): Promise<{ from: RevisionSummary; to: RevisionSummary; fields: FieldDiff[] }> {
  const row = await rowOrNotFound(store.db, id);
  ensureCan(actor, 'article.edit', owned(row));
  const [a, b] = await Promise.all([revisionDraft(store.db, id, fromId), revisionDraft(store.db, id, toId)]);
  return { from: a.summary, to: b.summary, fields: diffDrafts(a.draft, b.draft, await citedDocumentNames(store.db, a.draft, b.draft)) };
}

/** One revision's fields. */
export async function getRevision(store: Store, actor: Account, id: number, revisionId: number): Promise<{ summary: RevisionSummary; draft: ArticleDraft }> {
  const row = await rowOrNotFound(store.db, id);
  ensureCan(actor, 'article.edit', owned(row));
  return revisionDraft(store.db, id, revisionId);
}

/** Saves a revision's fields as the article's newest version (a save like any other: version checked, new revision kept). */
export async function restoreRevision(store: Store, actor: Account, id: number, revisionId: number, version: number, now = new Date()): Promise<EditableArticle> {
  const { draft } = await getRevision(store, actor, id, revisionId);
  return saveArticle(store, actor, id, version, draft, { now });
}

// ---- the editors' list ----

export interface EditorListItem {
  id: number;
  headline: string;
  status: ArticleStatus;
  language: string;
  sectionSlug: string;
  sectionName: string;
  path: string;
  updatedAt: string;
  scheduledAt: string | null;
  publishedAt: string | null;
  ownerId: number | null;
}

export const editorFilter = z.object({
  status: z.enum(STATUSES).optional(),
  section: z.string().refine(isSlug).optional(),
  author: z.string().refine(isSlug).optional(),
  language: language.optional(),
  q: z.string().trim().max(200).optional(),
});
export type EditorFilterInput = z.input<typeof editorFilter>;

/** One page of articles of every status for the newsroom, newest change first. Every account sees the list; editing is checked per article. */
export async function listForEditors(store: Store, actor: Account, input: EditorFilterInput, page: number, perPage: number): Promise<{ items: EditorListItem[]; total: number; page: number; pageCount: number }> {
  ensureCan(actor, 'article.create');
  const f = parseInput(editorFilter, input, 'The filter is not valid');
  const filter: repo.EditorFilter = { status: f.status, sectionSlug: f.section, authorSlug: f.author, language: f.language, query: f.q || undefined };
  const total = await repo.countForEditors(store.db, filter);
  const pageCount = Math.max(1, Math.ceil(total / perPage));
  const current = Math.min(Math.max(1, page), pageCount);
  const rows = await repo.listForEditors(store.db, filter, perPage, (current - 1) * perPage);
  return {
    total,
    page: current,
    pageCount,
    items: rows.map((r) => ({
      id: r.id,
      headline: r.headline,
      status: r.status,
      language: r.language,
      sectionSlug: r.section_slug,
      sectionName: r.section_name,
      path: articlePath(r.section_slug, r.slug),
      updatedAt: r.updated_at,
      scheduledAt: r.scheduled_at,
      publishedAt: r.published_at,
      ownerId: r.owner_user_id,
    })),
  };
}

/** The address of the published article that used to live at /<section>/<slug> (its slug or section changed), or null. */
export async function movedArticlePath(db: Db, sectionSlug: string, slug: string): Promise<string | null> {
  const r = await repo.movedPublished(db, sectionSlug, slug);
  return r ? articlePath(r.section_slug, r.slug) : null;
}

/** The article as readers will see it once published, whatever its status, for an account that may edit it. */
export async function previewFor(store: Store, actor: Account, id: number): Promise<Article> {
  const row = await rowOrNotFound(store.db, id);
  ensureCan(actor, 'article.edit', owned(row));
  return previewArticle(store, id);
}
