// Index upkeep: an index written one article at a time is merged in slices, searches answer the same
// before and after, and the periodic upkeep works only after content changed. On PostgreSQL the work is
// merging the GIN index's pending list, which every search otherwise reads through.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createArticle } from '../../src/articles/article.service.ts';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import { loadDemo } from '../../src/demo/demo.service.ts';
import { search } from '../../src/search/search.service.ts';
import { compactInSlices, startIndexUpkeep } from '../../src/search/upkeep.ts';
import { ENGINE, freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { loadConfig } from '../../src/config.ts';

let database: TestDatabase;
let store: Store;
/** FTS5 merges its pieces a slice at a time; PostgreSQL merges a GIN pending list in one statement. */
const skipSlices = ENGINE === 'postgres' ? 'PostgreSQL merges the GIN pending list in one statement, not in slices' : false;

const TOPICS = ['harbour dredging contract', 'grain silo inspection', 'river ferry timetable', 'museum roof repairs'];

async function addArticles(from: number, count: number) {
  for (let i = from; i < from + count; i++)
    // One transaction per article, as the editor writes them: each adds a piece to the index.
    await createArticle(store, {
      section: 'news',
      slug: `upkeep-${i}`,
      headline: `Council report ${i} on the ${TOPICS[i % TOPICS.length]}`,
      body: `The council discussed the ${TOPICS[i % TOPICS.length]} at its meeting number ${i}. Residents asked questions about costs.`,
      tags: [TOPICS[i % TOPICS.length]!.split(' ')[0]!],
      publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
    });
}

const ranked = async (q: string) => (await search(store, { q })).results.map((r) => r.card.id);

before(async () => {
  database = await freshDatabase();
  store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
  await migrateToLatest(store);
  await loadDemo(store);
  await addArticles(0, 40);
});

after(async () => {
  await store.close();
  await database.drop();
});

test('an index written article by article is merged in slices; searches answer the same afterwards', { skip: skipSlices }, async () => {
  const index = store.search;
  const queries = ['council', 'grain silo', 'ferry timetable', 'questions costs', 'confidential document'];
  const before = await Promise.all(queries.map(ranked));
  assert.ok(before.every((ids) => ids.length > 0), 'every query finds something before merging');

  const slices = await compactInSlices(store, 1);
  assert.ok(slices > 1, `forty separate writes leave work for more than one slice (took ${slices})`);
  assert.equal(await index.compact(store.db, 1), false, 'nothing is left to merge afterwards');
  assert.deepEqual(await Promise.all(queries.map(ranked)), before);
});

test('a full compaction leaves nothing for the slices to do', async () => {
  await addArticles(100, 5);
  const index = store.search;
  await index.compact(store.db);
  assert.equal(await index.compact(store.db, 1), false);
});

test('the periodic upkeep merges after a change, and looks for no work while nothing changes', async () => {
  await addArticles(200, 6);
  const runs: number[] = [];
  let notify: (() => void) | null = null;
  const upkeep = startIndexUpkeep(store, {
    everyMs: 5,
    slice: 4,
    onError: (err) => assert.fail(String(err)),
    onRun: (slices) => {
      runs.push(slices);
      notify?.();
    },
  });
  // The upkeep's timer does not hold the process open (a server's listener does); here a timeout does,
  // and fails the test if a run never comes.
  const nextRun = () =>
    new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error('no upkeep run within 10 s')), 10_000);
      notify = () => {
        clearTimeout(timeout);
        resolve();
      };
    });
  try {
    await nextRun();
    assert.ok(runs[0]! > 0, 'the first run merges the new pieces');
    assert.equal(await store.search.compact(store.db, 1), false, 'and leaves nothing behind');

    // Many intervals pass with no change: no run looks for work.
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(runs.length, 1, `runs while unchanged: ${JSON.stringify(runs)}`);

    // A new article moves the change clock: the next run merges again.
    await addArticles(300, 1);
    await nextRun();
    assert.equal(runs.length, 2);
    assert.ok(runs[1]! > 0, 'the run after a change merges its piece');
    assert.ok((await ranked('council report 300')).length > 0);
  } finally {
    await upkeep.stop();
  }
});
