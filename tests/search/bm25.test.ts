// Check Also's bulk ranking (decision 0064) works FTS5's bm25() out in JavaScript from the index's
// postings: its scores must be FTS5's to the last bit, and its lists those the bm25 queries give, ties
// and windows included.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { sql, type KyselyPlugin } from 'kysely';
import { createArticle } from '../../src/articles/article.service.ts';
import { bulkRanker } from '../../src/db/dialects/sqlite/bulk-rank.ts';
import { averageLength, bm25, clampedIdf, idfArgument } from '../../src/search/bm25.ts';
import { SIMILAR_WINDOW } from '../../src/search/similar-terms.ts';
import { ENGINE, startTestServer, type TestServer } from '../helpers/server.ts';

const SQLITE_ONLY = { skip: ENGINE === 'postgres' ? 'the bulk ranking is SQLite’s (PostgreSQL ranks with ts_rank)' : false };

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY = 'river harbour cargo crane tide ledger copper tariff ferry beacon quarry mill lantern orchard drought canal barley glacier falcon meadow'.split(' ');

test('bm25 worked out in JavaScript gives FTS5’s scores exactly', () => {
  const db = new Database(':memory:');
  db.exec(`create virtual table t using fts5(headline, subtitle, tags, body, tokenize = 'porter unicode61 remove_diacritics 2')`);
  db.exec(`create virtual table t_instances using fts5vocab(t, 'instance')`);
  const next = random(64);
  const words = (n: number) => Array.from({ length: n }, () => VOCABULARY[Math.floor(next() * next() * VOCABULARY.length)]).join(' ');
  const insert = db.prepare('insert into t (rowid, headline, subtitle, tags, body) values (?, ?, ?, ?, ?)');
  for (let id = 1; id <= 300; id++) {
    // Every tenth row repeats the one before it: rows that tie.
    const text = id % 10 === 0 ? (db.prepare('select headline, subtitle, tags, body from t where rowid = ?').get(id - 1) as Record<string, string>) : null;
    insert.run(id, text?.headline ?? words(1 + Math.floor(next() * 6)), text?.subtitle ?? words(Math.floor(next() * 10)), text?.tags ?? words(Math.floor(next() * 4)), text?.body ?? words(5 + Math.floor(next() * 150)));
  }
  db.prepare('delete from t where rowid in (7, 8, 150)').run();

  const rows = (db.prepare('select count(*) as n from t').get() as { n: number }).n;
  let tokens = 0;
  const sizes = new Map<number, number>();
  for (const r of db.prepare('select rowid as id, headline, subtitle, tags, body from t').all() as { id: number; headline: string; subtitle: string; tags: string; body: string }[]) {
    const size = [r.headline, r.subtitle, r.tags, r.body].reduce((sum, c) => sum + (c ? c.split(' ').length : 0), 0);
    sizes.set(r.id, size);
    tokens += size;
  }
  const avgdl = averageLength(tokens, rows);
  const ln = db.prepare('select ln(?) as v').pluck();
  // The index's term for each word (the porter stemmer's), as the tokenizer gives it.
  db.exec(`create virtual table p using fts5(body, tokenize = 'porter unicode61 remove_diacritics 2')`);
  db.exec(`create virtual table p_instances using fts5vocab(p, 'instance')`);
  VOCABULARY.forEach((word, i) => db.prepare('insert into p (rowid, body) values (?, ?)').run(i + 1, word));
  const termOf = new Map((db.prepare('select doc, term from p_instances').all() as { doc: number; term: string }[]).map((r) => [VOCABULARY[r.doc - 1]!, r.term]));

  let compared = 0;
  for (const weights of [
    [6, 3, 6, 1],
    [10, 4, 5, 1],
    [1, 1, 1, 1],
  ]) {
    for (let q = 0; q < 20; q++) {
      const chosen = [...new Set(Array.from({ length: 1 + (q % 8) }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]!))];
      const expression = chosen.map((w) => `"${w}"`).join(' OR ');
      const expected = db
        .prepare(`select rowid as id, bm25(t, ${weights.map((w) => w.toFixed(1)).join(', ')}) as score from t where t match ? order by rowid`)
        .all(expression) as { id: number; score: number }[];
      // Each phrase's weighted hits per row, and the rows holding it, from the index's instances.
      const hits = chosen.map((word) => {
        const byRow = new Map<number, number>();
        for (const i of db.prepare('select doc, col from t_instances where term = ?').all(termOf.get(word)) as { doc: number; col: string }[]) {
          const w = weights[['headline', 'subtitle', 'tags', 'body'].indexOf(i.col)]!;
          byRow.set(i.doc, (byRow.get(i.doc) ?? 0) + w);
        }
        return byRow;
      });
      const idf = hits.map((h) => clampedIdf(ln.get(idfArgument(rows, h.size)) as number));
      for (const e of expected) {
        const score = bm25(
          idf,
          hits.map((h) => h.get(e.id) ?? 0),
          sizes.get(e.id)!,
          avgdl,
        );
        assert.ok(Object.is(score, e.score), `row ${e.id} for ${expression} with weights ${weights}: ${score} where FTS5 gives ${e.score}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 2000, `${compared} scores compared`);
  db.close();
});

test('the idf is never zero or less, as FTS5 clamps it', () => {
  assert.equal(clampedIdf(Math.log(idfArgument(10, 9))), 1e-6);
  assert.equal(clampedIdf(Math.log(idfArgument(10, 5))), 1e-6);
  assert.ok(clampedIdf(Math.log(idfArgument(10, 1))) > 1);
});

let server: TestServer;
const ids: number[] = [];

before(async () => {
  if (ENGINE === 'postgres') return;
  server = await startTestServer();
  const next = random(7);
  const words = (n: number) => Array.from({ length: n }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]).join(' ');
  for (let i = 0; i < 60; i++) {
    // Some articles say exactly the same, under other addresses: their scores tie.
    const same = i % 6 === 5;
    const headline = same ? 'Harbour ledger copper' : `${words(3)} ${i}`;
    const body = same ? `Tide ferry beacon quarry. ${VOCABULARY.join(' ')}.` : `${words(20 + (i % 7) * 9)}. ${words(12)}.`;
    const article = await createArticle(server.store, {
      section: 'news',
      slug: `bulk-rank-${i}`,
      headline,
      body,
      tags: [same ? 'Harbour' : VOCABULARY[i % VOCABULARY.length]!],
      publishedAt: `2024-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00Z`,
    });
    ids.push(article.id);
  }
});

after(() => server?.close());

/** The store's Kysely with every statement that calls bm25() counted. */
function countingBm25(): { db: TestServer['store']['db']; count: () => number } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      if (JSON.stringify(args.node).includes('bm25(')) n++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: server.store.db.withPlugin(plugin), count: () => n };
}

test('lists ranked from the postings are those the bm25 queries give, ties and windows included', SQLITE_ONLY, async () => {
  const { search } = server.store;
  const all = await search.similar(server.store.db, ids[0]!, 30);
  assert.ok(all.length > 5, 'the articles find each other');
  for (const window of [SIMILAR_WINDOW, 12, 5, 1]) {
    const counted = countingBm25();
    const bulk = await search.similarMany(counted.db, ids, 30, window);
    assert.equal(counted.count(), 0, 'no bm25 query outside a transaction');
    // Inside a transaction the index is ranked by FTS5's own queries.
    const queried = await counted.db.transaction().setAccessMode('read only').execute((trx) => search.similarMany(trx, ids, 30, window));
    assert.ok(counted.count() > 0, 'bm25 queries inside a transaction');
    for (const id of ids) assert.deepEqual(bulk.get(id), queried.get(id), `article ${id}, window ${window}`);
  }
  // Articles that say the same thing tie, the lower id first, as SQLite's sorter gives them.
  const twins = (await search.similar(server.store.db, ids[0]!, 30, SIMILAR_WINDOW)).filter((s) => [ids[5], ids[11], ids[17]].includes(s.id));
  assert.ok(twins.length >= 2, 'the twins are ranked');
  for (let i = 1; i < twins.length; i++) {
    assert.equal(twins[i]!.similarity, twins[0]!.similarity);
    assert.ok(twins[i]!.id > twins[i - 1]!.id);
  }
});

test('what the bulk ranking remembers is dropped when the index changes', SQLITE_ONLY, async () => {
  const { db, search } = server.store;
  const first = await search.similarMany(db, ids, 30);
  const article = await createArticle(server.store, {
    section: 'news',
    slug: 'bulk-rank-late',
    headline: 'Harbour ledger copper tide',
    body: `Tide ferry beacon quarry harbour. ${VOCABULARY.join(' ')} ${VOCABULARY.join(' ')}.`,
    tags: ['Harbour'],
    publishedAt: '2024-05-05T08:00:00Z',
  });
  const withIt = [...ids, article.id];
  const bulk = await search.similarMany(db, withIt, 30);
  const queried = await db.transaction().setAccessMode('read only').execute((trx) => search.similarMany(trx, withIt, 30));
  for (const id of withIt) assert.deepEqual(bulk.get(id), queried.get(id), `article ${id}`);
  assert.ok(
    ids.some((id) => JSON.stringify(first.get(id)) !== JSON.stringify(bulk.get(id))),
    'the new article changed some lists',
  );
});

test('a ranker that clears what it remembers, again and again, ranks as one that never does', SQLITE_ONLY, async () => {
  const { db } = server.store;
  const weights = [6, 3, 6, 1];
  const roomy = await bulkRanker(weights).current(db);
  // Bounds far below one window's rows: both records are cleared on nearly every call.
  const cramped = await bulkRanker(weights, { postings: 2, sizes: 3 }).current(db);
  const { rows } = await sql<{ term: string }>`select term from temp.article_search_instances group by term order by count(*) desc, term limit 4`.execute(db);
  const terms = rows.map((r) => r.term);
  assert.equal(terms.length, 4);
  let ranked = 0;
  for (const [walk, window] of [[true, 12], [true, 5], [false, SIMILAR_WINDOW]] as const)
    for (const id of ids) {
      const expected = await roomy.rank(db, id, terms, walk, window, 31);
      assert.deepEqual(await cramped.rank(db, id, terms, walk, window, 31), expected, `article ${id}, window ${window}`);
      assert.ok(expected.every((r) => Number.isFinite(r.score)));
      ranked += expected.length;
    }
  assert.ok(ranked > 0);
});
