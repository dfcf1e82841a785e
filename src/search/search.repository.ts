// Queries the search capability needs outside the FTS index itself: the text of articles to index,
// and the filter choices offered on the search page.
import type { Db } from '../db/store.ts';

export interface ArticleTextRow {
  id: number;
  status: string;
  headline: string;
  subtitle: string;
  body: string;
  section_id: number;
  language: string;
  published_at: string | null;
}

function textColumns(db: Db) {
  return db.selectFrom('articles').select(['id', 'status', 'headline', 'subtitle', 'body', 'section_id', 'language', 'published_at']);
}

export function articleText(db: Db, id: number): Promise<ArticleTextRow | undefined> {
  return textColumns(db).where('id', '=', id).executeTakeFirst();
}

/** Several articles' text in one query (any order; unknown ids are left out). */
export function articleTexts(db: Db, ids: readonly number[]): Promise<ArticleTextRow[]> {
  return ids.length ? textColumns(db).where('id', 'in', ids).execute() : Promise.resolve([]);
}

/** Published articles after an id, in id order: the pages a rebuild walks through. */
export function publishedTextAfter(db: Db, afterId: number, limit: number): Promise<ArticleTextRow[]> {
  return textColumns(db).where('status', '=', 'published').where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

/** Languages offered as a search filter: those of the sections (reading every article would cost a scan). */
export async function sectionLanguages(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('sections').select('language').distinct().orderBy('language').execute();
  return rows.map((r) => r.language);
}
