// Opening the configured store and bringing its schema up to date. The engine is chosen here, once,
// from the database target; everything else works through the Store it returns.
import { Migrator } from 'kysely';
import { describeDatabase, type DatabaseTarget } from '../config.ts';
import { migrationsFor } from './migrations/index.ts';
import { openSqlite } from './dialects/sqlite/store.ts';
import { isLockTimeout } from './dialects/postgres/transactions.ts';
import { isSqliteBusy } from './dialects/sqlite/transactions.ts';
import type { Store } from './store.ts';
import { PageStore, type PageLookups } from './page-store.ts';

export type { Db, Store } from './store.ts';
export { StoreUnavailable } from './store.ts';

export interface OpenOptions {
  /** Only read (a search thread's connection): SQLite opens the file read-only. */
  readOnly?: boolean;
  /** Told of connection errors that happen in the background (a lost idle connection). */
  onError?: (error: unknown) => void;
}

/** Opens the database named by the configuration; throws StoreUnavailable when it cannot. */
export async function openStore(target: DatabaseTarget, options: OpenOptions = {}): Promise<Store> {
  let store: Store;
  let lookups: PageLookups;
  switch (target.kind) {
    case 'sqlite':
      store = await openSqlite(target.file, { readOnly: options.readOnly, cacheMb: target.cacheMb });
      lookups = 'one by one';
      break;
    case 'postgres': {
      // Loaded only here: a SQLite server, its search threads and the CLI on SQLite never load pg.
      const { openPostgres } = await import('./dialects/postgres/store.ts');
      store = await openPostgres(
        { url: target.url, poolSize: target.poolSize, statementTimeoutMs: target.statementTimeoutMs, description: describeDatabase(target) },
        options.onError,
      );
      lookups = 'together';
      break;
    }
  }
  return options.readOnly ? store : withStoredPages(store, lookups, options.onError);
}

/**
 * Every process that can write keeps the stored rendered pages current (decision 0038): its own changes
 * and those it hears of drop the pages built from them, and closing waits for those drops, so that a
 * CLI command never leaves behind a stored page its write made stale.
 */
function withStoredPages(store: Store, lookups: PageLookups, onError?: (error: unknown) => void): Store {
  const pages = new PageStore(store.db, (work) => store.writeTransaction(work), store.changes, {
    onError,
    lookups,
    refreshStatistics: (db, table) => store.refreshPlannerStatistics(db, table),
  });
  const close = store.close.bind(store);
  return Object.assign(store, {
    pages,
    async close() {
      await pages.settled().catch(() => {});
      pages.close();
      await close();
    },
  });
}

/**
 * True when an error says another writer kept the database's write turn past the wait (SQLite's
 * busy_timeout, PostgreSQL's lock_timeout on the write lock): worth trying again in a moment. For the
 * CLI, which reports errors without a store at hand; the server asks Store.isUnavailable.
 */
export function isBusy(error: unknown): boolean {
  // A migration that could not start is reported with the database's error as its cause.
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) if (isSqliteBusy(e) || isLockTimeout(e)) return true;
  return false;
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
