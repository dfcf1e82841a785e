// What the application needs from a full-text index, independent of the database behind it. Each
// engine implements it in src/db/dialects/<engine>/search-index.ts (SQLite: FTS5; PostgreSQL: tsvector
// and GIN), and the store carries the one for its engine (store.search). Every method takes the Kysely instance or transaction to run in,
// so index changes commit or roll back with the article change that caused them.
import type { Db } from '../db/store.ts';
import type { Clause } from './query.ts';

/** The searchable text of one published article, as written (the index normalises it). */
export interface IndexDocument {
  id: number;
  headline: string;
  subtitle: string;
  tags: readonly string[];
  /** Plain text of the body. */
  body: string;
  /** What search filters select on. */
  sectionId: number;
  language: string;
  publishedAt: string;
}

export interface SearchFilters {
  sectionId?: number;
  language?: string;
  /** Inclusive lower bound on published_at, ISO-8601. */
  from?: string;
  /** Exclusive upper bound on published_at, ISO-8601. */
  before?: string;
}

export interface RankedIds {
  ids: number[];
  /** Number of matching published articles, counted up to countLimit. */
  total: number;
  /** True when there are more than countLimit matches. */
  totalCapped: boolean;
}

/** Index text of one result with matching words marked with MARK_OPEN/MARK_CLOSE (see snippet.ts). */
export interface MarkedFields {
  headline: string;
  subtitle: string;
  body: string;
}

/** A published article similar to a given one, with similarity relative to the article itself (about 0..1). */
export interface SimilarArticle {
  id: number;
  similarity: number;
  sectionId: number;
  publishedAt: string;
}

export interface SearchIndex {
  /** Adds or replaces an article's entry. */
  put(db: Db, doc: IndexDocument): Promise<void>;
  /**
   * Adds or replaces many entries for a bulk load (rebuild, generated corpus). Statistics the engine
   * keeps per term may lag until compact() is called without a budget, which every bulk load ends with.
   */
  putMany(db: Db, docs: readonly IndexDocument[]): Promise<void>;
  /** Removes an article's entry (unpublished or deleted); no-op when absent. */
  remove(db: Db, id: number): Promise<void>;
  /** Empties the index (before a rebuild). */
  clear(db: Db): Promise<void>;
  /** Published articles matching every clause, best first. */
  search(db: Db, clauses: readonly Clause[], filters: SearchFilters, limit: number, offset: number, countLimit: number): Promise<RankedIds>;
  /** Marked index text for the given results. */
  mark(db: Db, clauses: readonly Clause[], ids: readonly number[]): Promise<Map<number, MarkedFields>>;
  /**
   * Published articles most similar to an indexed one, excluding itself, best first. Only the `window`
   * matches nearest the article (by id; default SIMILAR_WINDOW, see similar-terms.ts) are ranked.
   */
  similar(db: Db, id: number, limit: number, window?: number): Promise<SimilarArticle[]>;
  /**
   * similar() for many indexed articles at once (Check Also lists computed in bulk): each article's
   * list is what similar() gives for it, in as few round trips as the engine allows. Every id is a key
   * of the answer (an empty list when nothing is similar or the article is not indexed).
   */
  similarMany(db: Db, ids: readonly number[], limit: number, window?: number): Promise<Map<number, SimilarArticle[]>>;
  /**
   * What searching a prefix would cost: how many indexed words start with it (counted up to
   * `wordLimit`) and how many article postings those words have in all.
   */
  prefixReach(db: Db, prefix: string, wordLimit: number): Promise<{ words: number; postings: number }>;
  /**
   * Tidies the index's storage so that queries read less of it. Without a budget, does all the work
   * at once (after a rebuild or a bulk load); with one, does about that much and tells whether there
   * was any work to do, so a running server can spread it out (see upkeep.ts).
   */
  compact(db: Db, budget?: number): Promise<boolean>;
  /**
   * Before a bulk load that ends with compact() without a budget (an import), in its transaction:
   * stops the index tidying its storage as entries arrive, work that compact() does again whole, and
   * returns what restarts it, to call before that transaction commits (decision 0058). SQLite: FTS5's
   * automatic merging; PostgreSQL: nothing to stop.
   */
  pauseTidying(db: Db): Promise<() => Promise<void>>;
}
