// PostgreSQL's search does less work per query than it used to (decision 0041): a one-word query scores
// only the matches whose bound can reach the page, and results are marked from the stored positions
// instead of by ts_headline. Both must give exactly what the full work gives.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import { tsqueryText } from '../../src/db/dialects/postgres/search-index.ts';
import { parseQuery } from '../../src/search/query.ts';
import { MARK_CLOSE, MARK_OPEN } from '../../src/search/snippet.ts';
import { ENGINE, freshDatabase, type TestDatabase } from '../helpers/database.ts';

const skip = ENGINE === 'sqlite' ? 'SQLite ranks and marks with FTS5 itself' : false;
let database: TestDatabase;
let store: Store;

const filler = 'council members discussed the harbour budget and the new roads for the district'.split(' ');

before(async () => {
  if (skip) return;
  database = await freshDatabase();
  store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
  await migrateToLatest(store);
  // 120 articles holding "quokka": a few in the headline or tags, most only in the body, once or
  // several times, in bodies of different lengths (the bound depends on the length).
  const docs = Array.from({ length: 120 }, (_, i) => {
    const words = Array.from({ length: 20 + ((i * 37) % 200) }, (_, j) => filler[(i + j) % filler.length]!);
    for (let k = 0; k <= i % 4; k++) words.splice((i * 13 + k * 29) % words.length, 0, k % 2 ? 'quokkas' : 'quokka');
    return {
      id: i + 1,
      headline: i % 17 === 0 ? `A quokka story ${i}` : `Harbour news ${i}`,
      subtitle: i % 23 === 0 ? 'Quokkas seen near the port' : 'Council notes',
      tags: i % 29 === 0 ? ['quokka'] : ['harbour'],
      body: words.join(' '),
      sectionId: 1 + (i % 2),
      language: 'en',
      publishedAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
    };
  });
  await store.search.putMany(store.db, docs);
  await store.search.compact(store.db);
});

after(async () => {
  if (skip) return;
  await store.close();
  await database.drop();
});

const clausesOf = (text: string) => {
  const parsed = parseQuery(text);
  assert.ok(!('problem' in parsed));
  return parsed.clauses;
};

test('a one-word search gives every page in the order that scoring every match gives', { skip }, async () => {
  const pages = async () => {
    const out: unknown[] = [];
    for (const filters of [{}, { sectionId: 2 }])
      for (const [limit, offset] of [[10, 0], [10, 10], [10, 50], [10, 110], [1, 0], [200, 0]] as const)
        out.push(await store.search.search(store.db, clausesOf('quokka'), filters, limit, offset, 1000));
    return out;
  };
  const bounded = await pages();
  const scoredMatches = await sql<{ n: number }>`select count(*)::int as n from article_search where head_terms is not null`.execute(store.db);
  assert.equal(scoredMatches.rows[0]!.n, 120, 'every entry carries its bound');
  // Without the bound columns every match is scored, as before decision 0041.
  await sql`update article_search set rank_length = null, head_terms = null`.execute(store.db);
  const full = await pages();
  assert.deepEqual(bounded, full);
  assert.equal((bounded[0] as { ids: number[] }).ids.length, 10);
});

test('marks from stored positions are the marks ts_headline gives', { skip }, async () => {
  const ids = Array.from({ length: 120 }, (_, i) => i + 1);
  for (const text of ['quokka', 'quokka*', 'quok*', '"harbour budget"', 'the roads', 'council quokkas']) {
    const clauses = clausesOf(text);
    const marked = await store.search.mark(store.db, clauses, ids);
    const expected = await sql<{ article_id: number; headline: string; subtitle: string; body: string }>`
      select article_id,
        ts_headline('gazette', headline, q, 'HighlightAll=true, StartSel=<<, StopSel=>>') as headline,
        ts_headline('gazette', subtitle, q, 'HighlightAll=true, StartSel=<<, StopSel=>>') as subtitle,
        ts_headline('gazette', body, q, 'HighlightAll=true, StartSel=<<, StopSel=>>') as body
      from article_search_text, to_tsquery('gazette', ${tsqueryText(clauses)}) as q`.execute(store.db);
    assert.equal(expected.rows.length, 120);
    const marks = (s: string) => s.replaceAll('<<', MARK_OPEN).replaceAll('>>', MARK_CLOSE);
    for (const r of expected.rows)
      assert.deepEqual(marked.get(r.article_id), { headline: marks(r.headline), subtitle: marks(r.subtitle), body: marks(r.body) }, `${text}: article ${r.article_id}`);
  }
});
