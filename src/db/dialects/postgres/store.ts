// The PostgreSQL store: a pool of connections through Kysely's PostgresDialect, checked at open.
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import { pg } from './pg.ts';
import type * as Pg from 'pg';
import type { Database } from '../../schema.ts';
import { StoreUnavailable, type Store } from '../../store.ts';
import { ON_COMMIT, postgresChangeFeed } from './changes.ts';
import { postgresSchema } from './schema.ts';
import { readReusableQueriesOnPool, reusableStatementName } from './reusable-reads.ts';
import { useJsonFunctions } from '../../json-rows.ts';
import { createPostgresSearchIndex } from './search-index.ts';
import { isLockTimeout, takeWriteTurn } from './transactions.ts';

export interface PostgresTarget {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  /** Safe to print: no password. */
  description: string;
}

/** The oldest server the schema and queries are written for. */
const MIN_VERSION = 150000;

// Integers beyond 2^31 (count(*), sum()) arrive as text by default; every count here fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** Connects, checks the server, and returns the store over a pool. */
export async function openPostgres(target: PostgresTarget, onError: (error: unknown) => void = () => {}): Promise<Store> {
  const clientConfig: Pg.ClientConfig = {
    connectionString: target.url,
    connectionTimeoutMillis: 5000,
    application_name: 'gazette',
    ...(target.statementTimeoutMs ? { statement_timeout: target.statementTimeoutMs } : {}),
  };
  const pool = new pg.Pool({ ...clientConfig, max: target.poolSize, idleTimeoutMillis: 30_000 });
  // An idle connection the server closed (restart, failover) is dropped from the pool; the next
  // query opens a new one. Without a listener the error would end the process.
  pool.on('error', onError);
  pool.on('connect', prepareConnection);
  let version: number;
  try {
    const result = await pool.query<{ server_version_num: string }>('show server_version_num');
    version = Number(result.rows[0]?.server_version_num ?? 0);
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StoreUnavailable(`cannot connect to ${target.description}: ${reasonOf(error)}`);
  }
  if (version < MIN_VERSION) {
    await pool.end().catch(() => {});
    throw new StoreUnavailable(`${target.description} runs PostgreSQL ${formatVersion(version)}; Gazette needs PostgreSQL 15 or later`, 78);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  readReusableQueriesOnPool(db, pool);
  useJsonFunctions(db, { array: 'json_agg', object: 'json_build_object' });
  const changes = postgresChangeFeed(pool, clientConfig, onError);
  return {
    db,
    async writeTransaction(work, announces) {
      const result = await db.transaction().execute(async (trx) => {
        await takeWriteTurn(trx);
        const done = await work(trx);
        // Held by the connection and sent with the commit (prepareConnection): no round trip of its own.
        if (announces?.length) await trx.executeQuery(CompiledQuery.raw(changes.notifyOnCommit(announces)));
        return done;
      });
      if (announces?.length) changes.tellHere(announces);
      return result;
    },
    search: createPostgresSearchIndex(),
    pages: null,
    changes,
    schema: postgresSchema,
    description: target.description,
    isUnavailable: (error) => isConnectionError(error) || isLockTimeout(error),
    readsInParallelThreads: false,
    // DROP INDEX takes an ACCESS EXCLUSIVE lock held to the commit: a live site's readers would wait.
    setIndexesAside: async () => null,
    async refreshPlannerStatistics(db, table) {
      await sql`analyze ${sql.id(table)}`.execute(db);
    },
    isUniqueViolation: (error) => (error as { code?: string } | null)?.code === '23505',
    async close() {
      await changes.close();
      await db.destroy();
    },
  };
}

/** What Kysely's driver sends to start a transaction that asks for no isolation level or access mode. */
const BEGIN = 'begin';

/** Answers for a transaction's start or end that the server was not asked (see prepareConnection). */
const unsent = (command: 'BEGIN' | 'COMMIT' | 'ROLLBACK' | 'SELECT') => ({ command, rowCount: null, oid: 0, rows: [], fields: [] });

/**
 * Makes a new connection of the pool:
 * - run the reusable queries (src/db/reusable-query.ts) as named statements: node-postgres sends a
 *   statement's text to be parsed once per connection and then only its name and values, and the server
 *   keeps the statement, planning it once it has seen that a generic plan serves (after five runs). An
 *   uncached article page makes about nine small queries; on the server, parsing and planning each anew
 *   cost about as much as running it. Any other SQL is sent as before. (The store's own Kysely instance
 *   runs its reusable queries on the pool itself, already named: reusable-reads.ts; those of
 *   transactions are named here.)
 * - hold a statement marked ON_COMMIT (changes.ts: the NOTIFY of a write transaction's announcement) and
 *   send it in one message with the `commit` after it (decision 0055); a rollback drops it, and any other
 *   statement after it has it sent first.
 * - send a transaction's `begin` with the statement after it when that one goes by the simple protocol
 *   (no parameters; several statements may share a message): a write transaction's first statement
 *   takes the write turn (transactions.ts), so `begin` and the turn cost one round trip instead of two
 *   (decision 0052). Before any other statement the `begin` is sent first, as it was; a transaction that
 *   ends before any statement sends nothing.
 */
function prepareConnection(client: Pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let heldBegin = false;
  let heldOnCommit: string | null = null;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    const simple = typeof text === 'string' && Array.isArray(values) && values.length === 0 && rest.length === 0;
    if (simple && !heldBegin && (text as string).startsWith(ON_COMMIT)) {
      heldOnCommit = heldOnCommit === null ? (text as string) : `${heldOnCommit}; ${text as string}`;
      return Promise.resolve(unsent('SELECT'));
    }
    if (heldOnCommit !== null) {
      const held = heldOnCommit;
      heldOnCommit = null;
      if (simple && text === 'commit') {
        // One message; the caller gets the commit's answer. An error in either fails the commit, and the
        // rollback Kysely then sends ends the failed transaction: nothing is written, nothing announced.
        return (query(`${held}; commit`, []) as Promise<Pg.QueryResult[]>).then((results) => results[results.length - 1]);
      }
      if (!(simple && text === 'rollback')) (query(held, []) as Promise<unknown>).catch(() => {});
    }
    if (simple && text === BEGIN && !heldBegin) {
      heldBegin = true;
      return Promise.resolve(unsent('BEGIN'));
    }
    if (heldBegin) {
      heldBegin = false;
      if (simple && (text === 'commit' || text === 'rollback')) return Promise.resolve(unsent(text === 'commit' ? 'COMMIT' : 'ROLLBACK'));
      if (simple) {
        // One message: the server answers each statement; the caller gets the answers its own SQL would have.
        return (query(`${BEGIN}; ${text as string}`, values) as Promise<Pg.QueryResult[]>).then((results) => (results.length === 2 ? results[1] : results.slice(1)));
      }
      // Sent first, ahead of the statement in the connection's queue; a failure shows in the statement's answer too.
      (query(BEGIN, []) as Promise<unknown>).catch(() => {});
    }
    const name = typeof text === 'string' && Array.isArray(values) ? reusableStatementName(text) : undefined;
    return name ? query({ name, text, values }, ...rest) : query(text, values, ...rest);
  };
}

/** Network failures, and the server's own "shutting down / not accepting connections" (SQLSTATE 57P0x, 08xxx). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P01', '57P02', '57P03']);

/** True when an error says the server cannot be reached, rather than that a query was wrong. */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  // node-postgres reports a dropped connection and a pool wait past connectionTimeoutMillis by message only.
  return typeof e.message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(e.message);
}

/** Why a connection failed, in a line, without the URL (which may hold the password). */
export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return reasonOf(error.errors[0]);
  const e = error as { code?: string; message?: string };
  const message = (e.message ?? String(error)).replace(/postgres(ql)?:\/\/\S+/gi, '<url>');
  return e.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}

function formatVersion(num: number): string {
  return `${Math.floor(num / 10000)}.${num % 10000}`;
}
