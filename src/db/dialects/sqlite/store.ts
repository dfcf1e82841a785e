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

export interface SqliteOptions {
  /** Refuse to create the file when it does not exist (every CLI command but serve, migrate and demo). */
  mustExist?: boolean;
}

/** Opens (creating if needed) the SQLite file and returns the store over it. */
export function openSqlite(file: string, options: SqliteOptions = {}): Store {
  if (options.mustExist && !fs.existsSync(file)) throw new StoreMissing(file);
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
    close: () => db.destroy(),
  };
}

/** The SQLite file named by DATABASE_URL does not exist, and this command does not create one. */
export class StoreMissing extends Error {
  constructor(readonly file: string) {
    super(`There is no database at ${file}`);
    this.name = 'StoreMissing';
  }
}
