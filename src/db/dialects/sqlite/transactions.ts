// Write transactions on SQLite. A transaction begun with a plain BEGIN (deferred) takes the write lock
// only at its first write; when another connection (the CLI, a second app node) holds the lock then,
// SQLite answers SQLITE_BUSY at once, without waiting busy_timeout, because waiting could deadlock two
// readers that both want to write. BEGIN IMMEDIATE takes the lock at the start, where waiting is safe.
// Every transaction on this store is therefore begun IMMEDIATE, unless it says it only reads.
import { setTimeout as sleep } from 'node:timers/promises';
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig, type TransactionSettings } from 'kysely';

/** How long a write waits for another connection's lock before it fails (answered 503). */
export const BUSY_TIMEOUT_MS = 5000;

const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');
const BEGIN_DEFERRED = CompiledQuery.raw('begin deferred');
const NO_WAIT = CompiledQuery.raw('pragma busy_timeout = 0');
const WAIT = CompiledQuery.raw(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`);

/**
 * Kysely's SQLite driver, with transactions that wait for the write lock. SQLite's own wait
 * (busy_timeout) sleeps in the calling thread, which is the server's only one: the wait for BEGIN is
 * made here instead, between tries, so that the event loop keeps serving what needs no database (cached
 * pages; searches run in their own threads) while another process writes.
 */
class WaitingSqliteDriver extends SqliteDriver {
  /** Queries and transactions that acquired the connection and have not released it yet. */
  held = 0;

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    this.held++;
    return connection;
  }

  override async releaseConnection(): Promise<void> {
    this.held--;
    await super.releaseConnection();
  }

  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    if (settings?.accessMode === 'read only') {
      await connection.executeQuery(BEGIN_DEFERRED);
      return;
    }
    await connection.executeQuery(NO_WAIT);
    try {
      const deadline = Date.now() + BUSY_TIMEOUT_MS;
      for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
        try {
          await connection.executeQuery(BEGIN_IMMEDIATE);
          return;
        } catch (error) {
          if (!isSqliteBusy(error) || Date.now() >= deadline) throw error;
        }
        await sleep(pause);
      }
    } finally {
      await connection.executeQuery(WAIT);
    }
  }
}

/**
 * Kysely's SQLite dialect whose transactions begin IMMEDIATE (`db.transaction().setAccessMode('read only')`
 * begins a deferred one, which never writes to the file).
 */
export class WaitingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  #driver: WaitingSqliteDriver | null = null;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    this.#driver = new WaitingSqliteDriver(this.#config);
    return this.#driver;
  }

  /**
   * True when no query or transaction of the Kysely instance holds the connection: a statement run on
   * it now, synchronously, cannot land inside another's transaction.
   */
  get connectionFree(): boolean {
    return this.#driver !== null && this.#driver.held === 0;
  }
}

/** SQLITE_BUSY and its extended codes: another connection kept the lock past the wait. */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}
