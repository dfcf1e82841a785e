// A bulk load (a generated corpus through createArticles) indexes its articles in batches (putMany) and
// computes their "Check Also" lists a batch at a time (similarMany). Both must give exactly what the
// one-article paths give: the same search answers as an index written article by article (put), and
// the same lists as computing each article's list on its own (similar).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadCorpus } from '../../src/demo/corpus.ts';
import { parseQuery } from '../../src/search/query.ts';
import { indexArticle } from '../../src/search/indexing.ts';
import { computeRelatedLists, recomputeRelated, type SimilarSource } from '../../src/related/related.service.ts';
import { similarThread } from '../../src/search/search.pool.ts';
import { storedList } from '../../src/related/related.repository.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let corpusIds: number[] = [];

const QUERIES = ['inflation', 'baghdad', 'ceasefire talks', '"central bank"', 'negotiat*', 'مفاوضات', 'تهران', 'کارخانه', 'troops drones'];

before(async () => {
  server = await startTestServer();
  const { db } = server.store;
  const before = await db.selectFrom('articles').select((eb) => eb.fn.max('id').as('n')).executeTakeFirstOrThrow();
  // More than one batch of lists (200) and of index rows, so batches meet.
  await loadCorpus(server.store, { articles: 420, seed: 7, end: new Date('2026-01-01T00:00:00Z') });
  const rows = await db.selectFrom('articles').select('id').where('id', '>', Number(before.n ?? 0)).orderBy('id').execute();
  corpusIds = rows.map((r) => r.id);
  assert.equal(corpusIds.length, 420);
});

after(() => server.close());

/** What the index answers for the fixed queries: ranked ids, totals and the marked text of the first results. */
async function answers(): Promise<unknown[]> {
  const { db, search } = server.store;
  const out: unknown[] = [];
  for (const q of QUERIES) {
    const parsed = parseQuery(q);
    assert.ok('clauses' in parsed);
    const ranked = await search.search(db, parsed.clauses, {}, 20, 0, 1000);
    const marked = await search.mark(db, parsed.clauses, ranked.ids.slice(0, 5));
    out.push({ q, ranked, marked: ranked.ids.slice(0, 5).map((id) => marked.get(id)) });
  }
  // A phrase may find nothing in 420 generated articles; the words alone always do.
  assert.ok(out.filter((o) => (o as { ranked: { total: number } }).ranked.total > 0).length >= QUERIES.length - 1, 'the queries find articles');
  return out;
}

test('an index written in batches answers exactly as one written article by article', async () => {
  const bulk = await answers();
  const { search } = server.store;
  await server.store.writeTransaction(async (trx) => {
    for (const id of corpusIds) await indexArticle(search, trx, id);
  });
  await search.compact(server.store.db);
  assert.deepEqual(await answers(), bulk);
});

test('"Check Also" lists computed in batches are the lists computed one article at a time', async () => {
  const { db, search } = server.store;
  const stored = new Map<number, unknown>();
  for (const id of corpusIds) stored.set(id, await storedList(db, id));
  assert.ok([...stored.values()].filter((l) => Array.isArray(l) && l.length > 0).length > 400, 'nearly every corpus article has a list');
  const one = new Map<number, unknown>();
  await server.store.writeTransaction(async (trx) => {
    for (const id of corpusIds) await recomputeRelated(search, trx, id);
  });
  for (const id of corpusIds) one.set(id, await storedList(db, id));
  assert.deepEqual(one, stored);
});

test('similarMany answers every id asked, with what similar() gives each', async () => {
  const { db, search } = server.store;
  const ids = [...corpusIds.slice(0, 30), 999_999];
  const many = await search.similarMany(db, ids, 30);
  assert.deepEqual([...many.keys()].sort((a, b) => a - b), [...ids].sort((a, b) => a - b));
  assert.deepEqual(many.get(999_999), [], 'an article not indexed has no similar ones');
  for (const id of corpusIds.slice(0, 30)) assert.deepEqual(many.get(id), await search.similar(db, id, 30), `article ${id}`);
});

test('"Check Also" lists ranked partly on a search thread are the lists ranked in the main thread alone (decision 0056)', async () => {
  const { db } = server.store;
  const lists = async () => {
    const out = new Map<number, unknown>();
    for (const id of corpusIds) out.set(id, await storedList(db, id));
    return out;
  };
  const now = new Date('2026-02-01T00:00:00Z');
  await computeRelatedLists(server.store, corpusIds, () => {}, now);
  const alone = await lists();
  assert.ok([...alone.values()].filter((l) => Array.isArray(l) && l.length > 0).length > 400, 'nearly every corpus article has a list');
  await server.store.writeTransaction((trx) => trx.deleteFrom('related_lists').where('article_id', 'in', corpusIds).execute());
  const thread = similarThread(server.config.database);
  const asked: number[] = [];
  const helper: SimilarSource = (ids, limit) => {
    asked.push(...ids);
    return thread.similarMany(ids, limit);
  };
  try {
    await computeRelatedLists(server.store, corpusIds, () => {}, now, [helper]);
  } finally {
    await thread.close();
  }
  assert.ok(asked.length >= 200, 'the thread ranked at least one batch of 200');
  assert.ok(asked.length < corpusIds.length, 'the main thread ranked batches too');
  assert.deepEqual(await lists(), alone);
});
