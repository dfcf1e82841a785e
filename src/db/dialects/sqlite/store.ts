// The embedded SQLite store: one file, WAL mode, foreign keys on.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../../schema.ts';
import type { Store } from '../../store.ts';
import { sqliteChangeFeed } from './changes.ts';
import { sqliteSchema } from './schema.ts';
import { createSqliteSearchIndex } from './search-index.ts';

/** Opens (creating if needed) the SQLite file and returns the store over it. */
export function openSqlite(file: string): Store {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const native = new SQLite(file);
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = NORMAL');
  native.pragma('foreign_keys = ON');
  native.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: native }) });
  return {
    db,
    search: createSqliteSearchIndex(),
    changes: sqliteChangeFeed(native),
    schema: sqliteSchema,
    description: file,
    // An embedded file does not go away while the process holds it open.
    isUnavailable: () => false,
    close: () => db.destroy(),
  };
}
