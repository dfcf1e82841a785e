// Repeated searches are answered from the search cache, and any content change empties it, so a new
// article is found at once, whichever process wrote it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createArticle } from '../../src/articles/article.service.ts';
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
