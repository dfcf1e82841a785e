// The embedded SQLite store: one file, WAL mode, foreign keys on.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database } from '../../schema.ts';
import type { Store } from '../../store.ts';
import { sqliteChangeFeed } from './changes.ts';
import { sqliteSchema } from './schema.ts';
import { createSqliteSearchIndex } from './search-index.ts';

/** Page cache of each search thread's connection, in KiB. */
const READER_CACHE_KB = 4096;

/**
 * Opens (creating if needed) the SQLite file and returns the store over it. A read-only store (a search
 * thread's) opens an existing file and changes no setting of it.
 */
export function openSqlite(file: string, options: { readOnly?: boolean } = {}): Store {
  if (!options.readOnly) fs.mkdirSync(path.dirname(file), { recursive: true });
  const native = new SQLite(file, { readonly: options.readOnly === true, fileMustExist: options.readOnly === true });
  if (!options.readOnly) {
    native.pragma('journal_mode = WAL');
    native.pragma('synchronous = NORMAL');
    native.pragma('foreign_keys = ON');
  }
  native.pragma('busy_timeout = 5000');
  // A read-only store is a search thread's (search.pool.ts), one per thread beside the server's own
  // connection: each keeps a page cache of its own, and better-sqlite3's default of 16 MB each made up
  // a good part of the server's memory. The operating system caches the file for all of them anyway.
  if (options.readOnly) native.pragma(`cache_size = -${READER_CACHE_KB}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(native) }) });
  return {
    db,
    search: createSqliteSearchIndex(),
    changes: sqliteChangeFeed(native),
    schema: sqliteSchema,
    description: file,
    // An embedded file does not go away while the process holds it open.
    isUnavailable: () => false,
    readsInParallelThreads: true,
    isUniqueViolation: (error) => ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'].includes((error as { code?: string } | null)?.code ?? ''),
    close: () => db.destroy(),
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
