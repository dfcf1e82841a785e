// Test servers: the real application over a real database (SQLite or PostgreSQL, see database.ts),
// listening on port 0.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import { loadDemo } from '../../src/demo/demo.service.ts';
import { buildApp } from '../../src/app.ts';
import { freshDatabase } from './database.ts';

export { ENGINE } from './database.ts';

export const PUBLIC_URL = 'http://gazette.test';

export interface TestServer {
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The application, for what HTTP does not show (e.g. app.pageCache). */
  app: FastifyInstance;
  store: Store;
  config: Config;
  /** DATABASE_URL of the server's database, for CLI runs against it. */
  databaseUrl: string;
  dir: string;
  close(): Promise<void>;
}

/** A fresh temp folder, removed by the returned function. */
export function tempDir(prefix = 'gazette-test-'): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the app over a new migrated database, with the demo content unless demo is false. */
export async function startTestServer(options: { demo?: boolean; env?: Record<string, string>; logStream?: NodeJS.WritableStream } = {}): Promise<TestServer> {
  const tmp = tempDir();
  const database = await freshDatabase(tmp.dir);
  const config = loadConfig({
    DATABASE_URL: database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL,
    LOG_LEVEL: 'silent',
    MEDIA_DIR: path.join(tmp.dir, 'media'),
    ...options.env,
  });
  const store = await openStore(config.database);
  await migrateToLatest(store);
  if (options.demo !== false) await loadDemo(store);
  // Log lines go nowhere, unless the test reads them (then LOG_LEVEL in env decides which).
  const app = await buildApp(config, store, options.logStream ? { logStream: options.logStream } : { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    app,
    store,
    config,
    databaseUrl: database.url,
    dir: tmp.dir,
    async close() {
      await app.close();
      await store.close();
      await database.drop();
      tmp.remove();
    },
  };
}

/** The seed article's path. */
export const SEED_PATH = '/news/disclosure-of-confidential-document';

const BIN = path.resolve(import.meta.dirname, '../../bin/gazette.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `gazette` command against a test server's database, as an editor would in another process. */
export function runCli(server: TestServer, args: readonly string[], options: { timeoutMs?: number; input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { PATH: process.env.PATH, DATABASE_URL: server.databaseUrl, PUBLIC_URL: server.config.publicUrl, LOG_LEVEL: 'silent', MEDIA_DIR: server.config.mediaDir, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    // What the command reads on standard input (a password for --password-stdin); otherwise none.
    child.stdin?.end(options.input ?? '');
  });
}
