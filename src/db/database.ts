// Opening the configured store and bringing its schema up to date. The engine is chosen here, once,
// from the database target; everything else works through the Store it returns.
import { Migrator } from 'kysely';
import { describeDatabase, type DatabaseTarget } from '../config.ts';
import { migrationsFor } from './migrations/index.ts';
import { openSqlite } from './dialects/sqlite/store.ts';
import { openPostgres } from './dialects/postgres/store.ts';
import type { Store } from './store.ts';

export type { Db, Store } from './store.ts';
export { StoreUnavailable } from './dialects/postgres/store.ts';

export interface OpenOptions {
  /** Only read (a search thread's connection): SQLite opens the file read-only. */
  readOnly?: boolean;
  /** Told of connection errors that happen in the background (a lost idle connection). */
  onError?: (error: unknown) => void;
}

/** Opens the database named by the configuration; throws StoreUnavailable when it cannot. */
export async function openStore(target: DatabaseTarget, options: OpenOptions = {}): Promise<Store> {
  switch (target.kind) {
    case 'sqlite':
      return openSqlite(target.file, { readOnly: options.readOnly });
    case 'postgres':
      return openPostgres(
        { url: target.url, poolSize: target.poolSize, statementTimeoutMs: target.statementTimeoutMs, description: describeDatabase(target) },
        options.onError,
      );
  }
}

/** Applies every pending migration; returns the names applied. Throws on the first failure. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrations = migrationsFor(store.schema);
  const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
