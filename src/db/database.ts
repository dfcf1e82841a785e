// Opening the configured store and bringing its schema up to date.
import { Migrator } from 'kysely';
import type { DatabaseTarget } from '../config.ts';
import { migrations } from './migrations/index.ts';
import { openSqlite } from './dialects/sqlite.ts';
import type { Db, Store } from './store.ts';

export type { Db, Store } from './store.ts';

/** Opens the database named by the configuration. */
export function openStore(target: DatabaseTarget): Store {
  switch (target.kind) {
    case 'sqlite':
      return openSqlite(target.file);
  }
}

/** Applies every pending migration; returns the names applied. Throws on the first failure. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
