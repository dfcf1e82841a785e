// The real Gazette server, started the way `npm start` starts it (the bundle in dist/, with the Node flags
// of package.json's start script), on a fresh temp database.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildAndGetServeArgs } from '../../scripts/start-command.mjs';
import { tempDir } from './cleanup.ts';
import { spawnServer, type ServerProcess } from './child-server.ts';
import { freePort } from './ports.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * Extra Node options for the Gazette server only (BENCH_NODE_OPTIONS), to try a runtime setting such as
 * --max-semi-space-size=2 without touching the project; recorded in every result file.
 */
export const GAZETTE_NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? '';

function nodeOptionsEnv(): Record<string, string> {
  return GAZETTE_NODE_OPTIONS ? { NODE_OPTIONS: [process.env.NODE_OPTIONS, GAZETTE_NODE_OPTIONS].filter(Boolean).join(' ') } : {};
}

export interface GazetteServer extends ServerProcess {
  /** The temp folder holding the database; removed by stop(). */
  readonly dir: string;
}

export interface GazetteOptions {
  /** Extra or overriding environment variables (DEMO_CONTENT, SITE_NAME, …). */
  env?: Record<string, string>;
  /** Called with the database file before the server starts, e.g. to load a corpus. */
  prepare?(databaseFile: string): Promise<void>;
}

/** Starts the server as `npm start` does, on a free port over a new SQLite file in a temp folder. */
export async function startGazette(options: GazetteOptions = {}): Promise<GazetteServer> {
  const { dir, remove } = tempDir('gazette-bench-');
  const databaseFile = path.join(dir, 'gazette.db');
  try {
    await options.prepare?.(databaseFile);
    const port = await freePort();
    const server = await spawnServer({
      label: 'Gazette server',
      args: buildAndGetServeArgs(REPO_ROOT),
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: `file:${databaseFile}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...nodeOptionsEnv(),
        ...options.env,
      },
      url: `http://127.0.0.1:${port}`,
    });
    return {
      ...server,
      dir,
      async stop() {
        await server.stop();
        remove();
      },
    };
  } catch (error) {
    remove();
    throw error;
  }
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole command, Node and tsx start-up included. */
  ms: number;
}

/** Runs `gazette <args>` against a database file (e.g. to load a corpus in GazetteOptions.prepare). */
export function runGazette(databaseFile: string, args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'gazette.mjs'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: `file:${databaseFile}`, LOG_LEVEL: 'warn', ...nodeOptionsEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}
