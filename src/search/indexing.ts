// Keeping the search index in step with articles: one article at a time inside the transaction that
// changed it, or the whole index at once (`gazette reindex`).
import type { Kysely } from 'kysely';
import { isPostgres } from '../db/dialects/portable.ts';
import type { Db } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { plainText } from '../lib/plain-text.ts';
import type { IndexDocument, SearchIndex } from './search-index.ts';
import { sqliteSearchIndex } from './search-index.sqlite.ts';
import { countPublished } from '../articles/article.repository.ts';
import { tagNamesOf } from '../tags/tag.repository.ts';
import { articleText, publishedTextAfter, type ArticleTextRow } from './search.repository.ts';

/** The index implementation for the database behind db. */
export function searchIndexFor(db: Db): SearchIndex {
  if (isPostgres(db as unknown as Kysely<unknown>))
    throw new AppError('service_unavailable', 'Full-text search is not implemented for PostgreSQL yet.');
  return sqliteSearchIndex;
}

function toDocument(row: ArticleTextRow, tags: readonly string[]): IndexDocument {
  return {
    id: row.id,
    headline: row.headline,
    subtitle: row.subtitle,
    tags,
    body: plainText(row.body),
    sectionId: row.section_id,
    language: row.language,
    publishedAt: row.published_at ?? '',
  };
}

/** Brings one article's index entry up to date: indexed when published, absent otherwise. */
export async function indexArticle(db: Db, id: number): Promise<void> {
  const index = searchIndexFor(db);
  const row = await articleText(db, id);
  if (!row || row.status !== 'published') return index.remove(db, id);
  const tags = (await tagNamesOf(db, [id])).get(id) ?? [];
  await index.put(db, toDocument(row, tags));
}

const REBUILD_BATCH = 500;

/**
 * Rebuilds the whole index in one transaction (readers keep the old index until it commits), and
 * compacts it before committing.
 * onProgress receives (done, total) after each batch.
 */
export async function rebuildIndex(db: Db, onProgress: (done: number, total: number) => void = () => {}): Promise<number> {
  const index = searchIndexFor(db);
  return db.transaction().execute(async (trx) => {
    const total = await countPublished(trx);
    onProgress(0, total);
    await index.clear(trx);
    let done = 0;
    let after = 0;
    for (;;) {
      const rows = await publishedTextAfter(trx, after, REBUILD_BATCH);
      if (!rows.length) break;
      const tags = await tagNamesOf(trx, rows.map((r) => r.id));
      for (const row of rows) await index.put(trx, toDocument(row, tags.get(row.id) ?? []));
      done += rows.length;
      after = rows[rows.length - 1]!.id;
      onProgress(done, total);
    }
    await index.compact(trx);
    return done;
  });
}
