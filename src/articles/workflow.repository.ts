// Queries of the newsroom's workflow (decision 0020): an article as its editor sees it (any status),
// its workflow columns, revisions, notes and old addresses, and the scheduled articles that are due.
// Plain functions over a Kysely instance or transaction; rows go no further than the services.
import type { Db } from '../db/store.ts';
import type { ArticleStatus } from '../db/schema.ts';

/** An article of any status with its section's slug and its workflow columns. */
export function findEditable(db: Db, id: number) {
  return db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .selectAll('a')
    .select(['s.slug as section_slug', 's.name as section_name'])
    .where('a.id', '=', id)
    .executeTakeFirst();
}
export type EditableRow = NonNullable<Awaited<ReturnType<typeof findEditable>>>;

// One writer of an article's columns for both article services: the workflow's and article.service's.
export { updateArticleRow } from './article.repository.ts';

/** Slugs of an article's authors, in byline order. */
export async function authorSlugs(db: Db, id: number): Promise<string[]> {
  const rows = await db.selectFrom('article_authors as aa').innerJoin('people as p', 'p.id', 'aa.person_id').select('p.slug').where('aa.article_id', '=', id).orderBy('aa.position').execute();
  return rows.map((r) => r.slug);
}

/** Names of an article's tags, in name order. */
export async function tagNames(db: Db, id: number): Promise<string[]> {
  const rows = await db.selectFrom('article_tags as at').innerJoin('tags as t', 't.id', 'at.tag_id').select('t.name').where('at.article_id', '=', id).orderBy('t.name').execute();
  return rows.map((r) => r.name);
}

/** An article's sources in order, with their documents. */
export function sourcesWithDocuments(db: Db, id: number) {
  return db
    .selectFrom('sources as src')
    .leftJoin('documents as d', 'd.id', 'src.document_id')
    .select(['src.name', 'src.description', 'src.url', 'src.kind', 'src.role', 'src.relays', 'd.id as document_id', 'd.title as document_title', 'd.sha256 as document_sha256', 'd.file_path as document_file', 'd.media_type as document_media_type'])
    .where('src.article_id', '=', id)
    .orderBy('src.position')
    .execute();
}

/** The articles an article pins, as section/slug, in pin order. */
export async function pinAddresses(db: Db, id: number): Promise<string[]> {
  const rows = await db
    .selectFrom('related_pins as rp')
    .innerJoin('articles as a', 'a.id', 'rp.related_article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['s.slug as section_slug', 'a.slug'])
    .where('rp.article_id', '=', id)
    .orderBy('rp.position')
    .execute();
  return rows.map((r) => `${r.section_slug}/${r.slug}`);
}

// ---- revisions ----

export interface NewRevision {
  articleId: number;
  version: number;
  savedBy: number | null;
  savedAt: string;
  autosave: boolean;
  snapshot: string;
}

export async function insertRevision(db: Db, r: NewRevision): Promise<number> {
  const row = await db
    .insertInto('article_revisions')
    .values({ article_id: r.articleId, version: r.version, saved_by: r.savedBy, saved_at: r.savedAt, autosave: r.autosave ? 1 : 0, snapshot: r.snapshot })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateRevision(db: Db, id: number, r: Omit<NewRevision, 'articleId'>): Promise<void> {
  await db
    .updateTable('article_revisions')
    .set({ version: r.version, saved_by: r.savedBy, saved_at: r.savedAt, autosave: r.autosave ? 1 : 0, snapshot: r.snapshot })
    .where('id', '=', id)
    .execute();
}

export function latestRevision(db: Db, articleId: number) {
  return db.selectFrom('article_revisions').selectAll().where('article_id', '=', articleId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** An article's revisions, newest first, without their snapshots. */
export function revisionsOf(db: Db, articleId: number) {
  return db.selectFrom('article_revisions').select(['id', 'version', 'saved_by', 'saved_at', 'autosave']).where('article_id', '=', articleId).orderBy('id', 'desc').execute();
}

export function revision(db: Db, articleId: number, id: number) {
  return db.selectFrom('article_revisions').selectAll().where('article_id', '=', articleId).where('id', '=', id).executeTakeFirst();
}

// ---- notes ----

export async function insertNote(db: Db, n: { articleId: number; authorId: number | null; body: string; createdAt: string }): Promise<number> {
  const row = await db.insertInto('article_notes').values({ article_id: n.articleId, author_user_id: n.authorId, body: n.body, created_at: n.createdAt }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function notesOf(db: Db, articleId: number) {
  return db.selectFrom('article_notes').select(['id', 'author_user_id', 'body', 'created_at']).where('article_id', '=', articleId).orderBy('id').execute();
}

// ---- old addresses ----

/** Records that /<sectionSlug>/<slug> was the article's address (replacing whatever it pointed at). */
export async function rememberAddress(db: Db, articleId: number, sectionSlug: string, slug: string, at: string): Promise<void> {
  await forgetAddress(db, sectionSlug, slug);
  await db.insertInto('article_old_addresses').values({ section_slug: sectionSlug, slug, article_id: articleId, created_at: at }).execute();
}

/** An address that is an article's own again is no longer an old one. */
export async function forgetAddress(db: Db, sectionSlug: string, slug: string): Promise<void> {
  await db.deleteFrom('article_old_addresses').where('section_slug', '=', sectionSlug).where('slug', '=', slug).execute();
}

/** The current address of the published article that once lived at /<sectionSlug>/<slug>. */
export function movedPublished(db: Db, sectionSlug: string, slug: string) {
  return db
    .selectFrom('article_old_addresses as o')
    .innerJoin('articles as a', 'a.id', 'o.article_id')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select(['s.slug as section_slug', 'a.slug'])
    .where('o.section_slug', '=', sectionSlug)
    .where('o.slug', '=', slug)
    .where('a.status', '=', 'published')
    .executeTakeFirst();
}

// ---- scheduling ----

/** Scheduled articles whose time has come (ISO text compares as time), soonest first. */
export async function dueScheduled(db: Db, nowIso: string): Promise<number[]> {
  const rows = await db.selectFrom('articles').select('id').where('status', '=', 'scheduled').where('scheduled_at', '<=', nowIso).orderBy('scheduled_at').execute();
  return rows.map((r) => r.id);
}

// ---- the editors' list ----

export interface EditorFilter {
  status?: ArticleStatus;
  sectionSlug?: string;
  authorSlug?: string;
  language?: string;
  /** Words of the headline (case-insensitive for ASCII). */
  query?: string;
}

function editorQuery(db: Db, f: EditorFilter) {
  let q = db.selectFrom('articles as a').innerJoin('sections as s', 's.id', 'a.section_id');
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.sectionSlug) q = q.where('s.slug', '=', f.sectionSlug);
  if (f.language) q = q.where('a.language', '=', f.language);
  if (f.authorSlug) {
    const slug = f.authorSlug;
    q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_authors as aa').innerJoin('people as p', 'p.id', 'aa.person_id').select('aa.article_id').where('p.slug', '=', slug));
  }
  if (f.query) {
    // LIKE's wildcards are dropped from the words rather than escaped: the engines escape differently.
    const words = f.query.toLowerCase().replace(/[%_\\]/g, ' ').split(/\s+/).filter(Boolean).slice(0, 8);
    for (const w of words) q = q.where((eb) => eb(eb.fn('lower', ['a.headline']), 'like', `%${w}%`));
  }
  return q;
}

export async function countForEditors(db: Db, f: EditorFilter): Promise<number> {
  const row = await editorQuery(db, f).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listForEditors(db: Db, f: EditorFilter, limit: number, offset: number) {
  return editorQuery(db, f)
    .select(['a.id', 'a.headline', 'a.status', 'a.language', 'a.slug', 'a.updated_at', 'a.scheduled_at', 'a.published_at', 'a.owner_user_id', 'a.locked_by', 'a.locked_at', 's.slug as section_slug', 's.name as section_name'])
    .orderBy('a.updated_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}
