// Queries over articles and what hangs off them (authors, tags, sources, pins). Plain functions taking
// a Kysely instance or transaction; rows go no further than the service.
import { sql, type Expression } from 'kysely';
import type { Db } from '../db/store.ts';
import { reusableListQuery, reusableQuery } from '../db/reusable-query.ts';
import { jsonObject, jsonRows, parseJsonObject, parseJsonRows } from '../db/json-rows.ts';
import type { ArticleRow, ArticleStatus, ArticleUpdate, NewArticleRow, SourceKind, SourceRole } from '../db/schema.ts';
import { parseStoredListColumn, storedFirstColumn, storedListColumn, type StoredListColumn } from '../related/related.repository.ts';
import { approvedTotalsColumns } from '../comments/comment.repository.ts';

/** Characters of plain text read for a card's excerpt. */
const LEAD_CHARS = 600;

/** The columns every listing needs, joined with the article's section; drafts included. */
function withSection(db: Db) {
  return db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .select([
      'a.id',
      'a.slug',
      'a.status',
      'a.language',
      'a.headline',
      'a.subtitle',
      'a.summary',
      // Enough of the plain text to cut an excerpt from, without reading a long article's whole body.
      sql<string>`substr(a.body_text, 1, ${LEAD_CHARS})`.as('lead'),
      'a.image_url',
      'a.image_alt',
      'a.lead_image_id',
      'a.lead_image_crop',
      'a.published_at',
      'a.updated_at',
      'a.comments_open',
      'a.translation_of',
      'a.seo_title',
      'a.seo_description',
      'a.home_pinned',
      's.id as section_id',
      's.slug as section_slug',
      's.name as section_name',
    ]);
}

function publishedWithSection(db: Db) {
  return withSection(db).where('a.status', '=', 'published');
}

export type ArticleListRow = Awaited<ReturnType<ReturnType<typeof publishedWithSection>['executeTakeFirstOrThrow']>>;

/** An article's tag as its page shows it. */
export interface TagPart {
  id: number;
  slug: string;
  name: string;
}
/** A source of an article, with the document it cites (when it cites one). */
export interface SourcePart {
  position: number;
  name: string;
  description: string;
  url: string | null;
  kind: SourceKind;
  role: SourceRole;
  document_id: number | null;
  document_title: string | null;
  document_sha256: string | null;
  document_file: string | null;
  document_media_type: string | null;
  document_file_name: string | null;
  document_size: number | null;
}
/** A person bylined on an article, in byline order. */
export interface AuthorPart {
  position: number;
  id: number;
  slug: string;
  name: string;
  url: string | null;
}
/** An article an editor pinned as related to this one (any status), in pin order. */
export interface PinPart {
  position: number;
  id: number;
}

/**
 * A card's row: the listing columns, its byline and its approved comment count, read in one statement
 * (decision 0079). The page row's `ahead` column holds one as JSON.
 */
export type ArticleCardRow = ArticleListRow & { authors: AuthorPart[]; comments: number };
type AheadCard = ArticleCardRow;

/**
 * Card rows: the listing columns with the byline and the approved comment count as two more columns,
 * the count's SQL written by comments/ (as in the page row).
 */
function withCardParts(db: Db) {
  const articleId = sql.ref<number>('a.id');
  return withSection(db).select([authorsJson(db, articleId).as('authors'), approvedTotalsColumns(db, articleId).comments.as('comments')]);
}

/** A card row as read back: its byline parsed, its count a number (0 when the article has none). */
function cardRow<R extends { authors: AuthorPart[] | string; comments: number | string | null }>(row: R) {
  return { ...row, authors: parseJsonRows(row.authors), comments: Number(row.comments ?? 0) };
}

/**
 * The card of the article an article page's "Check Also" most likely shows: its first pin other than
 * itself, else the first article of its stored list other than itself (as relatedFor orders them), as
 * one JSON object of the card row's columns with its byline and approved comment count (decision 0078).
 * Its own aliases (p, ps, and authorsJson's): inside it, `a` is the page's article.
 */
function aheadCardColumn(db: Db) {
  const firstPin = db
    .selectFrom('related_pins as rp')
    .select('rp.related_article_id')
    .where('rp.article_id', '=', sql.ref<number>('a.id'))
    .where('rp.related_article_id', '<>', sql.ref<number>('a.id'))
    .orderBy('rp.position')
    .limit(1);
  const ahead = sql<number | null>`coalesce(${firstPin}, ${storedFirstColumn(db, sql.ref('a.id'))})`;
  const p = (column: string) => sql.ref(`p.${column}`);
  const columns: Record<keyof ArticleListRow, Expression<unknown>> = {
    id: p('id'),
    slug: p('slug'),
    status: p('status'),
    language: p('language'),
    headline: p('headline'),
    subtitle: p('subtitle'),
    summary: p('summary'),
    lead: sql`substr(p.body_text, 1, ${LEAD_CHARS})`,
    image_url: p('image_url'),
    image_alt: p('image_alt'),
    lead_image_id: p('lead_image_id'),
    lead_image_crop: p('lead_image_crop'),
    published_at: p('published_at'),
    updated_at: p('updated_at'),
    comments_open: p('comments_open'),
    translation_of: p('translation_of'),
    seo_title: p('seo_title'),
    seo_description: p('seo_description'),
    home_pinned: p('home_pinned'),
    section_id: sql.ref('ps.id'),
    section_slug: sql.ref('ps.slug'),
    section_name: sql.ref('ps.name'),
  };
  const card = jsonObject<AheadCard>(db, { ...columns, authors: authorsJson(db, sql.ref('p.id')), comments: approvedTotalsColumns(db, sql.ref('p.id')).comments });
  return sql<AheadCard | string | null>`(select ${card} from articles as p inner join sections as ps on ps.id = p.section_id where p.id = ${ahead})`;
}

/** The `ahead` column as read back, as a card row (cardRow). */
function parseAheadCard(value: AheadCard | string | null): AheadCard | null {
  const card = parseJsonObject(value);
  return card && cardRow(card);
}

/**
 * What an article's own page shows beyond a card: the rendered body and word count, whether any article
 * names it as its original (when none does and it translates none, its page has no translations to look
 * up), and its tags, sources, authors and pins, each as a JSON array in the same row (decision 0070: on
 * PostgreSQL four statements fewer for a page not in the cache, each a round trip). Its stored "Check
 * Also" list (decision 0077), its approved comment counts and its likely pick's card (decision 0078)
 * come in the same row too, the first two as columns whose SQL their owners write.
 */
function withPageParts(db: Db) {
  const totals = approvedTotalsColumns(db, sql.ref<number>('a.id'));
  return withSection(db).select((eb) => [
    'a.body_html',
    'a.word_count',
    eb.exists(eb.selectFrom('articles as t').select('t.id').whereRef('t.translation_of', '=', 'a.id')).as('translated'),
    jsonRows<TagPart>(db, eb.selectFrom('article_tags as at').innerJoin('tags as t', 't.id', 'at.tag_id').whereRef('at.article_id', '=', 'a.id').select(['t.id', 't.slug', 't.name']), ['id', 'slug', 'name'], ['name']).as('tags'),
    jsonRows<SourcePart>(
      db,
      eb
        .selectFrom('sources as src')
        .leftJoin('documents as d', 'd.id', 'src.document_id')
        .whereRef('src.article_id', '=', 'a.id')
        .select([
          'src.position',
          'src.name',
          'src.description',
          'src.url',
          'src.kind',
          'src.role',
          'd.id as document_id',
          'd.title as document_title',
          'd.sha256 as document_sha256',
          'd.file_path as document_file',
          'd.media_type as document_media_type',
          'd.file_name as document_file_name',
          'd.size_bytes as document_size',
        ]),
      ['position', 'name', 'description', 'url', 'kind', 'role', 'document_id', 'document_title', 'document_sha256', 'document_file', 'document_media_type', 'document_file_name', 'document_size'],
      ['position'],
    ).as('sources'),
    authorsJson(db, eb.ref('a.id')).as('authors'),
    jsonRows<PinPart>(db, eb.selectFrom('related_pins as rp').whereRef('rp.article_id', '=', 'a.id').select(['rp.position', 'rp.related_article_id as id']), ['position', 'id'], ['position']).as('pins'),
    storedListColumn(db, eb.ref('a.id')).as('listed'),
    aheadCardColumn(db).as('ahead'),
    totals.comments.as('approved_comments'),
    totals.threads.as('approved_threads'),
  ]);
}

/**
 * The bylined people of the article `articleId` refers to, as a JSON array in byline order (a column of
 * a query on that article's row: `a.id` on a page or card row, `p.id` in the page row's pick card).
 */
function authorsJson(db: Db, articleId: Expression<number>) {
  return jsonRows<AuthorPart>(
    db,
    db.selectFrom('article_authors as aa').innerJoin('people as pe', 'pe.id', 'aa.person_id').where('aa.article_id', '=', articleId).select(['aa.position', 'pe.id', 'pe.slug', 'pe.name', 'pe.url']),
    ['position', 'id', 'slug', 'name', 'url'],
    ['position'],
  );
}

/**
 * A page row with its JSON columns read back. `listed`: the stored "Check Also" ids, null when never
 * computed; `ahead`: the likely pick's card, null when there is no candidate; `commentTotals`: the
 * article's approved comments and threads.
 */
function pageRow<
  R extends {
    translated: unknown;
    tags: TagPart[] | string;
    sources: SourcePart[] | string;
    authors: AuthorPart[] | string;
    pins: PinPart[] | string;
    listed: StoredListColumn;
    ahead: AheadCard | string | null;
    approved_comments: number | string | null;
    approved_threads: number | string | null;
  },
>(row: R) {
  return {
    ...row,
    translated: Boolean(row.translated),
    tags: parseJsonRows(row.tags),
    sources: parseJsonRows(row.sources),
    authors: parseJsonRows(row.authors),
    pins: parseJsonRows(row.pins),
    listed: parseStoredListColumn(row.listed),
    ahead: parseAheadCard(row.ahead),
    commentTotals: { comments: Number(row.approved_comments ?? 0), threads: Number(row.approved_threads ?? 0) },
  };
}

const publishedPageAt = reusableQuery((db, sectionSlug: string, slug: string) => withPageParts(db).where('a.status', '=', 'published').where('s.slug', '=', sectionSlug).where('a.slug', '=', slug));

/** The published article at /<section>/<slug> with what its page shows (withPageParts). */
export async function findPublishedPage(db: Db, sectionSlug: string, slug: string) {
  const row = (await publishedPageAt(db, sectionSlug, slug))[0];
  return row && pageRow(row);
}
export type ArticlePageRow = NonNullable<Awaited<ReturnType<typeof findPublishedPage>>>;

const publishedAt = reusableQuery((db, sectionSlug: string, slug: string) => publishedWithSection(db).where('s.slug', '=', sectionSlug).where('a.slug', '=', slug));

/** The published article at /<section>/<slug>, as a card row (an existence check, a redirect's target). */
export async function findPublished(db: Db, sectionSlug: string, slug: string): Promise<ArticleListRow | undefined> {
  return (await publishedAt(db, sectionSlug, slug))[0];
}

/** Any article (any status) with what its page shows, for editors' previews. */
export async function findForPreview(db: Db, id: number): Promise<ArticlePageRow | undefined> {
  const row = await withPageParts(db).where('a.id', '=', id).executeTakeFirst();
  return row && pageRow(row);
}

export async function findPublishedById(db: Db, id: number): Promise<ArticleCardRow | undefined> {
  return (await findPublishedByIds(db, [id]))[0];
}

export interface ListFilter {
  sectionId?: number;
  tagId?: number;
  personId?: number;
  excludeIds?: readonly number[];
  /** The home page's order: articles pinned to it first, then the rest, each newest first. */
  pinnedFirst?: boolean;
}

/** Ids of published articles matching the filter; no join, so ordering walks the (status, published_at) index. */
function publishedIds(db: Db, filter: ListFilter) {
  let q = db.selectFrom('articles as a').where('a.status', '=', 'published');
  if (filter.sectionId !== undefined) q = q.where('a.section_id', '=', filter.sectionId);
  if (filter.tagId !== undefined) {
    const tagId = filter.tagId;
    q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId));
  }
  if (filter.personId !== undefined) {
    const personId = filter.personId;
    q = q.where('a.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('person_id', '=', personId));
  }
  if (filter.excludeIds?.length) q = q.where('a.id', 'not in', filter.excludeIds);
  return q;
}

/** Ids of published articles matching the filter, newest first. */
export async function listPublishedIds(db: Db, filter: ListFilter, limit: number, offset = 0): Promise<number[]> {
  let q = publishedIds(db, filter).select('a.id');
  if (filter.pinnedFirst) q = q.orderBy('a.home_pinned', 'desc');
  const rows = await q.orderBy('a.published_at', 'desc').orderBy('a.id', 'desc').limit(limit).offset(offset).execute();
  return rows.map((r) => r.id);
}

/**
 * Published articles with these ids, in the order of the ids given. The status is checked here, not in
 * SQL: with `status = 'published'` in the query, SQLite (without statistics) may walk a status index
 * over every published article instead of looking the ids up (20 ms instead of 0.2 ms at 100,000).
 */
export async function findPublishedByIds(db: Db, ids: readonly number[]): Promise<ArticleCardRow[]> {
  if (!ids.length) return [];
  const rows = (await rowsWithIds(db, ids)).filter((r) => r.status === 'published');
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [cardRow(row)] : [];
  });
}

const rowsWithIds = reusableListQuery((db, ids) => withCardParts(db).where('a.id', 'in', ids));

const cardWithId = reusableQuery((db, id: number) => withCardParts(db).where('a.id', '=', id));

/** A published article's card row (an article page's "Check Also" pick), by id; status checked as findPublishedByIds does. */
export async function findPublishedCard(db: Db, id: number): Promise<ArticleCardRow | undefined> {
  const row = (await cardWithId(db, id))[0];
  return row && row.status === 'published' ? cardRow(row) : undefined;
}

/** Published articles, newest first. */
export async function listPublished(db: Db, filter: ListFilter, limit: number, offset: number): Promise<ArticleCardRow[]> {
  return findPublishedByIds(db, await listPublishedIds(db, filter, limit, offset));
}

/** What the Content API filters published articles by, beyond a listing's filter (issue 13). */
export interface WalkFilter extends ListFilter {
  language?: string;
  /** ISO times: published at or after / before. */
  publishedFrom?: string;
  publishedBefore?: string;
  /** ISO time: updated at or after. */
  updatedSince?: string;
  /** Only articles pinned to the home page (true), or only the others (false). */
  pinned?: boolean;
}

export type WalkColumn = 'published_at' | 'updated_at';

/**
 * One page of a walk through published articles in (column, id) order, after the position `after`
 * (keyset pagination: each page is an index range, so the millionth page costs what the first does).
 * Returns ids with the column's value, for the next position.
 */
export async function walkPublishedIds(
  db: Db,
  filter: WalkFilter,
  order: { column: WalkColumn; descending: boolean },
  after: { value: string; id: number } | null,
  limit: number,
): Promise<{ id: number; value: string }[]> {
  const col = `a.${order.column}` as const;
  let q = publishedIds(db, filter).where(col, 'is not', null);
  if (filter.language !== undefined) q = q.where('a.language', '=', filter.language);
  if (filter.publishedFrom !== undefined) q = q.where('a.published_at', '>=', filter.publishedFrom);
  if (filter.publishedBefore !== undefined) q = q.where('a.published_at', '<', filter.publishedBefore);
  if (filter.updatedSince !== undefined) q = q.where('a.updated_at', '>=', filter.updatedSince);
  if (filter.pinned !== undefined) q = q.where('a.home_pinned', '=', filter.pinned ? 1 : 0);
  if (after) {
    const { value, id } = after;
    const op = order.descending ? '<' : '>';
    // The plain range first lets the index narrow the scan; the pair decides ties on the same time.
    q = q.where(col, order.descending ? '<=' : '>=', value).where((eb) => eb.or([eb(col, op, value), eb.and([eb(col, '=', value), eb('a.id', op, id)])]));
  }
  const direction = order.descending ? 'desc' : 'asc';
  const rows = await q.select(['a.id', `${col} as value`]).orderBy(col, direction).orderBy('a.id', direction).limit(limit).execute();
  return rows.map((r) => ({ id: r.id, value: r.value as string }));
}

/** A published article with what its page shows beyond a card, by id. */
export async function findPublishedPageById(db: Db, id: number): Promise<ArticlePageRow | undefined> {
  const row = await findForPreview(db, id);
  return row && row.status === 'published' ? row : undefined;
}

/** Ids of published articles whose publication time is after `from` and not after `to` (ISO text). */
export async function publishedIdsBetween(db: Db, from: string, to: string): Promise<number[]> {
  const rows = await db.selectFrom('articles').select('id').where('status', '=', 'published').where('published_at', '>', from).where('published_at', '<=', to).execute();
  return rows.map((r) => r.id);
}

export async function countPublished(db: Db, filter: ListFilter = {}): Promise<number> {
  const row = await publishedIds(db, filter)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const authorRows = reusableListQuery((db, articleIds) =>
  db
    .selectFrom('article_authors as aa')
    .innerJoin('people as p', 'p.id', 'aa.person_id')
    .where('aa.article_id', 'in', articleIds)
    .select(['aa.article_id', 'p.id', 'p.slug', 'p.name', 'p.url'])
    .orderBy('aa.article_id')
    .orderBy('aa.position'),
);

export function authorsOf(db: Db, articleIds: readonly number[]) {
  if (!articleIds.length) return Promise.resolve([]);
  return authorRows(db, articleIds);
}

export function tagsOf(db: Db, articleIds: readonly number[]) {
  if (!articleIds.length) return Promise.resolve([]);
  return db
    .selectFrom('article_tags as at')
    .innerJoin('tags as t', 't.id', 'at.tag_id')
    .where('at.article_id', 'in', articleIds)
    .select(['at.article_id', 't.id', 't.slug', 't.name'])
    .orderBy('t.name')
    .execute();
}

/** Published articles an editor pinned as related to this one, in pin order. */
export function pinnedRelated(db: Db, articleId: number): Promise<ArticleListRow[]> {
  return publishedWithSection(db)
    .innerJoin('related_pins as rp', 'rp.related_article_id', 'a.id')
    .where('rp.article_id', '=', articleId)
    .where('a.id', '!=', articleId)
    .orderBy('rp.position')
    .execute();
}

/** Articles that pin the given one (any status). */
export async function pinnedBy(db: Db, relatedId: number): Promise<number[]> {
  const rows = await db.selectFrom('related_pins').select('article_id').where('related_article_id', '=', relatedId).execute();
  return rows.map((r) => r.article_id);
}

/**
 * Articles whose page may list this one among its translations (any status, itself included): the
 * group it belongs to (its original and that original's translations) and its own translations.
 */
export async function translationGroup(db: Db, articleId: number): Promise<number[]> {
  const row = await db.selectFrom('articles').select(['id', 'translation_of']).where('id', '=', articleId).executeTakeFirst();
  if (!row) return [];
  const ends = [row.id, row.translation_of ?? row.id];
  const rows = await db
    .selectFrom('articles')
    .select('id')
    .where((eb) => eb.or([eb('id', 'in', ends), eb('translation_of', 'in', ends)]))
    .execute();
  return rows.map((r) => r.id);
}

export function findBySlugInSection(db: Db, sectionId: number, slug: string) {
  return db.selectFrom('articles').select(['id']).where('section_id', '=', sectionId).where('slug', '=', slug).executeTakeFirst();
}

/** The section of an existing article (throws when there is no such article). */
export async function sectionIdOf(db: Db, id: number): Promise<number> {
  const row = await db.selectFrom('articles').select('section_id').where('id', '=', id).executeTakeFirstOrThrow();
  return row.section_id;
}

/** What a change to an article needs to know of it before the write. */
export function changeFactsOf(db: Db, id: number) {
  return db.selectFrom('articles').select(['id', 'slug', 'status', 'language', 'published_at', 'body_format', 'section_id']).where('id', '=', id).executeTakeFirst();
}

/** Writes the given columns of one article (the newsroom's workflow writes through this too). */
export async function updateArticleRow(db: Db, id: number, changes: ArticleUpdate): Promise<void> {
  await db.updateTable('articles').set(changes).where('id', '=', id).execute();
}

export async function insertArticle(db: Db, row: NewArticleRow): Promise<number> {
  const inserted = await db.insertInto('articles').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Rows per multi-row INSERT of articles: bodies are long, and each row binds about twenty values. */
const INSERT_CHUNK = 100;

/** Inserts new articles, a statement per chunk; returns their ids in the order given. */
export async function insertArticles(db: Db, rows: readonly NewArticleRow[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    // RETURNING does not promise the order of the rows: match them by their (section, slug), which is unique.
    const made = await db.insertInto('articles').values(chunk).returning(['id', 'section_id', 'slug']).execute();
    const byAddress = new Map(made.map((r) => [`${r.section_id}/${r.slug}`, r.id]));
    for (const r of chunk) ids.push(byAddress.get(`${r.section_id}/${r.slug}`)!);
  }
  return ids;
}

/** Which of these addresses (a section's id and a slug) are taken, as "sectionId/slug". */
export async function takenSlugs(db: Db, addresses: readonly { sectionId: number; slug: string }[]): Promise<Set<string>> {
  if (!addresses.length) return new Set();
  // Both lists, so the (section, slug) unique index answers: slugs alone would read every article.
  const rows = await db
    .selectFrom('articles')
    .select(['section_id', 'slug'])
    .where('section_id', 'in', [...new Set(addresses.map((a) => a.sectionId))])
    .where('slug', 'in', [...new Set(addresses.map((a) => a.slug))])
    .execute();
  return new Set(rows.map((r) => `${r.section_id}/${r.slug}`));
}

/** Authors, tags and sources of new articles (which have none yet), one statement per table. */
export async function insertRelations(
  db: Db,
  relations: readonly { articleId: number; personIds: readonly number[]; tagIds: readonly number[]; sources: readonly NewSource[] }[],
): Promise<void> {
  const authors = relations.flatMap((r) => r.personIds.map((person_id, position) => ({ article_id: r.articleId, person_id, position })));
  const tags = relations.flatMap((r) => [...new Set(r.tagIds)].map((tag_id) => ({ article_id: r.articleId, tag_id })));
  const sources = relations.flatMap((r) =>
    r.sources.map((s, position) => ({ article_id: r.articleId, position, name: s.name, description: s.description, url: s.url, kind: s.kind, role: s.role, document_id: s.documentId, relays: s.relays ?? null })),
  );
  for (let i = 0; i < authors.length; i += 1000) await db.insertInto('article_authors').values(authors.slice(i, i + 1000)).execute();
  for (let i = 0; i < tags.length; i += 1000) await db.insertInto('article_tags').values(tags.slice(i, i + 1000)).execute();
  for (let i = 0; i < sources.length; i += 500) await db.insertInto('sources').values(sources.slice(i, i + 500)).execute();
}

export async function setAuthors(db: Db, articleId: number, personIds: readonly number[]): Promise<void> {
  await db.deleteFrom('article_authors').where('article_id', '=', articleId).execute();
  if (personIds.length)
    await db
      .insertInto('article_authors')
      .values(personIds.map((person_id, position) => ({ article_id: articleId, person_id, position })))
      .execute();
}

export async function setTags(db: Db, articleId: number, tagIds: readonly number[]): Promise<void> {
  await db.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  if (tagIds.length)
    await db
      .insertInto('article_tags')
      .values(tagIds.map((tag_id) => ({ article_id: articleId, tag_id })))
      .execute();
}

export interface NewSource {
  name: string;
  description: string;
  url: string | null;
  kind: SourceKind;
  role: SourceRole;
  documentId: number | null;
  /** Position of the source (same article) this one relays. */
  relays?: number | null;
}

export async function setSources(db: Db, articleId: number, sources: readonly NewSource[]): Promise<void> {
  await db.deleteFrom('sources').where('article_id', '=', articleId).execute();
  if (sources.length)
    await db
      .insertInto('sources')
      .values(
        sources.map((s, position) => ({
          article_id: articleId,
          position,
          name: s.name,
          description: s.description,
          url: s.url,
          kind: s.kind,
          role: s.role,
          document_id: s.documentId,
          relays: s.relays ?? null,
        })),
      )
      .execute();
}

export async function setPins(db: Db, articleId: number, relatedIds: readonly number[]): Promise<void> {
  await db.deleteFrom('related_pins').where('article_id', '=', articleId).execute();
  if (relatedIds.length)
    await db
      .insertInto('related_pins')
      .values(relatedIds.map((related_article_id, position) => ({ article_id: articleId, related_article_id, position })))
      .execute();
}

export type { ArticleRow };

// What other capabilities ask of articles (through article.lookups.ts).

/** The text an article is indexed by, with what search filters on; drafts included (the index skips them). */
function textColumns(db: Db) {
  return db.selectFrom('articles').select(['id', 'status', 'headline', 'subtitle', 'body_text', 'section_id', 'language', 'published_at']);
}
export type ArticleTextRow = Awaited<ReturnType<ReturnType<typeof textColumns>['executeTakeFirstOrThrow']>>;

/** The plain text of these articles' bodies (search snippets), drafts included; unknown ids left out. */
export function bodyTextsOf(db: Db, ids: readonly number[]): Promise<{ id: number; body_text: string }[]> {
  return ids.length ? bodyTextRows(db, ids) : Promise.resolve([]);
}

const bodyTextRows = reusableListQuery((db, ids) => db.selectFrom('articles').select(['id', 'body_text']).where('id', 'in', ids));

export function articleTexts(db: Db, ids: readonly number[]): Promise<ArticleTextRow[]> {
  return ids.length ? textColumns(db).where('id', 'in', ids).execute() : Promise.resolve([]);
}

export function publishedTextsAfter(db: Db, afterId: number, limit: number): Promise<ArticleTextRow[]> {
  return textColumns(db).where('status', '=', 'published').where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

/** Tag names of each article, keyed by article id, in name order. */
export async function tagNamesOf(db: Db, articleIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!articleIds.length) return out;
  const rows = await db
    .selectFrom('article_tags as at')
    .innerJoin('tags as t', 't.id', 'at.tag_id')
    .where('at.article_id', 'in', articleIds)
    .select(['at.article_id', 't.name'])
    .orderBy('t.name')
    .execute();
  for (const r of rows) out.set(r.article_id, [...(out.get(r.article_id) ?? []), r.name]);
  return out;
}

export function facts(db: Db, id: number) {
  return db.selectFrom('articles').select(['id', 'section_id', 'published_at', 'status']).where('id', '=', id).executeTakeFirst();
}

export function factsOf(db: Db, ids: readonly number[]) {
  return ids.length ? db.selectFrom('articles').select(['id', 'section_id', 'published_at', 'status']).where('id', 'in', ids).execute() : Promise.resolve([]);
}

export async function publishedIdsAfter(db: Db, afterId: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('articles').select('id').where('status', '=', 'published').where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

export function feedExtras(db: Db, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('articles').select(['id', 'body_html', 'created_at']).where('id', 'in', ids).execute();
}

/** A published article as the comment pipeline needs it, by id or by address. */
function commentTargets(db: Db) {
  return db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .where('a.status', '=', 'published')
    .select(['a.id', 'a.slug', 'a.language', 'a.headline', 'a.published_at', 'a.comments_open', 's.slug as section_slug']);
}
export type CommentTargetRow = Awaited<ReturnType<ReturnType<typeof commentTargets>['executeTakeFirstOrThrow']>>;

export async function commentTargetById(db: Db, id: number): Promise<CommentTargetRow | undefined> {
  return (await commentTargetRows(db, id))[0];
}

/** Every comment posted and every reader's form token reads this: compiled once, a named statement on PostgreSQL (decision 0057). */
const commentTargetRows = reusableQuery((db, id: number) => commentTargets(db).where('a.id', '=', id));

export function commentTargetAt(db: Db, sectionSlug: string, slug: string): Promise<CommentTargetRow | undefined> {
  return commentTargets(db).where('s.slug', '=', sectionSlug).where('a.slug', '=', slug).executeTakeFirst();
}

export async function setCommentsOpen(db: Db, articleId: number, open: boolean): Promise<void> {
  await db.updateTable('articles').set({ comments_open: open ? 1 : 0 }).where('id', '=', articleId).execute();
}

/** Addresses of any articles (drafts too), for editors' lists. */
export function addressesOf(db: Db, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('articles as a').innerJoin('sections as s', 's.id', 'a.section_id').where('a.id', 'in', ids).select(['a.id', 'a.slug', 's.slug as section_slug']).execute();
}

export function idAt(db: Db, sectionSlug: string, slug: string) {
  return db.selectFrom('articles as a').innerJoin('sections as s', 's.id', 'a.section_id').where('s.slug', '=', sectionSlug).where('a.slug', '=', slug).select('a.id').executeTakeFirst();
}

export async function anyArticle(db: Db): Promise<boolean> {
  return Boolean(await db.selectFrom('articles').select('id').limit(1).executeTakeFirst());
}

export async function documentCitedByPublished(db: Db, documentId: number): Promise<boolean> {
  const row = await db
    .selectFrom('sources as src')
    .innerJoin('articles as a', 'a.id', 'src.article_id')
    .select('src.id')
    .where('src.document_id', '=', documentId)
    .where('a.status', '=', 'published')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Addresses of the published articles among `ids`. */
export function publishedAddressesOf(db: Db, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .where('a.id', 'in', ids)
    .where('a.status', '=', 'published')
    .select(['a.id', 'a.slug', 's.slug as section_slug'])
    .execute();
}

/** The bodies as written (any status), by id. */
export function bodiesOf(db: Db, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('articles').where('id', 'in', ids).select(['id', 'body', 'body_format']).execute();
}

/** What replacing a body needs to know of the article. */
export function bodyFactsOf(db: Db, id: number) {
  return db.selectFrom('articles').where('id', '=', id).select(['language', 'body_format', 'body_text']).executeTakeFirst();
}

/** An article's lead picture as stored: a library picture's id, or an address with its alt text. */
export function leadImageOf(db: Db, id: number) {
  return db.selectFrom('articles').where('id', '=', id).select(['lead_image_id', 'image_url', 'image_alt']).executeTakeFirst();
}

/** Stores a new lead picture; any crop of the one before goes with it. */
export async function setLeadImage(db: Db, id: number, lead: { imageId: number | null; url: string | null; alt: string }): Promise<void> {
  await db.updateTable('articles').set({ lead_image_id: lead.imageId, lead_image_crop: null, image_url: lead.url, image_alt: lead.alt }).where('id', '=', id).execute();
}

/** Stores a body and what was derived from it. */
export async function setBody(db: Db, id: number, body: { source: string; html: string; text: string; words: number }, at: string): Promise<void> {
  await db.updateTable('articles').set({ body: body.source, body_html: body.html, body_text: body.text, word_count: body.words, updated_at: at }).where('id', '=', id).execute();
}

// --- library images an article shows (article_images, and the lead image's column) -------------------

/** Replaces the record of which library images an article's body shows. */
export async function replaceBodyImages(db: Db, articleId: number, imageIds: readonly number[]): Promise<void> {
  await db.deleteFrom('article_images').where('article_id', '=', articleId).execute();
  if (imageIds.length) await db.insertInto('article_images').values(imageIds.map((image_id) => ({ article_id: articleId, image_id }))).execute();
}

/** The body images recorded for these articles. */
export async function bodyImageRows(db: Db, articleIds: readonly number[]): Promise<{ articleId: number; imageId: number }[]> {
  const rows = await db.selectFrom('article_images').select(['article_id', 'image_id']).where('article_id', 'in', [...articleIds]).execute();
  return rows.map((r) => ({ articleId: Number(r.article_id), imageId: Number(r.image_id) }));
}

/** The articles that show a library image, as their lead image and in their body. */
export async function articlesShowingImage(db: Db, imageId: number): Promise<Record<'lead' | 'body', { id: number; headline: string; status: ArticleStatus }[]>> {
  const lead = await db.selectFrom('articles').select(['id', 'headline', 'status']).where('lead_image_id', '=', imageId).execute();
  const body = await db
    .selectFrom('article_images')
    .innerJoin('articles', 'articles.id', 'article_images.article_id')
    .select(['articles.id', 'articles.headline', 'articles.status'])
    .where('article_images.image_id', '=', imageId)
    .execute();
  return { lead, body };
}

/** The stored crops (JSON) of the articles whose lead image this is. */
export async function leadImageCrops(db: Db, imageId: number): Promise<string[]> {
  const rows = await db.selectFrom('articles').select('lead_image_crop').where('lead_image_id', '=', imageId).where('lead_image_crop', 'is not', null).execute();
  return rows.flatMap((r) => (r.lead_image_crop === null ? [] : [r.lead_image_crop]));
}
