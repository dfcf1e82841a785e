// Repeated searches are answered from the search cache, and any content change empties it, so a new
// article is found at once, whichever process wrote it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createArticle } from '../../src/articles/article.service.ts';
import { defineSection } from '../../src/sections/section.service.ts';
import type { Store } from '../../src/db/store.ts';
import { cachedSearch } from '../../src/search/search.cache.ts';
import { search, type SearchRequest } from '../../src/search/search.service.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function searchFor(q: string) {
  const response = await fetch(`${server.url}/search?q=${encodeURIComponent(q)}`);
  assert.equal(response.status, 200);
  const timing = response.headers.get('server-timing') ?? '';
  return { hit: /cache;desc=hit/.test(timing), miss: /cache;desc=miss/.test(timing), html: await response.text() };
}

test('the same search twice is answered from the cache, with the same page', async () => {
  const first = await searchFor('confidential document');
  assert.ok(first.miss);
  const second = await searchFor('confidential document');
  assert.ok(second.hit, 'the repeated search is a hit');
  assert.equal(second.html, first.html);
  assert.ok((await searchFor('confidential  document')).miss, 'a different spelling of the query is its own entry');
});

test('a new article empties the cache: the next search finds it', async () => {
  assert.ok(!(await searchFor('lighthouse')).html.includes('/news/new-lighthouse'));
  assert.ok((await searchFor('lighthouse')).hit);
  await createArticle(server.store, { section: 'news', slug: 'new-lighthouse', headline: 'A new lighthouse for the harbour', body: 'The lighthouse was lit on Monday.' });
  const after = await searchFor('lighthouse');
  assert.ok(after.miss, 'the cache was emptied by the write');
  assert.ok(after.html.includes('/news/new-lighthouse'));
});

test('a repeated search is drawn anew after the page around it changes (a new section in the navigation)', async () => {
  // The page of a cached search is kept with its outcome: a change of the chrome must not be answered
  // with the page drawn before it.
  const before = await searchFor('harbour');
  assert.ok(!before.html.includes('/weather-desk/'));
  assert.ok((await searchFor('harbour')).hit);
  await defineSection(server.store, { slug: 'weather-desk', name: 'Weather desk' });
  const after = await searchFor('harbour');
  assert.ok(after.miss, 'the section change emptied the cache');
  assert.ok(after.html.includes('/weather-desk/'), 'the navigation shows the new section');
  const again = await searchFor('harbour');
  assert.ok(again.hit);
  assert.equal(again.html, after.html, 'the page kept with the outcome is the one drawn after the change');
});

/** The real search, counting how many times it is run. */
function countingSearch() {
  const counted = {
    runs: 0,
    run: (request: SearchRequest) => {
      counted.runs++;
      return search(server.store, request);
    },
  };
  return counted;
}

test('the same search asked again while it runs is run once, and both get its outcome', async () => {
  const counted = countingSearch();
  const cached = cachedSearch(server.store, counted.run, () => 1);
  try {
    const [a, b, c] = await Promise.all([cached({ q: 'harbour' }), cached({ q: 'harbour' }), cached({ q: 'harbour', page: '1' })]);
    assert.equal(counted.runs, 2, 'the two identical requests shared one search; the third is another request');
    assert.equal(a.hit, false);
    assert.equal(b.hit, true);
    assert.equal(b.value, a.value);
    assert.equal(c.hit, false);
  } finally {
    cached.close();
  }
});

test('a search running when content changes is not shared with requests that come after the change', async () => {
  const counted = countingSearch();
  const cached = cachedSearch(server.store, counted.run, () => 1);
  try {
    const first = cached({ q: 'beacon' });
    await createArticle(server.store, { section: 'news', slug: 'beacon-lit', headline: 'A beacon is lit on the hill', body: 'The beacon burned all night.' });
    const second = await cached({ q: 'beacon' });
    await first;
    assert.equal(counted.runs, 2);
    assert.equal(second.hit, false);
    assert.ok(second.value.results.some((r) => r.card.path === '/news/beacon-lit'), 'the new article is found');
  } finally {
    cached.close();
  }
});

test('the cache holds at most its bound in bytes, dropping the least recently asked first; a value larger than the bound is not kept', async () => {
  let runs = 0;
  // Values of a given size in bytes, without a database, on a store that announces no change (the
  // server's may still be telling of the writes of the tests above): the bound is what is tested.
  const quiet = { changes: { announce() {}, subscribe: () => () => {}, current: () => '' } } as unknown as Store;
  const sized = cachedSearch(
    quiet,
    async (request) => {
      runs++;
      return { bytes: Number(request.q) };
    },
    (value) => value.bytes,
    10_000,
  );
  try {
    const keyBytes = (q: string) => JSON.stringify([q, '', '', '', '', '']).length * 2;
    await sized({ q: '3000' });
    await sized({ q: '3001' });
    await sized({ q: '3002' });
    assert.equal(sized.size, 3);
    assert.equal(sized.bytes, 3000 + 3001 + 3002 + keyBytes('3000') * 3);
    assert.ok((await sized({ q: '3000' })).hit, 'asked again: now the most recently asked');
    await sized({ q: '3003' });
    assert.equal(sized.size, 3, 'the fourth did not fit beside the other three');
    assert.ok(sized.bytes <= 10_000);
    runs = 0;
    assert.ok((await sized({ q: '3000' })).hit, 'the one asked again stayed');
    assert.ok(!(await sized({ q: '3001' })).hit, 'the least recently asked went');
    assert.equal(runs, 1);
    const big = await sized({ q: '20000' });
    assert.equal(big.hit, false);
    assert.equal(big.value.bytes, 20000, 'answered all the same');
    assert.ok(!(await sized({ q: '20000' })).hit, 'but not kept');
    assert.ok(sized.bytes <= 10_000);
  } finally {
    sized.close();
  }
});
