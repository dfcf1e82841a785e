// What the rest of the application holds of a database: the Kysely instance, the engine's search
// index, a feed of content changes, the few schema details migrations need, and a way to close it.
// Each engine in ./dialects/<engine>/ builds one; openStore() in database.ts picks the engine once,
// from the URL, and nothing else asks which engine it runs on.
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { SearchIndex } from '../search/search-index.ts';
import type { PageStore } from './page-store.ts';

export type Db = Kysely<Database>;

/**
 * What a write changed, as the keys cached pages depend on: `article:12`, `section:3`, `tag:7`,
 * `author:2`, `comments:12`, `home`, `feeds`, `sitemaps`, `search`. `*` means everything.
 */
export type ChangeKey = string;
export const EVERYTHING: ChangeKey = '*';

/** Tells this process what changed, whichever process or app node made the change. */
export interface ChangeFeed {
  /**
   * Called by services after they commit: listeners in this process hear at once, other processes
   * through the engine (SQLite: a change log read when the file's data_version moves; PostgreSQL:
   * NOTIFY). Never throws: a change that cannot be told to others is logged by the engine.
   */
  announce(keys: readonly ChangeKey[]): void;
  /** Calls listener with the keys of every change seen from now on; returns a function that stops it. */
  subscribe(listener: (keys: readonly ChangeKey[]) => void): () => void;
  /**
   * An opaque value that differs after any change seen. Cheap enough to ask on every request; on
   * engines that are polled (SQLite) asking is also what picks up other processes' changes.
   */
  current(): string;
}

/** The schema details that differ between engines, for migrations (which are otherwise one file for all). */
export interface SchemaDialect {
  /** An auto-numbered integer primary key. */
  idColumn(c: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** The column type for bytes (stored pages, migration 023). */
  readonly bytesType: 'blob' | 'bytea';
  /** Creates the engine's search index tables (migration 003). */
  createSearchSchema(db: Kysely<unknown>): Promise<void>;
  dropSearchSchema(db: Kysely<unknown>): Promise<void>;
  /** Runs first in every migration: a migration may rewrite every row, so no statement timeout applies. */
  beginMigration(db: Kysely<unknown>): Promise<void>;
  /** Adds what the engine's search ranks by, when it is kept apart from what it matches by (migration 007). */
  addRankingDocument(db: Kysely<unknown>): Promise<void>;
  /** Moves the ranking document into a table of its own, where it is stored in the row (migration 008). */
  separateRankingDocument(db: Kysely<unknown>): Promise<void>;
  /** Adds what bounds a search match's score without its ranking document (migration 024). */
  addRankingBounds(db: Kysely<unknown>): Promise<void>;
  /** Removes them again (migration 024 going down). */
  removeRankingBounds(db: Kysely<unknown>): Promise<void>;
  /** Adds what the engine's search calls in the database itself, when it calls anything (migration 025). */
  addSearchFunctions(db: Kysely<unknown>): Promise<void>;
  /** Removes them again (migration 025 going down). */
  removeSearchFunctions(db: Kysely<unknown>): Promise<void>;
  /** Adds each indexed article's filter of adjacent word pairs, when the engine checks phrases by one (migration 027). */
  addPhraseFilter(db: Kysely<unknown>): Promise<void>;
  /** Removes it again (migration 027 going down). */
  removePhraseFilter(db: Kysely<unknown>): Promise<void>;
  /** Creates the triggers that keep comment_counts and comment_live_threads right on every write of comments (migration 029). */
  addCommentCountTriggers(db: Kysely<unknown>): Promise<void>;
  /** Removes them again (migration 029 going down). */
  removeCommentCountTriggers(db: Kysely<unknown>): Promise<void>;
  /** Adds the engine's one-call search ranking, when its search ranks in the database in several calls (migration 030). */
  addRankedSearch(db: Kysely<unknown>): Promise<void>;
  /** Removes it again (migration 030 going down). */
  removeRankedSearch(db: Kysely<unknown>): Promise<void>;
  /** Writes the engine's search window function again from the current code, when it has one (migration 031). */
  rewriteSearchWindow(db: Kysely<unknown>): Promise<void>;
  /** After rows were written with explicit ids: the next generated id comes after the highest one. */
  moveIdentityPast(db: Kysely<unknown>, table: string): Promise<void>;
  /** Creates what the engine's change feed needs to reach other processes (migration 005). */
  createChangeLog(db: Kysely<unknown>): Promise<void>;
  dropChangeLog(db: Kysely<unknown>): Promise<void>;
  /**
   * Replaces the CHECK constraint a column was created with (`<table>_<column>_check` on PostgreSQL; the
   * text `check (<from>)` in the table's definition on SQLite, which rebuilds the table). Rows must
   * already satisfy `to`.
   */
  replaceColumnCheck(db: Kysely<unknown>, change: { table: string; column: string; from: string; to: string }): Promise<void>;
}

export interface Store {
  readonly db: Db;
  /**
   * Runs work in a transaction that first waits its turn to write, and commits when work resolves (rolls
   * back when it throws). Every transaction that writes goes through here, so read-then-write checks
   * see no other writer in between, and a busy database makes writers wait (up to 5 s on SQLite, then
   * an error isUnavailable accepts) instead of failing at once. SQLite: BEGIN IMMEDIATE; PostgreSQL: a
   * transaction-level advisory lock taken first (decision 0013). Single statements need none of this.
   * `announces`: what the transaction changes, announced (as changes.announce) once it has committed, and
   * not at all when it rolls back. On PostgreSQL the NOTIFY for other processes goes to the server with
   * the commit, in its round trip (decision 0055): a NOTIFY the server refuses fails the commit.
   */
  writeTransaction<T>(work: (trx: Db) => Promise<T>, announces?: readonly ChangeKey[]): Promise<T>;
  readonly search: SearchIndex;
  readonly changes: ChangeFeed;
  /**
   * Stored rendered pages (decision 0038), kept current by this store's change feed: every change
   * announced or heard drops the pages that depend on it. Null for a read-only store.
   */
  readonly pages: PageStore | null;
  readonly schema: SchemaDialect;
  /**
   * True when an error means the database cannot be reached or used right now: PostgreSQL unreachable, or
   * another writer kept the write lock past the wait (pages answer 503 until it returns).
   */
  isUnavailable(error: unknown): boolean;
  /**
   * True when an error is a unique constraint refusing a row: two writers raced to create the same thing
   * (a slug) after each checked it was free. Answered 409, like the check that usually catches it.
   */
  isUniqueViolation(error: unknown): boolean;
  /**
   * True when the store reads through one connection at a time per thread (SQLite), so that long reads
   * (searches) are best spread over worker threads with connections of their own; false when its reads
   * already run in parallel (PostgreSQL's pool).
   */
  readonly readsInParallelThreads: boolean;
  /**
   * For a bulk load inside a write transaction (`trx`): drops the secondary indexes of `table` that
   * enforce nothing (not UNIQUE, not a key) and returns a function that creates them again, exactly as
   * they were, to call in the same transaction before it commits; its rollback restores them anyway.
   * Building an index once over the loaded rows costs far less than keeping it row by row (decision
   * 0058). Null when the engine keeps them: on PostgreSQL dropping an index locks every reader of the
   * table out until the commit, where SQLite's readers go on reading the last committed schema.
   */
  setIndexesAside(trx: Db, table: string): Promise<(() => Promise<void>) | null>;
  /**
   * Tells the query planner how `table` has grown: for a table that fills from empty while it is used.
   * PostgreSQL plans from statistics, and on a server whose autovacuum is off (or has not yet run)
   * nothing gathers them: a bulk load inside a write transaction (`db` that transaction, whose own
   * rows are then counted) planned a lookup of many keys as a walk of every row of one kind (decision
   * 0067), and a statement planned once for every later call while the page store was empty walked
   * every stored page (decision 0068). ANALYZE. SQLite finds a key through its index whatever it
   * knows of the table: nothing.
   */
  refreshPlannerStatistics(db: Db, table: string): Promise<void>;
  /** Where the store lives, safe to print: a file path, or host/database without the password. */
  readonly description: string;
  close(): Promise<void>;
}

/** The database could not be reached or used at start; the message names no password. */
export class StoreUnavailable extends Error {
  constructor(
    message: string,
    /** 69 (EX_UNAVAILABLE) when the server cannot be reached; 78 (EX_CONFIG) when it is the wrong one. */
    readonly exitCode = 69,
  ) {
    super(message);
    this.name = 'StoreUnavailable';
  }
}
