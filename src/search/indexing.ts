// Keeping the search index in step with articles: one article at a time inside the transaction that
// changed it, or the whole index at once (`gazette reindex`).
import type { Db, Store } from '../db/store.ts';
import { plainText } from '../lib/plain-text.ts';
import type { IndexDocument, SearchIndex } from './search-index.ts';
import { countPublished } from '../articles/article.repository.ts';
import { tagNamesOf } from '../tags/tag.repository.ts';
import { articleText, publishedTextAfter, type ArticleTextRow } from './search.repository.ts';

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
export async function indexArticle(index: SearchIndex, db: Db, id: number): Promise<void> {
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
export async function rebuildIndex(store: Store, onProgress: (done: number, total: number) => void = () => {}): Promise<number> {
  const index = store.search;
  return store.db.transaction().execute(async (trx) => {
    const total = await countPublished(trx);
    onProgress(0, total);
    await index.clear(trx);
    let done = 0;
    let after = 0;
    for (;;) {
      const rows = await publishedTextAfter(trx, after, REBUILD_BATCH);
      if (!rows.length) break;
      const tags = await tagNamesOf(trx, rows.map((r) => r.id));
      await index.putMany(trx, rows.map((row) => toDocument(row, tags.get(row.id) ?? [])));
      done += rows.length;
      after = rows[rows.length - 1]!.id;
      onProgress(done, total);
    }
    await index.compact(trx);
    return done;
  });
}
