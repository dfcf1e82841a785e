// Keeping the search index in step with articles: one article at a time inside the transaction that
// changed it, or the whole index at once (`gazette reindex`).
import type { Db, Store } from '../db/store.ts';
import type { IndexDocument, SearchIndex } from './search-index.ts';
import { articleTexts, countPublished, publishedTextsAfter, type ArticleText } from '../articles/article.lookups.ts';

/** An article's text as the index takes it. */
export function indexDocument(a: ArticleText): IndexDocument {
  return {
    id: a.id,
    headline: a.headline,
    subtitle: a.subtitle,
    tags: a.tags,
    body: a.bodyText,
    sectionId: a.sectionId,
    language: a.language,
    publishedAt: a.publishedAt ?? '',
  };
}

/** Brings one article's index entry up to date: indexed when published, absent otherwise. */
export async function indexArticle(index: SearchIndex, db: Db, id: number): Promise<void> {
  const [text] = await articleTexts(db, [id]);
  if (!text || !text.published) return index.remove(db, id);
  await index.put(db, indexDocument(text));
}

const REBUILD_BATCH = 500;

/**
 * Rebuilds the whole index in one transaction (readers keep the old index until it commits), and
 * compacts it before committing.
 * onProgress receives (done, total) after each batch.
 */
export async function rebuildIndex(store: Store, onProgress: (done: number, total: number) => void = () => {}): Promise<number> {
  const index = store.search;
  return store.writeTransaction(async (trx) => {
    const total = await countPublished(trx);
    onProgress(0, total);
    await index.clear(trx);
    let done = 0;
    let after = 0;
    for (;;) {
      const rows = await publishedTextsAfter(trx, after, REBUILD_BATCH);
      if (!rows.length) break;
      await index.putMany(trx, rows.map(indexDocument));
      done += rows.length;
      after = rows[rows.length - 1]!.id;
      onProgress(done, total);
    }
    await index.compact(trx);
    return done;
  });
}
