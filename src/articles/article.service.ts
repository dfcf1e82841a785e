// Article domain logic: reading articles and listings as view models, and writing an article with its
// authors, tags, sources and pins in one transaction. No Fastify here: the CLI uses it too.
import { z } from 'zod';
import { EVERYTHING, type ChangeKey, type Store, type Db } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import type { NewArticleRow, SourceKind, SourceRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { excerpt } from '../lib/excerpt.ts';
import { BODY_FORMATS, deriveBody } from './article.body.ts';
import { isSlug, slugify } from '../lib/slug.ts';
import { articlePath, personPath, sectionPath, tagPath } from '../lib/paths.ts';
import { findSection, findSectionById, findSections } from '../sections/section.service.ts';
import { findPeople, findPerson } from '../people/person.service.ts';
import { ensureTag, ensureTags } from '../tags/tag.service.ts';
import { documentExists, downloadName, recordDocument } from '../documents/document.service.ts';
import { indexArticle, indexDocument } from '../search/indexing.ts';
import { articleTexts } from './article.lookups.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { computeRelatedLists, relatedAfterChange, relatedIds } from '../related/related.service.ts';
import { bodyImagesToRecord, checkLeadImage, cropBoxSchema, recordBodyImages } from './article.images.ts';
import * as repo from './article.repository.ts';
import { bodyImagesOf, parseCrop } from './article.images.ts';
import { bodyPictures, imageViews, type ImageView } from '../media/image.service.ts';
import { recordArticleChange } from '../webhooks/webhook.events.ts';
import { translationsOfGroup as translationGroup, type Translation } from './article.addresses.ts';
import { seoDescriptionField, seoTitleField } from './article.seo.ts';

export const EXCERPT_CHARS = 120;

export interface SectionRef {
  slug: string;
  name: string;
  path: string;
}
export interface PersonRef {
  slug: string;
  name: string;
  path: string;
}
export interface TagRef {
  slug: string;
  name: string;
  path: string;
}
export interface Source {
  name: string;
  description: string;
  url: string | null;
  kind: SourceKind;
  role: SourceRole;
  document: {
    title: string;
    sha256: string | null;
    held: boolean;
    /** Where readers download a held file, with its media type and size. */
    download: { path: string; mediaType: string; sizeBytes: number } | null;
  } | null;
}

/** An article as a listing or "Check Also" box shows it. */
export interface ArticleCard {
  id: number;
  path: string;
  language: string;
  headline: string;
  subtitle: string;
  excerpt: string;
  section: SectionRef;
  authors: PersonRef[];
  imageUrl: string | null;
  imageAlt: string;
  /** The library picture the article leads with (its page shows `picture` with the article's crop, cards `card`), or null. */
  leadImage: ImageView | null;
  publishedAt: string;
  updatedAt: string;
  /** Approved reader comments. */
  commentCount: number;
  /** The search and social title and description an editor set, or '' (decision 0033). */
  seoTitle: string;
  seoDescription: string;
  /** An editor pinned it to the home page, which lists it first. */
  pinned: boolean;
}

/** An article as its own page shows it. */
export interface Article extends ArticleCard {
  bodyHtml: string;
  wordCount: number;
  tags: TagRef[];
  sources: Source[];
  related: ArticleCard | null;
  /** The article's language versions, itself included; empty when it has none (hreflang links). */
  translations: Translation[];
  commentsOpen: boolean;
  /** What the page shows from the store, as change keys (site chrome aside; see src/db/change-keys.ts). */
  keys: ChangeKey[];
}

export interface Page<T> {
  items: T[];
  page: number;
  pageCount: number;
  total: number;
}

/** The lead pictures of these rows, with each article's crop, in one query. */
function leadImagesOf(db: Db, rows: readonly repo.ArticleListRow[]): Promise<Map<number, ImageView>> {
  const wanted = rows.filter((r) => r.lead_image_id !== null).map((r) => ({ id: Number(r.lead_image_id), crop: parseCrop(r.lead_image_crop) }));
  return wanted.length ? imageViews(db, wanted) : Promise.resolve(new Map());
}

/** A card's row: every card row comes with its byline and comment count (decision 0079). */
type CardRow = repo.ArticleCardRow;

/** Cards of these rows; only their lead pictures, when they have any, take a query. */
async function toCards(db: Db, rows: readonly CardRow[]): Promise<ArticleCard[]> {
  const images = await leadImagesOf(db, rows);
  return rows.map((r) => ({
    id: r.id,
    path: articlePath(r.section_slug, r.slug),
    language: r.language,
    headline: r.headline,
    subtitle: r.subtitle,
    excerpt: excerpt(r.summary || r.lead, EXCERPT_CHARS, r.language),
    section: { slug: r.section_slug, name: r.section_name, path: sectionPath(r.section_slug) },
    authors: r.authors.map((a) => ({ slug: a.slug, name: a.name, path: personPath(a.slug) })),
    imageUrl: r.image_url,
    imageAlt: r.image_alt,
    leadImage: r.lead_image_id === null ? null : (images.get(Number(r.lead_image_id)) ?? null),
    publishedAt: r.published_at ?? r.updated_at,
    updatedAt: r.updated_at,
    commentCount: r.comments,
    seoTitle: r.seo_title,
    seoDescription: r.seo_description,
    pinned: r.home_pinned === 1,
  }));
}

/**
 * What a card shows from the store, as change keys: the article, its comment count, its authors'
 * names (the home page's lead shows them) and its lead picture. The section's name is in every page's
 * navigation (`sections`).
 */
export function cardKeys(card: ArticleCard): ChangeKey[] {
  return [key.article(card.id), key.comments(card.id), ...(card.authors.length ? [key.people] : []), ...(card.leadImage ? [key.image(card.leadImage.id)] : [])];
}

/** Published articles as cards, in the order of the ids given; unknown and unpublished ids are skipped. */
export async function cardsFor(db: Db, ids: readonly number[]): Promise<ArticleCard[]> {
  return toCards(db, await repo.findPublishedByIds(db, ids));
}

/**
 * The "Check Also" article: an editor's pin when there is one, otherwise the most similar published
 * article by content (src/related/), otherwise the newest other published article of the same section,
 * otherwise the newest other published article. With it, the change keys that could change the pick:
 * a write to a pinned or listed article announces the articles pinning or listing it (see
 * articleWriteKeys), `related` is announced when every list is recomputed, and the fallbacks change
 * with their section's listing or with any article.
 */
async function relatedFor(store: Store, db: Db, row: repo.ArticlePageRow): Promise<{ pick: CardRow | undefined; keys: ChangeKey[] }> {
  const keys: ChangeKey[] = [];
  // The pins and the stored list came with the article's row (decision 0077). A list is computed (and
  // written) only when no pin is published and none is stored.
  const stored = row.listed;
  const pins = row.pins.map((p) => p.id).filter((id) => id !== row.id);
  const listed = (stored ?? []).filter((id) => id !== row.id);
  const candidates = [...new Set([...pins, ...listed])];
  // The first candidate is nearly always the pick, and the row came with its card (decision 0078; the
  // SQL picks it as this code does, so the two agree). Should they not, or should that article not be
  // published, the candidates' card rows are read in turn.
  const ahead = candidates[0];
  const known = row.ahead !== null && row.ahead.id === ahead ? row.ahead : undefined;
  const first = known?.status === 'published' ? known : await firstPublished(db, candidates);
  let pick: CardRow | undefined = first && pins.includes(first.id) ? first : undefined;
  if (!pick) {
    keys.push(key.related);
    pick = first;
    if (!pick && stored === null) {
      const computed = (await relatedIds(store, db, row.id)).filter((id) => id !== row.id);
      pick = await firstPublished(db, computed);
    }
  }
  if (!pick) {
    keys.push(key.section(row.section_id));
    pick = (await repo.listPublished(db, { sectionId: row.section_id, excludeIds: [row.id] }, 1, 0))[0];
  }
  if (!pick) {
    keys.push(key.articles);
    pick = (await repo.listPublished(db, { excludeIds: [row.id] }, 1, 0))[0];
  }
  return { pick, keys };
}

/**
 * The first published article among these ids, in their order, as a card row. The first is read
 * alone: it is nearly always published, and a card row is long (the plain text it cuts the excerpt from
 * comes after the bodies): reading the whole list (five articles as a rule) to show one cost four such
 * rows per page.
 */
async function firstPublished(db: Db, ids: readonly number[]): Promise<CardRow | undefined> {
  if (!ids.length) return undefined;
  return (await repo.findPublishedCard(db, ids[0]!)) ?? (await repo.findPublishedByIds(db, ids.slice(1)))[0];
}

/** The published article at /<section>/<slug>, or a not_found error. */
export async function getArticle(store: Store, sectionSlug: string, slug: string): Promise<Article> {
  return articleOf(store, await findArticle(store, sectionSlug, slug));
}

/**
 * A published article found at its address, with what its own row says: enough for the parts of its
 * page that need nothing else (the comment section), which can then be read beside the rest of the
 * article (articleOf) rather than after it.
 */
export interface FoundArticle {
  id: number;
  path: string;
  language: string;
  commentsOpen: boolean;
  publishedAt: string;
  /** Its approved comments and threads, read with its row (decision 0078). */
  commentTotals: { comments: number; threads: number };
  row: repo.ArticlePageRow;
}

/** The published article at /<section>/<slug> as found (one query), or a not_found error. */
export async function findArticle(store: Store, sectionSlug: string, slug: string): Promise<FoundArticle> {
  const row = await repo.findPublishedPage(store.db, sectionSlug, slug);
  if (!row) throw new AppError('not_found', 'No published article has this address.');
  return {
    id: row.id,
    path: articlePath(row.section_slug, row.slug),
    language: row.language,
    commentsOpen: row.comments_open === 1,
    publishedAt: row.published_at ?? row.updated_at,
    commentTotals: row.commentTotals,
    row,
  };
}

/** The whole article, as its page shows it, of an article found by findArticle. */
export function articleOf(store: Store, found: FoundArticle): Promise<Article> {
  return articleFromRow(store, found.row);
}

/**
 * Any article, whatever its status, as its page would show it once published: for editors' previews
 * (the caller checks who may see it). Not cached, and its keys are not recorded anywhere.
 */
export async function previewArticle(store: Store, id: number): Promise<Article> {
  const row = await repo.findForPreview(store.db, id);
  if (!row) throw new AppError('not_found', `There is no article with id ${id}.`);
  return articleFromRow(store, row);
}

async function articleFromRow(store: Store, row: repo.ArticlePageRow): Promise<Article> {
  const { db } = store;
  const group = row.translation_of ?? (row.translated ? row.id : null);
  const { tags, sources } = row;
  const [related, translations, bodyImages] = await Promise.all([
    relatedFor(store, db, row),
    group === null ? [] : translationGroup(db, group),
    // Only a body written with library pictures names one (data-media-id): others skip the query.
    row.body_html.includes('data-media-id') ? bodyImagesOf(db, [row.id]) : new Map<number, number[]>(),
  ]);
  const bodyIds = bodyImages.get(row.id) ?? [];
  // The article's card and its "Check Also" card in one pass (lead pictures; both rows came with their
  // authors and comment counts), beside the pictures its body shows.
  const own: CardRow = { ...row, comments: row.commentTotals.comments };
  const [[card, relatedCard], bodyViews] = await Promise.all([
    toCards(db, related.pick ? [own, related.pick] : [own]),
    bodyIds.length ? imageViews(db, bodyIds.map((id) => ({ id }))) : new Map<number, ImageView>(),
  ]);
  return {
    ...card!,
    bodyHtml: bodyIds.length ? bodyPictures(row.body_html, bodyViews) : row.body_html,
    wordCount: row.word_count,
    tags: tags.map((t) => ({ slug: t.slug, name: t.name, path: tagPath(t.slug) })),
    sources: sources.map((s) => ({
      name: s.name,
      description: s.description,
      url: s.url,
      kind: s.kind,
      role: s.role,
      document: s.document_id !== null ? sourceDocument(s) : null,
    })),
    related: relatedCard ?? null,
    translations,
    commentsOpen: row.comments_open === 1,
    // Its translations need no key of their own: a write to any article of a translation group
    // announces every article of the group (articleWriteKeys).
    keys: [...cardKeys(card!), ...(tags.length ? [key.tags] : []), ...related.keys, ...(relatedCard ? cardKeys(relatedCard) : []), ...bodyIds.map((id) => key.image(id))],
  };
}

/** The address of the published article at /<section>/<slug>, or null (a cheap existence check for redirects). */
export async function publishedArticlePath(db: Db, sectionSlug: string, slug: string): Promise<string | null> {
  const row = await repo.findPublished(db, sectionSlug, slug);
  return row ? articlePath(row.section_slug, row.slug) : null;
}

/**
 * One page of published articles matching the filter, newest first. The count and the page's rows are
 * read together (a page past the end finds no rows and costs no card read), so a listing waits on two
 * rounds: the count beside the ids, then the cards.
 */
export async function listArticles(db: Db, filter: repo.ListFilter, page: number, perPage: number): Promise<Page<ArticleCard>> {
  const [total, rows] = await Promise.all([repo.countPublished(db, filter), repo.listPublished(db, filter, perPage, (page - 1) * perPage)]);
  const pageCount = Math.max(1, Math.ceil(total / perPage));
  if (page > pageCount) throw new AppError('not_found', `There is no page ${page}; the last page is ${pageCount}.`);
  return { items: await toCards(db, rows), page, pageCount, total };
}

/** A card with its tags, as the Content API lists articles. */
export interface ArticleListing extends ArticleCard {
  tags: TagRef[];
}

/** One page of a walk through published articles, the position after its last, and what it shows as change keys. */
export interface ArticleWalk {
  items: ArticleListing[];
  next: { value: string; id: number } | null;
  keys: ChangeKey[];
}

/**
 * A page of published articles in (time, id) order after a position (keyset pagination, for the Content
 * API's cursors): no count and no offset, so a page deep in the archive costs what the first does, and an
 * article published during a walk never shifts the pages after the position.
 */
export async function walkArticles(
  db: Db,
  filter: repo.WalkFilter,
  order: { column: repo.WalkColumn; descending: boolean },
  after: { value: string; id: number } | null,
  limit: number,
): Promise<ArticleWalk> {
  const found = await repo.walkPublishedIds(db, filter, order, after, limit + 1);
  const page = found.slice(0, limit);
  const [cards, tags] = await Promise.all([cardsFor(db, page.map((r) => r.id)), repo.tagsOf(db, page.map((r) => r.id))]);
  const items = cards.map((card) => ({
    ...card,
    tags: tags.filter((t) => t.article_id === card.id).map((t) => ({ slug: t.slug, name: t.name, path: tagPath(t.slug) })),
  }));
  const last = page[page.length - 1];
  const keys = [key.articles, ...(tags.length ? [key.tags] : []), ...items.flatMap(cardKeys)];
  return { items, next: found.length > limit && last ? { value: last.value, id: last.id } : null, keys };
}

/** The published article with this id, as its page shows it, or a not_found error. */
export async function getPublishedArticleById(store: Store, id: number): Promise<Article> {
  const row = await repo.findPublishedPageById(store.db, id);
  if (!row) throw new AppError('not_found', `No published article has the id ${id}.`);
  return articleFromRow(store, row);
}

// ---- writing ----------------------------------------------------------------------------------

const isoDate = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date-time, e.g. 2022-01-10T09:30:00Z' });
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http or https URL' })
  .max(2000, 'expected a URL of at most 2000 characters');
const language = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as en, ar or fa');

/** The people bylined, by slug, in byline order; an unknown slug is refused on the `authors` field. */
export async function authorIds(db: Db, slugs: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const slug of slugs) {
    const person = await findPerson(db, slug);
    if (!person) throw new AppError('invalid_input', `There is no author "${slug}".`, { authors: `unknown author "${slug}"` });
    ids.push(person.id);
  }
  return ids;
}

/** The articles pinned as "Check Also", by `section/slug`; neither an unknown one nor the article itself. */
export async function pinnedArticleIds(db: Db, refs: readonly string[], selfId: number | null): Promise<number[]> {
  const ids: number[] = [];
  for (const ref of refs) {
    const [sectionSlug = '', articleSlug = ''] = ref.split('/');
    const target = await findSection(db, sectionSlug);
    const found = target && (await repo.findBySlugInSection(db, target.id, articleSlug));
    if (!found || found.id === selfId) throw new AppError('invalid_input', `Cannot pin "${ref}": no such other article.`, { pins: 'choose another existing article' });
    ids.push(found.id);
  }
  return ids;
}

/** A stored document's id for the source at this position, or a refusal naming that source's field. */
export async function ensureDocument(db: Db, id: number, position: number): Promise<number> {
  if (!(await documentExists(db, id))) throw new AppError('invalid_input', `Source ${position + 1} cites a document that does not exist.`, { [`sources.${position}.document`]: 'choose one of the documents listed' });
  return id;
}

/** What a source's document shows readers: a held file gets its download address, type and size. */
function sourceDocument(s: { document_id: number | null; name: string; document_title: string | null; document_sha256: string | null; document_file: string | null; document_media_type: string | null; document_file_name: string | null; document_size: number | null }): NonNullable<Source['document']> {
  const held = s.document_file !== null;
  const id = Number(s.document_id);
  return {
    title: s.document_title ?? s.name,
    sha256: s.document_sha256,
    held,
    download: held && s.document_media_type ? { path: `/documents/${id}/${downloadName(s.document_file_name ?? '', id)}`, mediaType: s.document_media_type, sizeBytes: Number(s.document_size ?? 0) } : null,
  };
}

export const sourceInput = z.object({
  name: z.string().trim().min(1, 'a source needs a name').max(300),
  description: z.string().trim().max(500).default(''),
  url: httpUrl.nullable().default(null),
  kind: z.enum(['outlet', 'agency', 'document', 'person']),
  role: z.enum(['reported', 'relayed', 'quoted', 'obtained']),
  document: z
    .object({
      title: z.string().trim().min(1).max(500),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits').nullable().default(null),
      filePath: z.string().min(1).nullable().default(null),
      mediaType: z.string().min(1).nullable().default(null),
    })
    .nullable()
    .default(null),
  /** The position, in the same article's list, of the source this one relays. */
  relays: z.number().int().min(0, 'expected the number of another source').max(99).nullable().default(null),
  /** A document already stored (an upload): its id; checked to exist when the article is written. */
  documentId: z.number().int().positive().max(2147483647).nullable().default(null),
});

export const articleInput = z.object({
  section: z.string().refine(isSlug, 'expected the slug of an existing section'),
  slug: z.string().refine(isSlug, 'expected lower-case words joined by hyphens').optional(),
  language: language.default('en'),
  headline: z.string().trim().min(1, 'a headline is required').max(300, 'expected at most 300 characters'),
  subtitle: z.string().trim().max(500).default(''),
  summary: z.string().trim().max(1000).default(''),
  body: z.string().max(500_000, 'expected a body of at most 500,000 characters').default(''),
  /** Markdown, or HTML from the admin's body editor (cleaned when stored: decision 0021). */
  bodyFormat: z.enum(BODY_FORMATS, 'expected markdown or html').default('markdown'),
  imageUrl: httpUrl.nullable().default(null),
  imageAlt: z.string().max(500).default(''),
  /** The lead image from the media library (it needs alt text or to be marked decorative), and this article's crop. */
  leadImageId: z.number().int().positive().nullable().default(null),
  leadImageCrop: cropBoxSchema.nullable().default(null),
  authors: z.array(z.string().refine(isSlug)).default([]),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  sources: z.array(sourceInput).max(100).default([]),
  /** Related articles an editor pins, as "section/slug". */
  pins: z.array(z.string().regex(/^[^/]+\/[^/]+$/, 'expected section/slug')).max(10).default([]),
  /** The article this one translates, as "section/slug" (becomes hreflang alternates). */
  translationOf: z.string().regex(/^[^/]+\/[^/]+$/, 'expected section/slug').optional(),
  status: z.enum(['draft', 'published']).default('published'),
  publishedAt: isoDate.optional(),
  updatedAt: isoDate.optional(),
  commentsOpen: z.boolean().default(true),
  /** The search and social title and description (decision 0033); empty: the headline and subtitle or excerpt. */
  seoTitle: seoTitleField.default(''),
  seoDescription: seoDescriptionField.default(''),
  /** Pinned to the home page (a WordPress sticky post, for an import). */
  homePinned: z.boolean().default(false),
});
export type ArticleInput = z.input<typeof articleInput>;

/** Parses service input, or throws invalid_input naming each bad field and what it expected. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, problem: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'article', i.message]));
  throw new AppError('invalid_input', `${problem}: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ')}`, fields);
}

/**
 * Gives the article exactly these tags, creating the ones that do not exist yet. A tag written with
 * another spelling (same slug) is renamed to it, which changes every page showing the tag: `renamed`.
 */
export async function saveTags(db: Db, articleId: number, names: readonly string[]): Promise<{ renamed: boolean }> {
  const tagIds: number[] = [];
  let renamed = false;
  for (const name of new Set(names)) {
    const tag = await ensureTag(db, tagSlug(name), name);
    if (tag.renamed) renamed = true;
    tagIds.push(tag.id);
  }
  await repo.setTags(db, articleId, [...new Set(tagIds)]);
  return { renamed };
}

/**
 * What a write to an article changed, as change keys, read inside its transaction after the write:
 * the article and every listing, feed and sitemap that may show it, its section, tags and authors,
 * the articles whose "Check Also" may show it (they pin it, or their computed list changed), and the
 * articles of its translation group (their pages link to it). `also` adds what only the caller knows
 * (tags it no longer has, a renamed tag). A draft's write announces the same although no public page
 * shows a draft: simpler, and what it drops is rendered again once.
 */
export async function articleWriteKeys(db: Db, id: number, checkAlsoChanged: readonly number[], also: readonly ChangeKey[]): Promise<ChangeKey[]> {
  const keys = new Set<ChangeKey>([key.article(id), key.articles, key.home, key.feeds, key.sitemaps, key.search, ...also]);
  keys.add(key.section(await repo.sectionIdOf(db, id)));
  for (const t of await repo.tagsOf(db, [id])) keys.add(key.tag(t.id));
  for (const p of await repo.authorsOf(db, [id])) keys.add(key.author(p.id));
  for (const other of [...checkAlsoChanged, ...(await repo.pinnedBy(db, id)), ...(await repo.translationGroup(db, id))]) keys.add(key.article(other));
  return [...keys];
}

function toIso(value: string | undefined, fallback: string): string {
  return value ? new Date(value).toISOString() : fallback;
}

/** The stored row of a validated new article, with what is derived from its body. */
function articleRow(a: ParsedArticle, sectionId: number, slug: string, translationOf: number | null, stamp: string): NewArticleRow {
  const published = a.status === 'published' ? toIso(a.publishedAt, stamp) : null;
  const derived = deriveBody(a.body, a.language, a.bodyFormat);
  return {
    section_id: sectionId,
    slug,
    language: a.language,
    headline: a.headline,
    subtitle: a.subtitle,
    summary: a.summary,
    body: derived.source,
    body_format: a.bodyFormat,
    body_html: derived.html,
    body_text: derived.text,
    word_count: derived.words,
    image_url: a.imageUrl,
    image_alt: a.imageAlt,
    lead_image_id: a.leadImageId,
    lead_image_crop: a.leadImageId !== null && a.leadImageCrop ? JSON.stringify(a.leadImageCrop) : null,
    status: a.status,
    published_at: published,
    // An article published before it was entered (an archive, an import) was made no later than that.
    created_at: published && published < stamp ? published : stamp,
    updated_at: toIso(a.updatedAt, published ?? stamp),
    comments_open: a.commentsOpen ? 1 : 0,
    translation_of: translationOf,
    seo_title: a.seoTitle,
    seo_description: a.seoDescription,
    home_pinned: a.homePinned ? 1 : 0,
  };
}

/** The slug a tag name gets, or invalid_input when it has no letters or digits. */
function tagSlug(name: string): string {
  const slug = slugify(name);
  if (!slug) throw new AppError('invalid_input', `The tag "${name}" has no letters or digits.`, { tags: 'invalid tag' });
  return slug;
}

/** Documents a new article's sources rest on, recorded; the sources as stored. */
async function recordSources(trx: Db, a: ParsedArticle, stamp: string): Promise<repo.NewSource[]> {
  const sources: repo.NewSource[] = [];
  for (const s of a.sources) {
    const documentId = s.document
      ? await recordDocument(trx, { title: s.document.title, filePath: s.document.filePath, mediaType: s.document.mediaType, sha256: s.document.sha256, createdAt: stamp })
      : s.documentId !== null
      ? await ensureDocument(trx, s.documentId, sources.length)
      : null;
    sources.push({ name: s.name, description: s.description, url: s.url, kind: s.kind, role: s.role, documentId, relays: s.relays });
  }
  return sources;
}

/**
 * Stores one validated article with its authors, tags, sources and pins, inside the caller's
 * transaction; the search index and "Check Also" are the caller's to update.
 */
async function storeArticle(trx: Db, a: ParsedArticle, stamp: string): Promise<{ id: number; path: string; renamedTag: boolean }> {
  const section = await findSection(trx, a.section);
  if (!section) throw new AppError('invalid_input', `There is no section "${a.section}".`, { section: 'unknown section' });
  const slug = a.slug ?? slugify(a.headline);
  if (!isSlug(slug)) throw new AppError('invalid_input', 'Cannot make an address from this headline; give a slug.', { slug: 'required' });
  if (await repo.findBySlugInSection(trx, section.id, slug))
    throw new AppError('conflict', `An article at /${section.slug}/${slug} already exists.`, { slug: 'already used' });

  const personIds = await authorIds(trx, a.authors);
  const pinIds = await pinnedArticleIds(trx, a.pins, null);
  await checkLeadImage(trx, a.leadImageId);
  let translationOf: number | null = null;
  if (a.translationOf) {
    const [sectionSlug = '', articleSlug = ''] = a.translationOf.split('/');
    const target = await findSection(trx, sectionSlug);
    const found = target && (await repo.findBySlugInSection(trx, target.id, articleSlug));
    if (!found) throw new AppError('invalid_input', `Cannot mark as a translation of "${a.translationOf}": no such article.`, { translationOf: 'unknown article' });
    translationOf = found.id;
  }

  const row = articleRow(a, section.id, slug, translationOf, stamp);
  const id = await repo.insertArticle(trx, row);
  await recordBodyImages(trx, id, await bodyImagesToRecord(trx, row.body_html ?? ''));
  await repo.setAuthors(trx, id, personIds);
  const { renamed } = await saveTags(trx, id, a.tags);
  await repo.setSources(trx, id, await recordSources(trx, a, stamp));
  await repo.setPins(trx, id, pinIds);
  return { id, path: articlePath(section.slug, slug), renamedTag: renamed };
}

type ParsedArticle = z.output<typeof articleInput>;

/** Validates and stores a new article with its relations; returns its id and path. */
export async function createArticle(store: Store, input: ArticleInput, now = new Date()): Promise<{ id: number; path: string }> {
  const a = parseInput(articleInput, input, 'The article is not valid');
  const stamp = now.toISOString();
  const result = await store.writeTransaction(async (trx) => {
    const { id, path, renamedTag } = await storeArticle(trx, a, stamp);
    await recordArticleChange(trx, id, { from: null, to: a.status }, now);
    // Search and "Check Also" change with the article, in the same transaction.
    await indexArticle(store.search, trx, id);
    const checkAlso = await relatedAfterChange(store.search, trx, id, now);
    const keys = await articleWriteKeys(trx, id, checkAlso, renamedTag ? [key.tags] : []);
    return { id, path, keys };
  });
  store.changes.announce(result.keys);
  return { id: result.id, path: result.path };
}

/** Articles stored per transaction by createArticles. */
const BULK_BATCH = 500;

/**
 * Stores validated new articles that pin nothing and translate nothing (what a bulk load holds) inside
 * the caller's transaction, with storeArticle's checks and messages, in a few statements for the whole
 * batch instead of a dozen per article. The first article that fails a check stops the batch.
 */
async function storeArticleBatch(trx: Db, items: readonly ParsedArticle[], stamp: string): Promise<number[]> {
  const sections = await findSections(trx, items.map((a) => a.section));
  const people = await findPeople(trx, items.flatMap((a) => a.authors));
  const slugs = items.map((a) => a.slug ?? slugify(a.headline));
  const taken = await repo.takenSlugs(
    trx,
    items.flatMap((a, i) => {
      const section = sections.get(a.section);
      return section && isSlug(slugs[i]!) ? [{ sectionId: section.id, slug: slugs[i]! }] : [];
    }),
  );
  for (const a of items) await checkLeadImage(trx, a.leadImageId);
  const rows: NewArticleRow[] = [];
  const links: { personIds: number[]; tags: { slug: string; name: string }[] }[] = [];
  items.forEach((a, i) => {
    const section = sections.get(a.section);
    if (!section) throw new AppError('invalid_input', `There is no section "${a.section}".`, { section: 'unknown section' });
    const slug = slugs[i]!;
    if (!isSlug(slug)) throw new AppError('invalid_input', 'Cannot make an address from this headline; give a slug.', { slug: 'required' });
    if (taken.has(`${section.id}/${slug}`)) throw new AppError('conflict', `An article at /${section.slug}/${slug} already exists.`, { slug: 'already used' });
    taken.add(`${section.id}/${slug}`);
    const personIds = a.authors.map((s) => {
      const p = people.get(s);
      if (!p) throw new AppError('invalid_input', `There is no author "${s}".`, { authors: 'unknown author' });
      return p.id;
    });
    links.push({ personIds, tags: [...new Set(a.tags)].map((name) => ({ slug: tagSlug(name), name })) });
    rows.push(articleRow(a, section.id, slug, null, stamp));
  });
  const ids = await repo.insertArticles(trx, rows);
  const tagIds = await ensureTags(trx, links.flatMap((l) => l.tags));
  const relations = [];
  for (const [i, a] of items.entries()) {
    relations.push({ articleId: ids[i]!, personIds: links[i]!.personIds, tagIds: links[i]!.tags.map((t) => tagIds.get(t.slug)!), sources: await recordSources(trx, a, stamp) });
  }
  await repo.insertRelations(trx, relations);
  for (const [i, row] of rows.entries()) if (row.body_html?.includes('data-media-id')) await recordBodyImages(trx, ids[i]!, await bodyImagesToRecord(trx, row.body_html));
  return ids;
}

/** What createArticles reports as it goes: articles stored, then "Check Also" lists computed. */
export interface BulkProgress {
  stored(done: number): void;
  related?(done: number, total: number): void;
}

/**
 * Stores many articles (a generated corpus, an import) with the same validation as createArticle, a
 * batch per transaction: a few multi-row statements per batch (articles that pin others or translate
 * one go through createArticle's writer, in order), indexed for search in the same transaction. After
 * the last batch the index is compacted and the new articles' "Check Also" lists are computed, so that
 * no reader's first visit pays for them; lists computed before the load are kept (`gazette reindex`
 * recomputes every list). A bad article stops the load with an error naming it; the batches before it
 * stay. Returns the ids, in input order.
 */
export async function createArticles(
  store: Store,
  inputs: Iterable<ArticleInput> | AsyncIterable<ArticleInput>,
  progress: BulkProgress | ((done: number) => void) = () => {},
  now = new Date(),
): Promise<number[]> {
  const report: BulkProgress = typeof progress === 'function' ? { stored: progress } : progress;
  const stamp = now.toISOString();
  const ids: number[] = [];
  let batch: ParsedArticle[] = [];
  const flush = async () => {
    const items = batch;
    batch = [];
    const made = await store.writeTransaction(async (trx) => {
      const out: number[] = [];
      // Runs of plain articles are stored together; one that pins or translates another may refer to
      // an article just before it, so it is stored on its own, in order.
      let run: ParsedArticle[] = [];
      const flushRun = async () => {
        if (run.length) out.push(...(await storeArticleBatch(trx, run, stamp)));
        run = [];
      };
      for (const a of items) {
        if (!a.pins.length && !a.translationOf) run.push(a);
        else {
          await flushRun();
          out.push((await storeArticle(trx, a, stamp)).id);
        }
      }
      await flushRun();
      const texts = (await articleTexts(trx, out)).filter((t) => t.published);
      await store.search.putMany(trx, texts.map(indexDocument));
      return out;
    });
    ids.push(...made);
    report.stored(ids.length);
  };
  for await (const input of inputs) {
    batch.push(parseInput(articleInput, input, `Article ${ids.length + batch.length + 1} is not valid`));
    if (batch.length >= BULK_BATCH) await flush();
  }
  if (batch.length) await flush();
  if (ids.length) {
    await store.search.compact(store.db);
    await refreshArticleStatistics(store);
    await computeRelatedLists(store, ids, report.related, now);
    store.changes.announce([EVERYTHING]);
  }
  return ids;
}

/** The article tables a bulk load fills, whose planner statistics it gathers again afterwards. */
const BULK_LOADED_TABLES = ['articles', 'article_authors', 'article_tags', 'sources'] as const;

/**
 * After a bulk load (a generated corpus, an import), tells the query planner how the article tables
 * grew (decision 0080). On PostgreSQL without it, until autovacuum gets round to them (never, where it
 * is off), an article's page was found by walking its section's published articles instead of its
 * address's key, and statements planned once per pooled connection keep such a plan.
 */
export async function refreshArticleStatistics(store: Store): Promise<void> {
  for (const table of BULK_LOADED_TABLES) await store.refreshPlannerStatistics(store.db, table);
}

export const articleChanges = z
  .object({
    headline: z.string().trim().min(1, 'a headline is required').max(300, 'expected at most 300 characters'),
    subtitle: z.string().trim().max(500),
    summary: z.string().trim().max(1000),
    body: z.string().max(500_000, 'expected a body of at most 500,000 characters'),
    /** The format of `body`; when left out, the article's current format. */
    bodyFormat: z.enum(BODY_FORMATS, 'expected markdown or html'),
    tags: z.array(z.string().trim().min(1).max(100)).max(50),
    status: z.enum(['draft', 'published']),
    seoTitle: seoTitleField,
    seoDescription: seoDescriptionField,
    homePinned: z.boolean(),
  })
  .partial();
export type ArticleChanges = z.input<typeof articleChanges>;

/**
 * Changes the text, tags or status of an existing article; the search index and "Check Also" lists
 * follow in the same transaction. Publishing a draft stamps its publication time.
 */
export async function updateArticle(store: Store, id: number, changes: ArticleChanges, now = new Date()): Promise<{ id: number; path: string }> {
  const c = parseInput(articleChanges, changes, 'The changes are not valid');
  const result = await store.writeTransaction((trx) => applyArticleChanges(trx, store.search, id, c, now));
  store.changes.announce(result.keys);
  return { id: result.id, path: result.path };
}

/**
 * updateArticle's work inside the caller's transaction, on validated changes; returns what changed for the
 * caller to announce after it commits.
 */
async function applyArticleChanges(trx: Db, search: SearchIndex, id: number, c: z.output<typeof articleChanges>, now: Date, touch = true): Promise<{ id: number; path: string; keys: ChangeKey[] }> {
  const stamp = now.toISOString();
  const current = await repo.changeFactsOf(trx, id);
  // The section is the sections capability's: its slug comes from their service (a foreign key keeps it there).
  const section = current && (await findSectionById(trx, current.section_id));
  if (!current || !section) throw new AppError('not_found', `There is no article with id ${id}.`);
  if (c.bodyFormat !== undefined && c.body === undefined) throw new AppError('invalid_input', 'A body format needs the body it describes.', { body: 'required with its format' });
  const format = c.bodyFormat ?? current.body_format;
  const derived = c.body !== undefined ? deriveBody(c.body, current.language, format) : null;
  // Tags it loses change their listings too.
  const also: ChangeKey[] = (await repo.tagsOf(trx, [id])).map((t) => key.tag(t.id));
  await repo.updateArticleRow(trx, id, {
    ...(c.headline !== undefined && { headline: c.headline }),
    ...(c.subtitle !== undefined && { subtitle: c.subtitle }),
    ...(c.summary !== undefined && { summary: c.summary }),
    ...(derived && { body: derived.source, body_format: format, body_html: derived.html, body_text: derived.text, word_count: derived.words }),
    ...(c.status !== undefined && { status: c.status }),
    ...(c.status === 'published' && current.published_at === null && { published_at: stamp }),
    ...(c.seoTitle !== undefined && { seo_title: c.seoTitle }),
    ...(c.seoDescription !== undefined && { seo_description: c.seoDescription }),
    ...(c.homePinned !== undefined && { home_pinned: c.homePinned ? 1 : 0 }),
    ...(touch && { updated_at: stamp }),
  });
  if (c.tags && (await saveTags(trx, id, c.tags)).renamed) also.push(key.tags);
  if (derived) await recordBodyImages(trx, id, await bodyImagesToRecord(trx, derived.html));
  await recordArticleChange(trx, id, { from: current.status, to: c.status ?? current.status }, now);
  await indexArticle(search, trx, id);
  const checkAlso = await relatedAfterChange(search, trx, id, now);
  const keys = await articleWriteKeys(trx, id, checkAlso, also);
  return { id, path: articlePath(section.slug, current.slug), keys };
}

/**
 * For an import that runs in one transaction of its own (src/import/): validates and stores a new article
 * with createArticle's checks, and indexes it for search, inside `trx` (no webhook events, as for a bulk load). The caller announces the change
 * and computes "Check Also" lists after it commits.
 */
export async function createArticleIn(trx: Db, search: SearchIndex, input: ArticleInput, now = new Date()): Promise<{ id: number; path: string }> {
  const a = parseInput(articleInput, input, 'The article is not valid');
  const { id, path } = await storeArticle(trx, a, now.toISOString());
  // Like createArticles' bulk load, an import records no webhook events for the articles it adds.
  await indexArticle(search, trx, id);
  return { id, path };
}

/**
 * For an import: new articles that pin nothing and translate nothing, validated and stored inside the
 * importer's transaction by the bulk writer (a few statements for them all), and indexed for search.
 * Like createArticleIn, no webhook events, and "Check Also" is the caller's to compute after commit.
 * Any refusal (an invalid article, a taken address) throws before the caller's savepoint is released:
 * the caller undoes the batch and writes its articles one by one to learn which one was refused.
 */
export async function createArticlesIn(trx: Db, search: SearchIndex, inputs: readonly ArticleInput[], now = new Date()): Promise<number[]> {
  const parsed = inputs.map((input) => parseInput(articleInput, input, 'The article is not valid'));
  if (parsed.some((a) => a.pins.length || a.translationOf)) throw new Error('createArticlesIn: an article that pins or translates another goes through createArticleIn');
  const ids = await storeArticleBatch(trx, parsed, now.toISOString());
  const texts = (await articleTexts(trx, ids)).filter((t) => t.published);
  await search.putMany(trx, texts.map(indexDocument));
  return ids;
}

/**
 * For an import rewriting the links in articles it wrote (src/import/legacy-links.ts): a new body in the
 * article's format, validated, cleaned and derived like any body, stored inside `trx`. Link addresses are
 * not part of the text, so the search index is written only when the text changed; no revision, event or
 * "Check Also" work (the import's own write did that). The caller announces after commit.
 */
export async function replaceBodyIn(trx: Db, search: SearchIndex, id: number, body: string, now = new Date()): Promise<void> {
  const c = parseInput(articleChanges, { body }, 'The changes are not valid');
  const current = await repo.bodyFactsOf(trx, id);
  if (!current) throw new AppError('not_found', `There is no article with id ${id}.`);
  const derived = deriveBody(c.body ?? body, current.language, current.body_format);
  await repo.setBody(trx, id, derived, now.toISOString());
  if (derived.text !== current.body_text) await indexArticle(search, trx, id);
}

/**
 * For an import: updateArticle's validation and work inside `trx`; the caller announces after commit.
 * `touch: false` keeps the article's update time (an import finishing what it wrote in the same run).
 */
export async function updateArticleIn(trx: Db, search: SearchIndex, id: number, changes: ArticleChanges, now = new Date(), touch = true): Promise<{ id: number; path: string }> {
  const c = parseInput(articleChanges, changes, 'The changes are not valid');
  const { path } = await applyArticleChanges(trx, search, id, c, now, touch);
  return { id, path };
}

/** An article's lead picture: one of the media library, an address on the web with its alt text, or none. */
export type LeadImage = { imageId: number } | { url: string; alt: string } | null;

/**
 * For an import: sets an existing article's lead picture inside `trx`, with the checks an editor's save
 * makes (a library picture must exist and have alt text or be marked decorative; an address must be
 * http(s)). A changed lead drops any crop; the article's update time stays (an archive's dates are kept). The
 * caller announces the change after it commits.
 */
export async function setLeadImageIn(trx: Db, id: number, lead: LeadImage): Promise<{ changed: boolean }> {
  const imageId = lead && 'imageId' in lead ? lead.imageId : null;
  const url = lead && 'url' in lead ? parseInput(httpUrl, lead.url, 'The lead image address is not valid') : null;
  const alt = lead && 'alt' in lead ? lead.alt.slice(0, 500) : '';
  await checkLeadImage(trx, imageId);
  const before = await repo.leadImageOf(trx, id);
  if (!before) throw new AppError('not_found', `There is no article with id ${id}.`);
  const changed = (before.lead_image_id === null ? null : Number(before.lead_image_id)) !== imageId || before.image_url !== url || before.image_alt !== alt;
  if (changed) await repo.setLeadImage(trx, id, { imageId, url, alt });
  return { changed };
}
