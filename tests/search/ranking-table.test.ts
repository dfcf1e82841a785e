// Migration 008 on PostgreSQL: the ranking documents written before it (in the matching table, stored
// out of line) move to a table of their own, and searches rank by them as before.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import { migrationsFor } from '../../src/db/migrations/index.ts';
import { ENGINE, freshDatabase, type TestDatabase } from '../helpers/database.ts';

const skip = ENGINE === 'sqlite' ? 'SQLite ranks from FTS5 itself and keeps no ranking document' : false;
let database: TestDatabase;
let store: Store;

before(async () => {
  if (skip) return;
  database = await freshDatabase();
  store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
});

after(async () => {
  if (skip) return;
  await store.close();
  await database.drop();
});

test('ranking documents written before migration 008 are moved to their own table and still rank', { skip }, async () => {
  const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrationsFor(store.schema) } });
  const upTo007 = await migrator.migrateTo('007_search_ranking');
  assert.equal(upTo007.error, undefined);
  // Two entries as the index wrote them then: the word in one's headline, in the other's body only.
  const entry = (id: number, headline: string, body: string) => sql`
    insert into article_search (article_id, section_id, language, published_at, document, rank_document)
    values (${id}, 1, 'en', '2024-01-01T00:00:00Z',
      setweight(to_tsvector('gazette', ${headline}), 'A') || setweight(to_tsvector('gazette', ${body}), 'D'),
      setweight(to_tsvector('gazette', ${headline}), 'A') || setweight(to_tsvector('gazette', ${body}), 'D'))`;
  await entry(1, 'cranes at the harbour', 'the port bought new cranes').execute(store.db);
  await entry(2, 'council budget', 'the harbour was mentioned once').execute(store.db);

  await migrateToLatest(store);
  const moved = await sql<{ n: number }>`select count(*)::int as n from article_search_rank`.execute(store.db);
  assert.equal(moved.rows[0]!.n, 2);
  const column = await sql`select 1 from information_schema.columns where table_name = 'article_search' and column_name = 'rank_document'`.execute(store.db);
  assert.equal(column.rows.length, 0, 'the matching table no longer carries the ranking document');

  const ranked = await store.search.search(store.db, [{ words: ['harbour'], prefix: false }], {}, 10, 0, 1000);
  assert.deepEqual(ranked.ids, [1, 2], 'the headline match first, as before the move');
});
