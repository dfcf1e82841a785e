// The page cache of each SQLite connection is bounded by the project, not left to better-sqlite3's build
// (decision 0060): the process's own connection by SQLITE_CACHE_MB (16 MiB unless set), each search
// thread's read-only connection at 4 MiB whatever that says. SQLite reports a bound given in KiB as a
// negative cache_size. PostgreSQL has no per-connection page cache of the process's to bound.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import { ENGINE } from '../helpers/database.ts';

async function cacheSizeOf(store: Store): Promise<number> {
  const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(store.db);
  return rows[0]!.cache_size;
}

describe('SQLite page cache bounds', { skip: ENGINE !== 'sqlite' && 'SQLite only: PostgreSQL keeps its buffers in the database server' }, () => {
  let dir: string;
  let file: string;
  const opened: Store[] = [];
  const open = async (...args: Parameters<typeof openStore>) => {
    const store = await openStore(...args);
    opened.push(store);
    return store;
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-cache-'));
    file = path.join(dir, 'gazette.db');
    const store = await open({ kind: 'sqlite', file });
    await migrateToLatest(store);
  });
  after(async () => {
    for (const store of opened) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('bounds the process connection at 16 MiB when no size is given', async () => {
    assert.equal(await cacheSizeOf(opened[0]!), -16 * 1024);
  });

  it('bounds it at SQLITE_CACHE_MB, read from the environment through the configuration', async () => {
    const config = loadConfig({ DATABASE_URL: `file:${file}`, SQLITE_CACHE_MB: '3' });
    assert.deepEqual(config.database, { kind: 'sqlite', file, cacheMb: 3 });
    assert.equal(await cacheSizeOf(await open(config.database)), -3 * 1024);
  });

  it('keeps a search thread connection at 4 MiB whatever SQLITE_CACHE_MB says', async () => {
    const reader = await open({ kind: 'sqlite', file, cacheMb: 64 }, { readOnly: true });
    assert.equal(await cacheSizeOf(reader), -4 * 1024);
  });
});
