// The embedded SQLite store: one file, WAL mode, synchronous NORMAL, foreign keys on, transactions that
// wait for the write lock (decision 0013).
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql, type SqliteDatabase } from 'kysely';
import type { Database } from '../../schema.ts';
import type { Db, Store } from '../../store.ts';
import { readReusableQueriesDirectly } from '../../reusable-query.ts';
import { useJsonFunctions } from '../../json-rows.ts';
import { sqliteChangeFeed } from './changes.ts';
import { sqliteSchema } from './schema.ts';
import { createSqliteSearchIndex } from './search-index.ts';
import { BUSY_TIMEOUT_MS, WaitingSqliteDialect, isSqliteBusy } from './transactions.ts';

/** Page cache of each search thread's connection, in KiB. */
const READER_CACHE_KB = 4096;

/**
 * Page cache of a process's own (writing) connection when SQLITE_CACHE_MB does not say, in MiB: what
 * better-sqlite3's build gave before it was set here (16,000 KiB). It is the largest piece of native
 * memory a server on SQLite keeps, filled as pages of the file are read or written (decision 0060).
 */
const DEFAULT_CACHE_MB = 16;

/**
 * Opens (creating if needed) the SQLite file and returns the store over it. A read-only store (a search
 * thread's) opens an existing file and changes no setting of it.
 */
export function openSqlite(file: string, options: { readOnly?: boolean; cacheMb?: number } = {}): Store {
  if (!options.readOnly) fs.mkdirSync(path.dirname(file), { recursive: true });
  const native = new SQLite(file, { readonly: options.readOnly === true, fileMustExist: options.readOnly === true });
  if (!options.readOnly) {
    native.pragma('journal_mode = WAL');
    // A commit survives the process being killed; on power loss the last commits may be lost, never
    // the file's consistency (decision 0013).
    native.pragma('synchronous = NORMAL');
    native.pragma('foreign_keys = ON');
  }
  // How long a single statement waits for another connection's lock before it fails (answered 503);
  // transactions wait as long, without holding up the event loop (transactions.ts).
  native.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Each connection keeps a page cache of its own, which grows as pages are read or written until it
  // reaches this bound; the operating system caches the file for all of them anyway. A read-only store
  // is a search thread's (search.pool.ts), one per thread beside the process's own connection, and
  // better-sqlite3's default of 16 MB each made up a good part of the server's memory. The process's own
  // connection is bounded here too rather than by the library's build (SQLITE_CACHE_MB, decision 0060).
  native.pragma(`cache_size = -${options.readOnly ? READER_CACHE_KB : (options.cacheMb ?? DEFAULT_CACHE_MB) * 1024}`);
  const statements = withStatementCache(native);
  const dialect = new WaitingSqliteDialect({ database: statements });
  const db = new Kysely<Database>({ dialect });
  useJsonFunctions(db, { array: 'json_group_array', object: 'json_object' });
  // Reusable queries (the reads of an uncached page) run on the connection at once when nothing holds
  // it, without Kysely's connection handling (decision 0044); while a transaction or another query holds
  // it they wait their turn through Kysely, as every other statement does.
  readReusableQueriesDirectly(db, (text, parameters) => {
    if (!dialect.connectionFree) return undefined;
    const statement = statements.prepare(text) as SQLite.Statement;
    return statement.reader ? (statement.all(parameters) as unknown[]) : undefined;
  });
  const changes = sqliteChangeFeed(native, db);
  return {
    db,
    // Every transaction on this store begins IMMEDIATE (transactions.ts), so this is an ordinary one.
    async writeTransaction(work, announces) {
      const result = await db.transaction().execute(work);
      if (announces?.length) changes.announce(announces);
      return result;
    },
    search: createSqliteSearchIndex(),
    pages: null,
    changes,
    schema: sqliteSchema,
    description: file,
    // An embedded file does not go away while the process holds it open, but another process may keep
    // its write lock for longer than busy_timeout.
    isUnavailable: isSqliteBusy,
    readsInParallelThreads: true,
    setIndexesAside,
    // SQLite's planner takes a key's index whatever it knows of the table (Store.refreshPlannerStatistics).
    refreshPlannerStatistics: async () => {},
    isUniqueViolation: (error) => ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'].includes((error as { code?: string } | null)?.code ?? ''),
    async close() {
      await changes.settled();
      await db.destroy();
    },
  };
}

/** The page cache, in KiB, while set-aside indexes are built again: the bound of CREATE INDEX's in-memory sort. */
const INDEX_BUILD_SORT_KB = 2048;

/**
 * Store.setIndexesAside on SQLite: the table's indexes written by CREATE INDEX (sqlite_master keeps their
 * statement; those of UNIQUE and PRIMARY KEY constraints have none) and not UNIQUE are dropped, and
 * their statements run again by the function returned. Other connections go on reading the committed
 * schema, indexes included, until the transaction commits with them rebuilt.
 */
async function setIndexesAside(trx: Db, table: string): Promise<() => Promise<void>> {
  const { rows } = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null order by name`.execute(trx);
  const aside = rows.filter((r) => !/^\s*create\s+unique\b/i.test(r.sql));
  for (const r of aside) await sql`drop index ${sql.id(r.name)}`.execute(trx);
  return async () => {
    // CREATE INDEX sorts in memory up to the page cache's size before it spills runs to a temporary
    // file. The allocator keeps such a block, once freed, as part of the process for as long as it
    // lives; a smaller bound while the indexes are built keeps an import's peak memory from growing
    // with its file (measured at 100,000 imported posts: 16 MB less, no slower).
    const { rows: cache } = await sql<{ cache_size: number }>`pragma cache_size`.execute(trx);
    await sql.raw(`pragma cache_size = -${INDEX_BUILD_SORT_KB}`).execute(trx);
    try {
      for (const r of aside) await sql.raw(r.sql).execute(trx);
    } finally {
      await sql.raw(`pragma cache_size = ${Number(cache[0]!.cache_size)}`).execute(trx);
    }
  };
}

/** Prepared statements kept per connection; SQL with long IN lists varies, so the set is bounded. */
const STATEMENTS = 500;

/**
 * The connection as Kysely sees it, with prepared statements reused: Kysely prepares every query it
 * runs, and preparing cost more than running for the small queries a page makes (about a quarter of
 * an uncached article render). A statement is run to completion before it is asked for again: Kysely
 * reads all rows at once, and the project streams no query.
 */
function withStatementCache(native: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => native.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        statement = native.prepare(sql);
        if (statements.size >= STATEMENTS) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
