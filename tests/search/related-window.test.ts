// "Check Also" ranks a bounded window of matches (decision 0047): when an article's words find more
// articles than the window holds, only the matches nearest it by id are scored (on a tie in distance,
// the newer one), on both engines. The window here is a few articles, so that a small site shows it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createArticle } from '../../src/articles/article.service.ts';
import { SIMILAR_WINDOW, windowBounds } from '../../src/search/similar-terms.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
const ids: number[] = [];

// Words no other article of the test site has, so that these nine articles are each other's only matches.
const GLACIER = 'Glacier moraine, serac and firn; nunatak icefall, meltwater crevasse and the glacier firn.';

before(async () => {
  server = await startTestServer();
  for (let i = 0; i < 9; i++) {
    const article = await createArticle(server.store, {
      section: 'news',
      slug: `glacier-${i}`,
      headline: `Glacier moraine serac nunatak ${i + 1}`,
      body: GLACIER,
      tags: ['Glaciers'],
      publishedAt: `2024-03-${String(i + 1).padStart(2, '0')}T08:00:00Z`,
    });
    ids.push(article.id);
  }
});

after(() => server.close());

const sorted = (list: readonly number[]) => [...list].sort((a, b) => a - b);

test('the window is the run of matches nearest the article, a tie going to the newer', () => {
  // Matches 2, 4, 5 | 7, 8, 20 around id 6.
  assert.deepEqual(windowBounds(6, [5, 4, 2], [7, 8, 20], 1), { low: 7, high: 7 });
  assert.deepEqual(windowBounds(6, [5, 4, 2], [7, 8, 20], 2), { low: 5, high: 7 });
  assert.deepEqual(windowBounds(6, [5, 4, 2], [7, 8, 20], 4), { low: 4, high: 8 });
  assert.deepEqual(windowBounds(6, [5, 4, 2], [7, 8, 20], 5), { low: 2, high: 8 });
  // The article itself is at distance 0; the newest article has nothing after it.
  assert.deepEqual(windowBounds(6, [6, 4, 2], [], 2), { low: 4, high: 6 });
  assert.deepEqual(windowBounds(6, [], [], 2), null);
});

test('a window that holds every match changes nothing', async () => {
  const { db, search } = server.store;
  for (const id of ids) {
    const all = await search.similar(db, id, 30);
    assert.equal(all.length, ids.length - 1, `article ${id} finds the other glacier articles`);
    assert.deepEqual(await search.similar(db, id, 30, ids.length), all, 'a window of all nine');
    assert.deepEqual(await search.similar(db, id, 30, SIMILAR_WINDOW), all);
  }
});

test('only the matches nearest the article are ranked, a tie going to the newer', async () => {
  const { db, search } = server.store;
  const middle = ids[4]!;
  // Window 3: the article, then the newer and the older neighbour (both one article away).
  assert.deepEqual(sorted((await search.similar(db, middle, 30, 3)).map((s) => s.id)), [ids[3], ids[5]]);
  // Window 4: one more, the newer of the two at distance two.
  assert.deepEqual(sorted((await search.similar(db, middle, 30, 4)).map((s) => s.id)), [ids[3], ids[5], ids[6]]);
  // The newest article's window is the newest matches; the oldest one's, the oldest.
  assert.deepEqual(sorted((await search.similar(db, ids[8]!, 30, 3)).map((s) => s.id)), [ids[6], ids[7]]);
  assert.deepEqual(sorted((await search.similar(db, ids[0]!, 30, 3)).map((s) => s.id)), [ids[1], ids[2]]);
  // A batch answers as one article at a time.
  const many = await search.similarMany(db, [ids[0]!, middle, ids[8]!], 30, 4);
  for (const id of [ids[0]!, middle, ids[8]!]) assert.deepEqual(many.get(id), await search.similar(db, id, 30, 4));
  // The scores are the ones ranking every match gives: the window only leaves some matches out.
  const all = new Map((await search.similar(db, middle, 30)).map((s) => [s.id, s.similarity]));
  for (const s of await search.similar(db, middle, 30, 4)) assert.equal(s.similarity, all.get(s.id));
});
