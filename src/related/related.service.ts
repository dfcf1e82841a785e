// "Check Also": articles chosen by content similarity (bm25 over headline, subtitle, tags and body,
// through the search index), boosted for the same section and for closeness in time. Lists are stored
// and kept current incrementally: when an article is published or changed its own list is recomputed,
// it is offered to the lists of the articles most like it, and lists that held it are marked stale and
// recomputed when next read. An editor's pin is applied by the article service, before these lists.
import type { Db, Store } from '../db/store.ts';
import type { SearchIndex, SimilarArticle } from '../search/search-index.ts';
import { articleFacts, articleFactsOf, countPublished, publishedIdsAfter } from '../articles/article.lookups.ts';
import * as repo from './related.repository.ts';
import type { StoredRelated } from './related.repository.ts';

/** What computing lists needs of the store: the search index's statistics, reads, and a write turn. */
type RelatedStore = Pick<Store, 'search' | 'db' | 'writeTransaction'>;

/** How many related articles are stored per article (the page shows the first). */
export const RELATED_LIST_SIZE = 5;
/** Similar articles examined per computation, before boosts. */
const CANDIDATES = 30;
const SAME_SECTION_BOOST = 1.25;
/** Articles published close together are more likely follow-ups of one story. */
const RECENCY_HALF_LIFE_DAYS = 60;

function boosted(similarity: number, sameSection: boolean, publishedA: string, publishedB: string): number {
  const days = Math.abs(Date.parse(publishedA) - Date.parse(publishedB)) / 86_400_000;
  const recency = Number.isFinite(days) ? 0.7 + 0.3 * Math.pow(0.5, days / RECENCY_HALF_LIFE_DAYS) : 0.7;
  return similarity * (sameSection ? SAME_SECTION_BOOST : 1) * recency;
}

interface Scored {
  relatedId: number;
  score: number;
  sectionId: number;
  publishedAt: string;
}

type Facts = { published: boolean; sectionId: number; publishedAt: string | null };

async function candidatesFor(index: SearchIndex, db: Db, id: number): Promise<{ facts: Facts | undefined; scored: Scored[] }> {
  const facts = await articleFacts(db, id);
  if (!facts || !facts.published) return { facts: undefined, scored: [] };
  return { facts, scored: boostedCandidates(facts, await index.similar(db, id, CANDIDATES)) };
}

/** The similar articles boosted for the same section and closeness in time, best first. */
function boostedCandidates(facts: Facts, similar: readonly SimilarArticle[]): Scored[] {
  return similar
    .map((s) => ({
      relatedId: s.id,
      score: boosted(s.similarity, s.sectionId === facts.sectionId, facts.publishedAt ?? '', s.publishedAt),
      sectionId: s.sectionId,
      publishedAt: s.publishedAt,
    }))
    .sort((a, b) => b.score - a.score || b.publishedAt.localeCompare(a.publishedAt));
}

/** Computes and stores one article's list; returns the related ids, best first. */
export async function recomputeRelated(index: SearchIndex, db: Db, id: number, now = new Date()): Promise<number[]> {
  const { facts, scored } = await candidatesFor(index, db, id);
  if (!facts) {
    await repo.dropList(db, id);
    return [];
  }
  const list = scored.slice(0, RELATED_LIST_SIZE);
  await repo.saveList(db, id, list, now.toISOString());
  return list.map((r) => r.relatedId);
}

/**
 * Keeps lists current after an article was published, changed or unpublished. Runs inside the
 * caller's transaction, after the search index was updated. Returns the other articles whose list
 * was dropped or changed: their "Check Also" may now show another article.
 */
export async function relatedAfterChange(index: SearchIndex, db: Db, id: number, now = new Date()): Promise<number[]> {
  const changed = new Set<number>();
  // Lists that held this article were ranked against its old text (or it is gone): recompute on next read.
  for (const holder of await repo.listsHolding(db, id))
    if (holder !== id) {
      await repo.dropList(db, holder);
      changed.add(holder);
    }
  const { facts, scored } = await candidatesFor(index, db, id);
  if (!facts) {
    await repo.dropList(db, id);
    return [...changed];
  }
  await repo.saveList(db, id, scored.slice(0, RELATED_LIST_SIZE), now.toISOString());
  // Offer this article to the computed lists of the articles most like it. Similarity is taken as
  // symmetric: both scores are relative to an article's match with itself, so they are comparable.
  const computed = await repo.computedAmong(db, scored.map((s) => s.relatedId));
  for (const s of scored) {
    if (!computed.has(s.relatedId)) continue;
    const list = (await repo.storedList(db, s.relatedId)) ?? [];
    if (list.some((r) => r.relatedId === id)) continue;
    const worst = list[list.length - 1];
    if (list.length >= RELATED_LIST_SIZE && worst && worst.score >= s.score) continue;
    const merged = [...list, { relatedId: id, score: s.score }].sort((a, b) => b.score - a.score).slice(0, RELATED_LIST_SIZE);
    await repo.saveList(db, s.relatedId, merged, now.toISOString());
    changed.add(s.relatedId);
  }
  return [...changed];
}

/** Related article ids for reading, best first; computes and stores the list when it is missing. */
export async function relatedIds(store: Pick<Store, 'search' | 'writeTransaction'>, db: Db, id: number, now = new Date()): Promise<number[]> {
  const index = store.search;
  const stored = await repo.storedList(db, id);
  if (stored) return stored.map((r) => r.relatedId);
  if (db.isTransaction) return recomputeRelated(index, db, id, now);
  // Two readers of a page not yet cached may both find the list missing: the transaction serialises
  // them, and the second finds the first one's list instead of writing it again.
  return store.writeTransaction(async (trx) => {
    const again = await repo.storedList(trx, id);
    return again ? again.map((r) => r.relatedId) : recomputeRelated(index, trx, id, now);
  });
}

const RECOMPUTE_BATCH = 200;

/** Batches of lists computed at once: on PostgreSQL each runs on its own connection (SQLite runs them in turn). */
const PARALLEL_BATCHES = 2;

/**
 * Where a batch's similar articles are ranked: the store's own index and connection, or another
 * connection's (a search thread's, similarThread in src/search/search.pool.ts, decision 0056).
 */
export type SimilarSource = (ids: readonly number[], limit: number) => Promise<Map<number, SimilarArticle[]>>;

/**
 * Computes the lists of one batch of articles from reads, then stores them in one write transaction;
 * unpublished or unknown ones lose theirs. The scoring runs outside the write turn, so two batches
 * score at once even where writers take turns (PostgreSQL's write lock, decision 0013).
 */
async function computeBatch(store: RelatedStore, batch: readonly number[], now: Date, similarOf: SimilarSource): Promise<void> {
  const { db } = store;
  const facts = await articleFactsOf(db, batch);
  const published = batch.filter((id) => facts.get(id)?.published);
  // The whole batch's similar articles at once: on PostgreSQL a few statements instead of five per article.
  const similar = await similarOf(published, CANDIDATES);
  const lists: { articleId: number; list: StoredRelated[] }[] = [];
  const dropped: number[] = [];
  for (const id of batch) {
    const f = facts.get(id);
    if (f?.published) lists.push({ articleId: id, list: boostedCandidates(f, similar.get(id) ?? []).slice(0, RELATED_LIST_SIZE) });
    else dropped.push(id);
  }
  await store.writeTransaction(async (trx) => {
    await repo.saveLists(trx, lists, now.toISOString());
    for (const id of dropped) await repo.dropList(trx, id);
  });
}

/**
 * Computes and stores the lists of these articles, a batch per transaction (far fewer commits, and
 * readers never wait long), the articles' facts read and the lists written a batch at a time, two
 * batches at once. Reports (done, total) after each batch. `helpers` rank batches beside the store's
 * own connection (a search thread on SQLite, whose connection runs one query at a time): each takes
 * batches in turn with it, so the lists are the same, computed on more cores. They must read what the
 * store has committed.
 */
export async function computeRelatedLists(
  store: RelatedStore,
  ids: readonly number[],
  onProgress: (done: number, total: number) => void = () => {},
  now = new Date(),
  helpers: readonly SimilarSource[] = [],
): Promise<void> {
  onProgress(0, ids.length);
  const batches: number[][] = [];
  for (let i = 0; i < ids.length; i += RECOMPUTE_BATCH) batches.push(ids.slice(i, i + RECOMPUTE_BATCH));
  const local: SimilarSource = (batch, limit) => store.search.similarMany(store.db, batch, limit);
  let next = 0;
  let done = 0;
  const worker = async (similarOf: SimilarSource) => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      await computeBatch(store, batch, now, similarOf);
      done += batch.length;
      onProgress(done, ids.length);
      // SQLite's statements run in this thread and resolve as microtasks: without a turn of the event
      // loop, the main thread's lane would rank batch after batch before a helper's answer is read.
      if (helpers.length) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  // With helpers, the store's own connection ranks one batch at a time and each helper holds two, so
  // that it has the next one while its answer waits for the main thread.
  const lanes: SimilarSource[] = helpers.length ? [local, ...helpers.flatMap((h) => [h, h])] : Array.from({ length: PARALLEL_BATCHES }, () => local);
  await Promise.all(lanes.slice(0, batches.length).map(worker));
}

/** Recomputes every published article's list (for `gazette reindex`); returns how many were computed. */
export async function recomputeAllRelated(store: RelatedStore, onProgress: (done: number, total: number) => void = () => {}, now = new Date()): Promise<number> {
  const { db } = store;
  const total = await countPublished(db);
  onProgress(0, total);
  let done = 0;
  let after = 0;
  for (;;) {
    const ids = await publishedIdsAfter(db, after, RECOMPUTE_BATCH * PARALLEL_BATCHES);
    if (!ids.length) break;
    await computeRelatedLists(store, ids, () => {}, now);
    done += ids.length;
    after = ids[ids.length - 1]!;
    onProgress(done, total);
  }
  return done;
}
