// The database engines a run measures: SQLite always, PostgreSQL when BENCH_DATABASE_URL names a server
// the bench can reach (default: postgres://postgres@127.0.0.1:5432/test, used only if it answers). Each
// Gazette server on PostgreSQL gets a database of its own, created for the run (gazette_bench_<random>)
// and dropped afterwards, also when the bench dies (see atExit below).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { atExit } from './cleanup.ts';
import { cpuSeconds } from './proc.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface SqliteEngine {
  readonly kind: 'sqlite';
  readonly label: 'SQLite';
}

export interface PostgresEngine {
  readonly kind: 'postgres';
  readonly label: 'PostgreSQL';
  /** BENCH_DATABASE_URL: a database on the server to connect to while creating and dropping others. */
  readonly adminUrl: string;
  /** e.g. "PostgreSQL 15.8 at 127.0.0.1:5432" (never a password). */
  readonly description: string;
}

export type Engine = SqliteEngine | PostgresEngine;

export const SQLITE: SqliteEngine = { kind: 'sqlite', label: 'SQLite' };

export interface EngineChoice {
  engines: Engine[];
  /** Why PostgreSQL is not measured, when it is not. */
  skipped?: string;
}

/** host:port/database of a URL, without user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** The same server, another database. */
export function urlForDatabase(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = '/' + database;
  return u.toString();
}

const reason = (error: unknown) => (error instanceof Error ? error.message || error.name : String(error)).split('\n')[0]!;

/** Runs fn on a short-lived connection to the admin database. */
async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000, application_name: 'gazette-bench' });
  // A connection the server drops while idle must not end the bench with an unhandled 'error'.
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Which engines to measure. BENCH_DATABASE_URL unset: PostgreSQL at the default URL if it answers,
 * otherwise SQLite only with the reason. Set to a URL: that server, and an error if it cannot be used
 * (it was asked for). Set to the empty string: SQLite only.
 */
export async function chooseEngines(): Promise<EngineChoice> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given === '') return { engines: [SQLITE], skipped: 'BENCH_DATABASE_URL is set to the empty string, so only SQLite is measured.' };
  const url = given ?? DEFAULT_POSTGRES_URL;
  if (!/^postgres(ql)?:\/\//i.test(url)) throw new Error(`BENCH_DATABASE_URL: expected postgres://user@host:port/database (got "${describeUrl(url)}")`);
  try {
    const description = await withClient(url, async (client) => {
      const row = (await client.query<{ v: string; n: string }>("select current_setting('server_version') as v, current_setting('server_version_num') as n")).rows[0];
      const version = row?.v ?? '?';
      const num = Number(row?.n ?? 0);
      if (num < 150000) throw new Error(`the server runs PostgreSQL ${version}; Gazette needs 15 or later`);
      const role = await client.query<{ ok: boolean }>('select rolcreatedb or rolsuper as ok from pg_roles where rolname = current_user');
      if (!role.rows[0]?.ok) throw new Error('the user may not create databases (CREATEDB), and each run needs its own');
      // Said because it decides whether tables get planner statistics by themselves (see lib/corpus.ts).
      const autovacuum = (await client.query<{ v: string }>("select current_setting('autovacuum') as v")).rows[0]?.v;
      return `PostgreSQL ${version.split(' ')[0]} at ${new URL(url).host}${autovacuum === 'off' ? ', autovacuum off' : ''}`;
    });
    return { engines: [SQLITE, { kind: 'postgres', label: 'PostgreSQL', adminUrl: url, description }] };
  } catch (error) {
    const why = `PostgreSQL side skipped: ${describeUrl(url)} (${given === undefined ? 'the default; set BENCH_DATABASE_URL to use another server' : 'BENCH_DATABASE_URL'}) cannot be used: ${reason(error)}.`;
    if (given !== undefined) throw new Error(why.replace('PostgreSQL side skipped: ', 'BENCH_DATABASE_URL: '));
    return { engines: [SQLITE], skipped: why };
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Whether a database of that name exists on the server. */
export async function databaseExists(engine: PostgresEngine, name: string): Promise<boolean> {
  return withClient(engine.adminUrl, async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
}

/** A database's size on disk, in bytes. */
export async function databaseSize(engine: PostgresEngine, name: string): Promise<number> {
  return withClient(engine.adminUrl, async (c) => Number((await c.query<{ size: string }>('select pg_database_size($1) as size', [name])).rows[0]?.size ?? 0));
}

/** Gathers planner statistics for a whole database (ANALYZE), as autovacuum would after a bulk load. */
export async function analyzeDatabase(engine: PostgresEngine, name: string): Promise<void> {
  await withClient(urlForDatabase(engine.adminUrl, name), (c) => c.query('analyze'));
}

/** Drops a database (and ends the sessions still on it). */
export async function dropDatabase(engine: PostgresEngine, name: string): Promise<void> {
  await withClient(engine.adminUrl, (c) => c.query(`drop database if exists ${quote(name)} with (force)`));
}

/** Creates an empty database of that name (kept: nothing drops it). */
export async function createNamedDatabase(engine: PostgresEngine, name: string): Promise<void> {
  await withClient(engine.adminUrl, (c) => c.query(`create database ${quote(name)}`));
}

/** Renames a database nobody is connected to. */
export async function renameDatabase(engine: PostgresEngine, from: string, to: string): Promise<void> {
  await withClient(engine.adminUrl, (c) => c.query(`alter database ${quote(from)} rename to ${quote(to)}`));
}

/**
 * The synchronous last resort when the bench exits without dropping a database it created (an
 * exception, Ctrl-C): 'exit' listeners cannot wait for a promise, so a child node process drops it.
 */
function dropAtExit(engine: PostgresEngine, name: string): () => void {
  const script = `import pg from 'pg';
const c = new pg.Client({ connectionString: process.env.BENCH_ADMIN_URL, connectionTimeoutMillis: 3000 });
await c.connect();
await c.query('drop database if exists "' + process.env.BENCH_DROP.replace(/"/g, '""') + '" with (force)');
await c.end();`;
  return atExit(() => {
    spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', BENCH_ADMIN_URL: engine.adminUrl, BENCH_DROP: name },
      stdio: 'ignore',
      timeout: 15_000,
    });
  });
}

export interface PostgresDatabase {
  readonly name: string;
  /** DATABASE_URL of the new database. */
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A new database for one run, empty or a copy of `template` (a kept corpus), dropped by drop() or,
 * failing that, when the bench exits. Copies are made file by file (STRATEGY FILE_COPY): for a corpus of
 * a gigabyte that is much faster than writing it all through the WAL.
 */
export async function createDatabase(engine: PostgresEngine, template?: string): Promise<PostgresDatabase> {
  const name = `gazette_bench_${randomBytes(5).toString('hex')}`;
  const forget = dropAtExit(engine, name);
  try {
    await withClient(engine.adminUrl, (c) => c.query(`create database ${quote(name)}${template ? ` template ${quote(template)} strategy file_copy` : ''}`));
  } catch (error) {
    forget();
    throw new Error(`cannot create database ${name} on ${describeUrl(engine.adminUrl)}${template ? ` from ${template}` : ''}: ${reason(error)}`, { cause: error });
  }
  return {
    name,
    url: urlForDatabase(engine.adminUrl, name),
    async drop() {
      await dropDatabase(engine, name);
      forget();
    },
  };
}

/** The server processes (backends) holding connections to a database, except this bench's own. */
export async function backendPids(engine: PostgresEngine, database: string): Promise<number[]> {
  return withClient(engine.adminUrl, async (c) => {
    const rows = await c.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1 and application_name <> 'gazette-bench'", [database]);
    return rows.rows.map((r) => r.pid);
  });
}

/** CPU seconds of each pid right now (pids that are gone are left out). */
export function cpuByPid(pids: number[]): Map<number, number> {
  const seen = new Map<number, number>();
  for (const pid of pids) {
    const sec = cpuSeconds(pid);
    if (sec !== undefined) seen.set(pid, sec);
  }
  return seen;
}
