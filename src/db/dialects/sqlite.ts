// The embedded SQLite store: one file, WAL mode, foreign keys on.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ChangeClock, Store } from '../store.ts';
import type { Database } from '../schema.ts';

/** Opens (creating if needed) the SQLite file and returns the store over it. */
export function openSqlite(file: string): Store {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const native = new SQLite(file);
  native.pragma('journal_mode = WAL');
  native.pragma('synchronous = NORMAL');
  native.pragma('foreign_keys = ON');
  native.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: native }) });
  return { db, changes: sqliteChangeClock(native), close: () => db.destroy() };
}

/**
 * Writes through this connection bump a local counter; writes by any other connection (the `gazette`
 * CLI while the server runs) change SQLite's data_version. Together they tell when cached pages are stale.
 */
function sqliteChangeClock(native: SQLite.Database): ChangeClock {
  const dataVersion = native.prepare('PRAGMA data_version').pluck();
  let local = 0;
  return {
    current: () => `${local}.${dataVersion.get() as number}`,
    bump: () => {
      local += 1;
    },
  };
}
