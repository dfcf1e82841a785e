// Searches run in worker threads (SQLite) answer exactly what the same search answers in the main
// thread, errors keep their code and message, and many searches at once all come back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/db/database.ts';
import { AppError } from '../../src/errors.ts';
import { searchRunner, type SearchRunner } from '../../src/search/search.pool.ts';
import { search } from '../../src/search/search.service.ts';
import { ENGINE } from '../helpers/database.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let threads: SearchRunner;
before(async () => {
  server = await startTestServer();
  threads = searchRunner(server.store, server.config.database, 2);
});
after(async () => {
  await threads.close();
  await server.close();
});

const requests = [{ q: 'confidential document' }, { q: 'وثيقة' }, { q: 'كتابخانه' }, { q: 'negotiat*' }, { q: '"classified document"', language: 'en' }, { q: 'nothing-matches-this' }];

test('threads answer what the main thread answers', async () => {
  for (const request of requests) assert.deepEqual(await threads(request), await search(server.store, request), JSON.stringify(request));
});

test('a refused search keeps its code and message across the thread', async () => {
  const bad = { q: 'iraq', from: '2024-05-01', to: '2024-01-01' };
  const expected = await search(server.store, bad).catch((e: unknown) => e);
  const got = await threads(bad).catch((e: unknown) => e);
  assert.ok(expected instanceof AppError && got instanceof AppError);
  assert.equal(got.code, expected.code);
  assert.equal(got.message, expected.message);
});

test('many searches at once all come back', async () => {
  const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => threads(requests[i % requests.length]!)));
  assert.equal(outcomes.length, 40);
  assert.ok(outcomes[0]!.results.length > 0);
});

test('a search thread connection keeps a smaller page cache than the server connection', { skip: ENGINE === 'postgres' ? 'PostgreSQL searches on its pool, without threads' : false }, async () => {
  const reader = await openStore(server.config.database, { readOnly: true });
  try {
    const size = async (store: Store) => Number(Object.values((await sql<Record<string, number>>`pragma cache_size`.execute(store.db)).rows[0]!)[0]);
    // Negative sizes are KiB: the reader's cache is 4 MB, the server's better-sqlite3's default 16 MB.
    assert.equal(await size(reader), -4096);
    assert.ok((await size(server.store)) < -4096);
  } finally {
    await reader.close();
  }
});
