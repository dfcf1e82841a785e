// The real Gazette server, started the way `npm start` starts it (the bundle in dist/, with the Node flags
// of package.json's start script), on a fresh database of the engine asked for: a new SQLite file in a
// temp folder, or a new database on the PostgreSQL server of BENCH_DATABASE_URL (lib/engines.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildServer, noteCodeStart, REPO_ROOT } from './builds.ts';
import { atExit, tempDir } from './cleanup.ts';
import { spawnServer, type ServerProcess } from './child-server.ts';
import { backendPids, createDatabase, SQLITE, type Engine } from './engines.ts';
import { freePort } from './ports.ts';

export { REPO_ROOT };

/**
 * Extra Node options for the Gazette server only (BENCH_NODE_OPTIONS), to try a runtime setting such as
 * --max-semi-space-size=2 without touching the project; recorded in every result file.
 */
export const GAZETTE_NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? '';

function nodeOptionsEnv(): Record<string, string> {
  return GAZETTE_NODE_OPTIONS ? { NODE_OPTIONS: [process.env.NODE_OPTIONS, GAZETTE_NODE_OPTIONS].filter(Boolean).join(' ') } : {};
}

/** The database a benchmarked server runs on. */
export interface BenchDatabase {
  readonly engine: Engine;
  /** Its DATABASE_URL (file:… or postgres://…), for the server, the CLI and openStore. */
  readonly url: string;
}

export interface GazetteServer extends ServerProcess {
  readonly database: BenchDatabase;
  /**
   * The PostgreSQL backends serving this server's connections (none on SQLite, which runs inside the
   * server process): their CPU time is part of what a response costs.
   */
  databasePids?: () => Promise<number[]>;
  /**
   * The environment the server was given beyond DATABASE_URL (PORT, MEDIA_DIR, the run's own settings),
   * for a `gazette` command that must render as the server does: a stored page belongs to the build
   * that rendered it, PUBLIC_URL (from PORT) among its settings (decision 0073).
   */
  readonly env: Readonly<Record<string, string>>;
}

export interface GazetteOptions {
  /** SQLite (default) or PostgreSQL. */
  engine?: Engine;
  /** Start from a copy of a kept database: an SQLite file, or a PostgreSQL database used as a template. */
  from?: string;
  /** Extra or overriding environment variables (DEMO_CONTENT, SITE_NAME, …). */
  env?: Record<string, string>;
  /** Called with the (empty, or copied) database before the server starts, e.g. to load content. */
  prepare?(database: BenchDatabase): Promise<void>;
}

/** Starts the server as `npm start` does, on a free port over a new database. */
export async function startGazette(options: GazetteOptions = {}): Promise<GazetteServer> {
  const engine = options.engine ?? SQLITE;
  const { dir, remove } = tempDir('gazette-bench-');
  let dropDatabase = async () => {};
  try {
    let database: BenchDatabase;
    let databasePids: (() => Promise<number[]>) | undefined;
    if (engine.kind === 'sqlite') {
      const file = path.join(dir, 'gazette.db');
      if (options.from) fs.copyFileSync(options.from, file);
      database = { engine, url: `file:${file}` };
    } else {
      const created = await createDatabase(engine, options.from);
      dropDatabase = () => created.drop();
      database = { engine, url: created.url };
      databasePids = () => backendPids(engine, created.name);
    }
    await options.prepare?.(database);
    // Uploaded files and generated social cards go in the run's own folder: with the default
    // (data/media under the repository, kept between runs) a run would find what earlier runs made.
    const port = await freePort();
    const env = { MEDIA_DIR: path.join(dir, 'media'), ...options.env };
    const server = await serveGazette(database, { port, args: buildServer(), env });
    return {
      ...server,
      database,
      env: { PORT: String(port), ...env },
      ...(databasePids ? { databasePids } : {}),
      async stop() {
        await server.stop();
        await dropDatabase();
        remove();
      },
    };
  } catch (error) {
    await dropDatabase().catch(() => {});
    remove();
    throw error;
  }
}

/**
 * Starts the server as `npm start` does on a database that already exists, and leaves the database alone
 * when it stops: a scenario that restarts servers on one database (crash) creates and drops it itself.
 * `args` come from buildServer (built once by the caller).
 */
export function serveGazette(database: BenchDatabase, options: { port: number; args: string[]; env?: Record<string, string> }): Promise<ServerProcess> {
  return spawnServer({
    label: `Gazette server (${database.engine.label})`,
    args: options.args,
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // The load generator is one address holding BENCH_CONNECTIONS connections, which may be more
      // than a reader's share (decision 0015).
      MAX_CONNECTIONS_PER_ADDRESS: '0',
      ...nodeOptionsEnv(),
      ...options.env,
    },
    url: `http://127.0.0.1:${options.port}`,
  });
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole command, Node and tsx start-up included. */
  ms: number;
}

/** Runs `gazette <args>` against a database (its DATABASE_URL), e.g. to load a corpus. */
export function runGazette(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    noteCodeStart();
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'gazette.mjs'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...nodeOptionsEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // A corpus load runs for many minutes: it must not outlive a bench that was stopped.
    const forget = atExit(() => child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', (error) => {
      forget();
      reject(error);
    });
    child.once('close', (code) => {
      forget();
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}
