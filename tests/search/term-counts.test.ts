// PostgreSQL keeps a table of indexed terms with their article counts (the prefix guard and "Check Also"
// read it), updated by every article write. After writes, rewrites, unpublishing and concurrent writers
// sharing words, it must equal a recount from the index itself. (SQLite reads FTS5's own vocabulary.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createArticle, updateArticle } from '../../src/articles/article.service.ts';
import { countAllTerms } from '../../src/db/dialects/postgres/search-index.ts';
import { ENGINE } from '../helpers/database.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const skip = ENGINE !== 'postgres' ? 'SQLite reads the counts from FTS5 itself; there is no table to keep' : false;
let server: TestServer;

before(async () => {
  if (!skip) server = await startTestServer();
});
after(async () => {
  if (!skip) await server.close();
});

async function difference(): Promise<unknown[]> {
  const kept = await sql<{ term: string; docs: number }>`select term, docs from article_search_terms where docs <> 0 order by term`.execute(server.store.db);
  const counted = await sql<{ term: string; docs: number }>`select word as term, ndoc as docs from ts_stat('select document from article_search') order by word`.execute(server.store.db);
  const a = new Map(kept.rows.map((r) => [r.term, Number(r.docs)]));
  const b = new Map(counted.rows.map((r) => [r.term, Number(r.docs)]));
  return [...new Set([...a.keys(), ...b.keys()])].filter((t) => a.get(t) !== b.get(t)).map((t) => ({ term: t, kept: a.get(t), counted: b.get(t) }));
}

test('term counts follow writes, rewrites and unpublishing, and concurrent writers do not deadlock', { skip }, async () => {
  assert.deepEqual(await difference(), [], 'after the demo content');
  const words = 'harbour cranes ferry timetable council budget river bridge lantern museum'.split(' ');
  const made = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      createArticle(server.store, { section: 'news', slug: `terms-${i}`, headline: `Harbour report ${i}`, body: words.slice(i % 5, (i % 5) + 5).join(' '), tags: ['Ports'] }),
    ),
  );
  assert.deepEqual(await difference(), [], 'after twelve concurrent writes sharing words');
  await Promise.all(made.slice(0, 6).map((m, i) => updateArticle(server.store, m.id, { body: `${words[9 - i]} ${words[i]} entirely new wording ${i}` })));
  assert.deepEqual(await difference(), [], 'after rewrites');
  await Promise.all(made.slice(6).map((m) => updateArticle(server.store, m.id, { status: 'draft' })));
  assert.deepEqual(await difference(), [], 'after unpublishing');
});

test('a recount after a bulk load, a slice of articles per statement, equals one count over the whole index', { skip }, async () => {
  const db = server.store.db;
  await sql`truncate article_search_terms`.execute(db);
  // Slices of three articles: the demo content and the articles above span several, sharing terms.
  await countAllTerms(db, 3);
  const counted = await sql<{ n: number }>`select count(*) as n from article_search_terms where docs > 1`.execute(db);
  assert.ok(Number(counted.rows[0]!.n) > 10, 'terms shared by articles of different slices were counted');
  assert.deepEqual(await difference(), []);
});
