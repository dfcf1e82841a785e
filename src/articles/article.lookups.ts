// What other capabilities ask of articles: texts to index, facts for "Check Also", bodies for feeds,
// the article a comment hangs on, counts and ids of published articles. The article tables are read
// and written only inside src/articles/; everyone else comes through here or article.service.ts.
import type { Db } from '../db/store.ts';
import { articlePath } from '../lib/paths.ts';
import type { BodyFormat } from './article.body.ts';
import * as repo from './article.repository.ts';

export type { ListFilter } from './article.repository.ts';

/** An article's text as the search index takes it. */
export interface ArticleText {
  id: number;
  published: boolean;
  headline: string;
  subtitle: string;
  /** Plain text of the body. */
  bodyText: string;
  tags: string[];
  sectionId: number;
  language: string;
  publishedAt: string | null;
}

async function withTags(db: Db, rows: repo.ArticleTextRow[]): Promise<ArticleText[]> {
  const tags = await repo.tagNamesOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    published: r.status === 'published',
    headline: r.headline,
    subtitle: r.subtitle,
    bodyText: r.body_text,
    tags: tags.get(r.id) ?? [],
    sectionId: r.section_id,
    language: r.language,
    publishedAt: r.published_at,
  }));
}

/** Texts of the given articles, drafts included, in any order; unknown ids are left out. */
export async function articleTexts(db: Db, ids: readonly number[]): Promise<ArticleText[]> {
  return withTags(db, await repo.articleTexts(db, ids));
}

/**
 * The plain text of each article's body, by id (a search result's snippet): one statement, without
 * the tags and headlines articleTexts reads for the index.
 */
export async function bodyTexts(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  return new Map((await repo.bodyTextsOf(db, ids)).map((r) => [r.id, r.body_text]));
}

/** Published articles after an id, in id order: the pages a rebuild walks through. */
export async function publishedTextsAfter(db: Db, afterId: number, limit: number): Promise<ArticleText[]> {
  return withTags(db, await repo.publishedTextsAfter(db, afterId, limit));
}

/** Tag names of each article, keyed by article id, in name order. */
export const tagNamesOf = repo.tagNamesOf;

/** Number of published articles matching the filter. */
export const countPublished = repo.countPublished;

/** Ids of published articles matching the filter, newest first. */
export const publishedIds = repo.listPublishedIds;

/** Ids of published articles after an id, in id order. */
export const publishedIdsAfter = repo.publishedIdsAfter;

/** What "Check Also" weighs of an article; undefined when there is no such article. */
export async function articleFacts(db: Db, id: number): Promise<{ published: boolean; sectionId: number; publishedAt: string | null } | undefined> {
  const f = await repo.facts(db, id);
  return f && { published: f.status === 'published', sectionId: f.section_id, publishedAt: f.published_at };
}

/** articleFacts for many articles at once, by id (unknown ids are absent). */
export async function articleFactsOf(db: Db, ids: readonly number[]): Promise<Map<number, { published: boolean; sectionId: number; publishedAt: string | null }>> {
  const rows = await repo.factsOf(db, ids);
  return new Map(rows.map((f) => [f.id, { published: f.status === 'published', sectionId: f.section_id, publishedAt: f.published_at }]));
}

/** The rendered bodies and creation times of articles, for feeds. */
export async function feedBodies(db: Db, ids: readonly number[]): Promise<Map<number, { bodyHtml: string; createdAt: string }>> {
  return new Map((await repo.feedExtras(db, ids)).map((r) => [r.id, { bodyHtml: r.body_html, createdAt: r.created_at }]));
}

/** A published article as readers' comments see it. */
export interface CommentTarget {
  id: number;
  path: string;
  language: string;
  headline: string;
  publishedAt: string | null;
  commentsOpen: boolean;
}

const toTarget = (r: repo.CommentTargetRow): CommentTarget => ({
  id: r.id,
  path: articlePath(r.section_slug, r.slug),
  language: r.language,
  headline: r.headline,
  publishedAt: r.published_at,
  commentsOpen: r.comments_open === 1,
});

/** The published article with this id, if any. */
export async function commentTarget(db: Db, id: number): Promise<CommentTarget | undefined> {
  const r = await repo.commentTargetById(db, id);
  return r && toTarget(r);
}

/** The published article at /<section>/<slug>, if any. */
export async function commentTargetAt(db: Db, sectionSlug: string, slug: string): Promise<CommentTarget | undefined> {
  const r = await repo.commentTargetAt(db, sectionSlug, slug);
  return r && toTarget(r);
}

/** Ids of articles published after `from` and by `to` (ISO times), for comments that close by age. */
export const publishedIdsBetween = repo.publishedIdsBetween;

/** Opens or closes an article to new comments. The caller announces the change. */
export const setCommentsOpen = repo.setCommentsOpen;

/** Paths of articles (drafts too), by id. */
export async function pathsOf(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  return new Map((await repo.addressesOf(db, [...new Set(ids)])).map((r) => [r.id, articlePath(r.section_slug, r.slug)]));
}

/** The id of the article (draft or published) at /<section>/<slug>, if any. */
export async function articleIdAt(db: Db, sectionSlug: string, slug: string): Promise<number | undefined> {
  return (await repo.idAt(db, sectionSlug, slug))?.id;
}

/** True when the site has any article at all. */
export const hasArticles = repo.anyArticle;

/** Whether a source of a published article cites this document (readers may then download it). */
export const documentIsPublic = repo.documentCitedByPublished;

/** Paths of the published articles among `ids` (drafts and others are left out: they have no public address). */
export async function publishedPathsOf(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  return new Map((await repo.publishedAddressesOf(db, [...new Set(ids)])).map((r) => [r.id, articlePath(r.section_slug, r.slug)]));
}

/** Article bodies as written and their format, by id (an importer rewriting its own links reads them here). */
export async function articleBodies(db: Db, ids: readonly number[]): Promise<Map<number, { body: string; bodyFormat: BodyFormat }>> {
  return new Map((await repo.bodiesOf(db, [...new Set(ids)])).map((r) => [r.id, { body: r.body, bodyFormat: r.body_format }]));
}
