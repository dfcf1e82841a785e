// Reads for `gazette export` (decision 0032): every article, drafts too, a page at a time in id order,
// with what hangs off it. Rows go no further than article.export.ts.
import type { Db } from '../db/store.ts';

/** Articles after `afterId` in id order, each with its section's slug and the address of the article it translates. */
export function articleRowsAfter(db: Db, afterId: number, limit: number) {
  return db
    .selectFrom('articles as a')
    .innerJoin('sections as s', 's.id', 'a.section_id')
    .leftJoin('articles as t', 't.id', 'a.translation_of')
    .leftJoin('sections as ts', 'ts.id', 't.section_id')
    .select([
      'a.id', 'a.slug', 'a.language', 'a.headline', 'a.subtitle', 'a.summary', 'a.body', 'a.body_format', 'a.body_html',
      'a.image_url', 'a.image_alt', 'a.lead_image_id', 'a.lead_image_crop', 'a.status', 'a.published_at', 'a.created_at',
      'a.updated_at', 'a.scheduled_at', 'a.comments_open', 's.slug as section_slug', 't.slug as translation_slug', 'ts.slug as translation_section_slug',
    ])
    .where('a.id', '>', afterId)
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

export type ExportArticleRow = Awaited<ReturnType<typeof articleRowsAfter>>[number];

/** Author slugs of these articles, in byline order. */
export function authorSlugsOf(db: Db, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('article_authors as aa')
    .innerJoin('people as p', 'p.id', 'aa.person_id')
    .select(['aa.article_id', 'p.slug'])
    .where('aa.article_id', 'in', ids)
    .orderBy('aa.article_id')
    .orderBy('aa.position')
    .execute();
}

/** Tags of these articles. */
export function tagRowsOf(db: Db, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('article_tags as at')
    .innerJoin('tags as t', 't.id', 'at.tag_id')
    .select(['at.article_id', 't.slug', 't.name'])
    .where('at.article_id', 'in', ids)
    .orderBy('at.article_id')
    .orderBy('t.slug')
    .execute();
}

/** Sources of these articles in their order, with what is known of their documents. */
export function sourceRowsOf(db: Db, ids: readonly number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('sources as src')
    .leftJoin('documents as d', 'd.id', 'src.document_id')
    .select(['src.article_id', 'src.position', 'src.name', 'src.description', 'src.url', 'src.kind', 'src.role', 'src.relays', 'src.document_id', 'd.title as document_title', 'd.sha256 as document_sha256', 'd.media_type as document_media_type'])
    .where('src.article_id', 'in', ids)
    .orderBy('src.article_id')
    .orderBy('src.position')
    .execute();
}

/** The highest article id, 0 for none. */
export async function highestArticleId(db: Db): Promise<number> {
  const row = await db.selectFrom('articles').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
  return Number(row?.m ?? 0);
}
