// Write transactions on SQLite. A transaction begun with a plain BEGIN (deferred) takes the write lock
// only at its first write; when another connection (the CLI, a second app node) holds the lock then,
// SQLite answers SQLITE_BUSY at once, without waiting busy_timeout, because waiting could deadlock two
// readers that both want to write. BEGIN IMMEDIATE takes the lock at the start, where SQLite does wait.
// Every transaction on this store is therefore begun IMMEDIATE, unless it says it only reads.
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig, type TransactionSettings } from 'kysely';

/** Kysely's SQLite driver, with transactions that wait for the write lock. */
class WaitingSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(settings?.accessMode === 'read only' ? 'begin deferred' : 'begin immediate'));
  }
}

/**
 * Kysely's SQLite dialect whose transactions begin IMMEDIATE (`db.transaction().setAccessMode('read only')`
 * begins a deferred one, which never writes to the file).
 */
export class WaitingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new WaitingSqliteDriver(this.#config);
  }
}

/** SQLITE_BUSY and its extended codes: another connection kept the lock past busy_timeout. */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}
