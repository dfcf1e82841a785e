// Test servers: the real application on a real SQLite file in a temp folder, listening on port 0.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import { loadDemo } from '../../src/demo/demo.service.ts';
import { buildApp } from '../../src/web/app.ts';

export const PUBLIC_URL = 'http://gazette.test';

export interface TestServer {
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  store: Store;
  config: Config;
  dir: string;
  close(): Promise<void>;
}

/** A fresh temp folder, removed by the returned function. */
export function tempDir(prefix = 'gazette-test-'): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the app over a new migrated SQLite file, with the demo content unless demo is false. */
export async function startTestServer(options: { demo?: boolean; env?: Record<string, string> } = {}): Promise<TestServer> {
  const tmp = tempDir();
  const config = loadConfig({
    DATABASE_URL: `file:${path.join(tmp.dir, 'gazette.db')}`,
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const store = openStore(config.database);
  await migrateToLatest(store.db);
  if (options.demo !== false) await loadDemo(store);
  const app = await buildApp(config, store, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    store,
    config,
    dir: tmp.dir,
    async close() {
      await app.close();
      await store.close();
      tmp.remove();
    },
  };
}

/** The seed article's path. */
export const SEED_PATH = '/news/disclosure-of-confidential-document';
