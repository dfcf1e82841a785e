// The page cache drops only what a write changed: each cached response records the change keys it was
// built from, each write announces the keys it changed (from this process or from the `gazette` CLI),
// and the key a response is kept under ignores query parameters the route does not read. Whether the
// cache served a response is read from its Server-Timing header, as a CDN or a browser would see it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseHTML } from 'linkedom';
import { createArticle, updateArticle } from '../src/articles/article.service.ts';
import { EVERYTHING, type ChangeKey } from '../src/db/store.ts';
import { definePerson } from '../src/people/person.service.ts';
import { defineSection } from '../src/sections/section.service.ts';
import { CachedBody, PageCache } from '../src/web/page-cache.ts';
import { fields, postComment, readForm, serviceFor } from './comments/helpers.ts';
import { SEED_PATH, runCli, startTestServer, type TestServer } from './helpers/server.ts';


let server: TestServer;

interface Got {
  status: number;
  headers: Headers;
  text: string;
  /** What Server-Timing says: "hit", "miss", or null when the route is not cached. */
  cache: string | null;
}

async function get(p: string, headers: Record<string, string> = {}): Promise<Got> {
  const res = await fetch(server.url + p, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, cache: /\bcache;desc=(hit|miss)\b/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? null };
}

/** Requests a page until the cache holds it, and returns what the cache serves. */
async function warm(p: string): Promise<Got> {
  await get(p);
  const again = await get(p);
  assert.equal(again.cache, 'hit', `${p} is served from the cache once rendered`);
  return again;
}

const surrogateKeys = (got: Got) => new Set((got.headers.get('surrogate-key') ?? '').split(' ').filter(Boolean));
const checkAlsoOf = (got: Got) => parseHTML(got.text).document.querySelector('.check-also');

const gazette = (...args: string[]) => runCli(server, args);

/** Asks until the answer holds, for at most `ms` (a change made by another process arrives when it arrives). */
async function eventually<T>(ask: () => Promise<T>, holds: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await ask();
    if (holds(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Posts a comment on the article at a path; with COMMENTS_MODERATION=hold-all it waits for an editor. */
async function heldComment(articlePath: string, text: string): Promise<number> {
  const answer = await postComment(server, fields(await readForm(server, articlePath), { comment: text }));
  assert.equal(answer.status, 303, answer.text);
  const row = await server.store.db.selectFrom('comments').select('id').where('body', '=', text).executeTakeFirstOrThrow();
  return row.id;
}

// Three articles in one section, all by the same author: B, one whose "Check Also" is B (an editor's
// pin), and one unrelated to B (it pins the seed article). Sharing a section and an author with B must
// not make the unrelated one depend on B.
const B = { path: '/news/harbour-reopens', id: 0 };
const SHOWS_B = { path: '/news/ferry-timetable', id: 0 };
const UNRELATED = { path: '/news/library-hours', id: 0 };
const OTHER_SECTION = '/akhbar/';

before(async () => {
  server = await startTestServer({ env: { COMMENTS_MIN_SECONDS: '0', COMMENTS_RATE_MAX: '100000', COMMENTS_MODERATION: 'hold-all' } });
  const store = server.store;
  const byline = { authors: ['international-desk'] };
  B.id = (await createArticle(store, { section: 'news', slug: 'harbour-reopens', headline: 'Harbour reopens after the storm', body: 'Boats are back.', ...byline })).id;
  SHOWS_B.id = (await createArticle(store, { section: 'news', slug: 'ferry-timetable', headline: 'New ferry timetable', body: 'Ferries run hourly.', pins: ['news/harbour-reopens'], ...byline })).id;
  UNRELATED.id = (await createArticle(store, { section: 'news', slug: 'library-hours', headline: 'Library extends its hours', body: 'Open until ten.', pins: ['news/disclosure-of-confidential-document'], ...byline })).id;
  // Enough articles for a second page of the home page.
  await defineSection(store, { slug: 'wire', name: 'Wire', position: 9 });
  for (let i = 1; i <= 12; i++) await createArticle(store, { section: 'wire', slug: `wire-${i}`, headline: `Wire item ${i}`, body: `Item ${i}.`, publishedAt: `2020-01-${String(i).padStart(2, '0')}T08:00:00Z` });
});
after(() => server.close());

describe('dropping only what changed', () => {
  it('approving a comment on B drops B and the pages showing its comment count, not an unrelated article', async () => {
    const commentId = await heldComment(B.path, 'The harbour master confirmed it.');
    for (const p of [B.path, SHOWS_B.path, UNRELATED.path, OTHER_SECTION]) await warm(p);
    await (await serviceFor(server)).moderate([commentId], 'approved');

    const b = await get(B.path);
    assert.equal(b.cache, 'miss');
    assert.ok(parseHTML(b.text).document.querySelector(`#comment-${commentId}`), 'the approved comment is shown');
    const showsB = await get(SHOWS_B.path);
    assert.equal(showsB.cache, 'miss', 'its Check Also card counts B’s comments');
    assert.match(checkAlsoOf(showsB)?.querySelector('.card-comments')?.textContent ?? '', /1 comment/);
    assert.equal((await get(UNRELATED.path)).cache, 'hit');
    assert.equal((await get(OTHER_SECTION)).cache, 'hit');
  });

  it('editing B’s headline drops the page whose Check Also shows B, home and B’s section, and nothing unrelated', async () => {
    for (const p of [B.path, SHOWS_B.path, UNRELATED.path, '/', '/news/', OTHER_SECTION, '/feed.xml', '/sitemap.xml']) await warm(p);
    await updateArticle(server.store, B.id, { headline: 'Harbour fully reopens after the storm' });

    const showsB = await get(SHOWS_B.path);
    assert.equal(showsB.cache, 'miss');
    assert.match(checkAlsoOf(showsB)?.textContent ?? '', /Harbour fully reopens after the storm/);
    for (const p of [B.path, '/', '/news/', '/feed.xml', '/sitemap.xml']) assert.equal((await get(p)).cache, 'miss', p);
    assert.match((await get('/')).text, /Harbour fully reopens after the storm/);
    for (const p of [UNRELATED.path, OTHER_SECTION]) assert.equal((await get(p)).cache, 'hit', p);
  });

  it('a missing page is cached until an article write could make it exist', async () => {
    const missing = '/news/not-written-yet';
    assert.equal((await get(missing)).status, 404);
    const again = await get(missing);
    assert.equal(again.status, 404);
    assert.equal(again.cache, 'hit');
    await createArticle(server.store, { section: 'news', slug: 'not-written-yet', headline: 'Written now', body: 'Here.' });
    const found = await get(missing);
    assert.equal(found.status, 200);
    assert.equal(found.cache, 'miss');
  });

  it('renaming a section or an author drops the pages that show the name', async () => {
    await warm(UNRELATED.path);
    await warm(OTHER_SECTION);
    await definePerson(server.store, { slug: 'international-desk', name: 'World Desk', bio: 'Reports from abroad.', url: null });
    const byline = await get(UNRELATED.path);
    assert.equal(byline.cache, 'miss');
    assert.match(parseHTML(byline.text).document.querySelector('.byline')?.textContent ?? '', /World Desk/);
    await warm(UNRELATED.path);
    await defineSection(server.store, { slug: 'wire', name: 'Agency Wire', position: 9 });
    // Every page's navigation lists the sections.
    for (const p of [UNRELATED.path, OTHER_SECTION]) {
      const got = await get(p);
      assert.equal(got.cache, 'miss', p);
      assert.match(got.text, /Agency Wire/);
    }
  });
});

describe('the cache key', () => {
  it('ignores tracking and unknown parameters: the canonical entry is served, byte for byte', async () => {
    const canonical = await warm(SEED_PATH);
    const size = server.app.pageCache.size;
    const tracked = await get(`${SEED_PATH}?utm_source=x&fbclid=y`);
    assert.equal(tracked.cache, 'hit');
    assert.equal(tracked.text, canonical.text);
    assert.equal(tracked.headers.get('etag'), canonical.headers.get('etag'));
    assert.equal((await get(`${SEED_PATH}?gclid=1&ref=newsletter&zzz=1&utm_medium=email`)).text, canonical.text);
    assert.equal(server.app.pageCache.size, size, 'no new entry');
  });

  it('keeps the parameters a page reads: ?page=2 is its own entry, whatever else comes with it', async () => {
    const first = await warm('/');
    const second = await get('/?page=2');
    assert.equal(second.status, 200);
    assert.equal(second.cache, 'miss');
    assert.notEqual(second.text, first.text);
    const tracked = await get('/?utm_campaign=spring&page=2&fbclid=abc');
    assert.equal(tracked.cache, 'hit');
    assert.equal(tracked.text, second.text);
    const entries = server.app.pageCache.urls();
    assert.ok(entries.includes('/') && entries.includes('/?page=2'), entries.join(' '));
  });

  it('keeps a comment notice, and only the values the page understands', async () => {
    const canonical = await warm(UNRELATED.path);
    const held = await get(`${UNRELATED.path}?comment=held`);
    assert.equal(held.cache, 'miss');
    assert.notEqual(held.text, canonical.text);
    assert.equal((await get(`${UNRELATED.path}?comment=held&utm_source=x`)).cache, 'hit');
    const junk = await get(`${UNRELATED.path}?comment=nonsense&replytocom=abc`);
    assert.equal(junk.cache, 'hit');
    assert.equal(junk.text, canonical.text);
  });

  it('stays at one entry per page through a flood of 5,000 distinct junk query strings', async () => {
    await warm(SEED_PATH);
    const size = server.app.pageCache.size;
    const junk = (i: number) => [`utm_source=s${i}`, `fbclid=f${i}`, `gclid=g${i}`, `ref=r${i}`, `zzz${i}=1`, `comment=x${i}`, `replytocom=y${i}`][i % 7];
    const served: string[] = [];
    for (let start = 0; start < 5000; start += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, (_, j) => get(`${SEED_PATH}?${junk(start + j)}&n=${start + j}`)));
      for (const got of batch) served.push(got.cache ?? 'none');
    }
    assert.deepEqual(new Set(served), new Set(['hit']));
    assert.equal(server.app.pageCache.size, size);
    assert.deepEqual(server.app.pageCache.urls().filter((u) => u.startsWith(SEED_PATH)), [SEED_PATH]);
  });
});

describe('headers', () => {
  it('every cacheable response names its keys in Surrogate-Key and says hit or miss in Server-Timing, 304s too', async () => {
    const cases: [string, ChangeKey[]][] = [
      [B.path, [`article:${B.id}`, `comments:${B.id}`, 'sections', 'people']],
      [SHOWS_B.path, [`article:${SHOWS_B.id}`, `article:${B.id}`, `comments:${B.id}`]],
      ['/', ['home', 'sections']],
      ['/news/', ['sections']],
      ['/feed.xml', ['feeds']],
      ['/sitemap.xml', ['sitemaps']],
      [`${B.path}/comments.xml`, [`article:${B.id}`, `comments:${B.id}`]],
      ['/news/no-such-article', ['articles']],
    ];
    for (const [p, expected] of cases) {
      await get(p);
      const got = await get(p);
      assert.equal(got.cache, 'hit', p);
      const keys = surrogateKeys(got);
      for (const k of expected) assert.ok(keys.has(k), `${p} names ${k} in Surrogate-Key: ${[...keys].join(' ')}`);
      if (got.status !== 200) continue;
      const notModified = await get(p, { 'if-none-match': got.headers.get('etag')! });
      assert.equal(notModified.status, 304, p);
      assert.equal(notModified.cache, 'hit', p);
      assert.deepEqual(surrogateKeys(notModified), keys, p);
    }
    const section = await get('/news/');
    assert.ok([...surrogateKeys(section)].some((k) => /^section:\d+$/.test(k)));
    const fresh = await get('/news/?page=1&nothing=new');
    assert.match(fresh.headers.get('server-timing') ?? '', /cache;desc=(hit|miss)/);
  });

  it('a feed served from the cache keeps its Last-Modified and answers If-Modified-Since', async () => {
    const first = await warm('/feed.atom');
    const lastModified = first.headers.get('last-modified')!;
    assert.ok(lastModified);
    assert.equal(first.headers.get('cache-control'), 'public, max-age=300');
    const conditional = await get('/feed.atom', { 'if-modified-since': lastModified });
    assert.equal(conditional.status, 304);
    assert.equal(conditional.cache, 'hit');
  });
});

describe('writes by another process', () => {
  it('a comment approved with the CLI drops exactly the dependent pages of the running server', async () => {
    const commentId = await heldComment(B.path, 'Approved from the command line.');
    const pages = [B.path, SHOWS_B.path, UNRELATED.path, OTHER_SECTION, '/author/international-desk/'];
    for (const p of pages) await warm(p);

    const result = await gazette('comments', 'approve', String(commentId));
    assert.equal(result.code, 0, result.stderr);

    // The change reaches the server on its own time (SQLite: when it next reads the file's version; PostgreSQL: NOTIFY).
    const b = await eventually(() => get(B.path), (got) => got.cache === 'miss');
    assert.equal(b.cache, 'miss', 'B’s page was dropped');
    assert.ok(parseHTML(b.text).document.querySelector(`#comment-${commentId}`));
    assert.equal((await get(SHOWS_B.path)).cache, 'miss', 'the page counting B’s comments was dropped');
    assert.equal((await get('/author/international-desk/')).cache, 'miss', 'the listing counting B’s comments was dropped');
    for (const p of [UNRELATED.path, OTHER_SECTION]) assert.equal((await get(p)).cache, 'hit', p);
  });
});

describe('PageCache', () => {
  /** A change feed driven by hand. */
  function feed() {
    const listeners = new Set<(keys: readonly ChangeKey[]) => void>();
    return {
      current: () => '',
      subscribe(l: (keys: readonly ChangeKey[]) => void) {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      announce: (keys: ChangeKey[]) => listeners.forEach((l) => l(keys)),
    };
  }
  const body = (text: string) => new CachedBody(200, 'text/plain', Buffer.from(text));

  it('drops the dependents of an announced key, everything on *, and keeps its index in step on eviction', () => {
    const changes = feed();
    const cache = new PageCache(changes, 3, 1_000_000);
    for (const [url, keys] of [
      ['/a', ['article:1', 'sections']],
      ['/b', ['article:2', 'sections']],
      ['/c', ['article:3']],
    ] as const)
      cache.set(url, body(url), keys, cache.mark());
    changes.announce(['article:2']);
    assert.deepEqual(cache.urls(), ['/a', '/c']);
    assert.deepEqual(cache.dependentsOf('article:2'), []);
    cache.set('/d', body('/d'), ['article:4'], cache.mark());
    cache.set('/e', body('/e'), ['article:5', 'sections'], cache.mark());
    // Four entries for three places: /a, the least recently used, went with its index entries.
    assert.deepEqual(cache.urls(), ['/c', '/d', '/e']);
    assert.deepEqual(cache.dependentsOf('article:1'), []);
    assert.deepEqual(cache.dependentsOf('sections'), ['/e']);
    assert.equal(cache.indexedKeys, 4);
    changes.announce([EVERYTHING]);
    assert.equal(cache.size, 0);
    assert.equal(cache.indexedKeys, 0);
  });

  it('keeps within its byte budget', () => {
    const cache = new PageCache(feed(), 100, 10_000);
    for (let i = 0; i < 20; i++) cache.set(`/${i}`, body('x'.repeat(1000)), [`article:${i}`], cache.mark());
    assert.equal(cache.size, 5, 'each entry is budgeted at twice its 1,000 bytes');
    assert.equal(cache.indexedKeys, 5);
  });

  it('does not store a page rendered while something it shows changed', () => {
    const changes = feed();
    const cache = new PageCache(changes);
    const mark = cache.mark();
    changes.announce(['article:1']);
    assert.equal(cache.set('/one', body('old'), ['article:1'], mark), false);
    assert.equal(cache.set('/two', body('fine'), ['article:2'], mark), true);
    changes.announce([EVERYTHING]);
    assert.equal(cache.set('/two', body('fine'), ['article:2'], mark), false);
  });

  // A page read back from the page store comes as gzip, which most clients take as it is (decision 0068).
  it('unzips a body read back from the page store only for a client that asks for it unzipped', () => {
    const page = Buffer.from('<p>' + 'Tide tables and night markets. '.repeat(80) + '</p>');
    const gzip = gzipSync(page);
    const stored = CachedBody.fromStored({ status: 200, contentType: 'text/html', headers: {}, etag: 'W/"t"', encoding: 'gzip', body: gzip });
    assert.equal(stored.body('gzip').bytes, gzip, 'the stored bytes themselves');
    assert.equal(stored.cost, 2 * page.length, 'budgeted by the size the gzip trailer gives');
    assert.deepEqual(stored.body('identity').bytes, page);
    // Bytes that only look like gzip (the trailer's size, nothing to unzip): a gzip client is served them,
    // which shows nothing unzips them for it; unzipped, they fail.
    const fake = Buffer.concat([Buffer.alloc(20, 7), gzip.subarray(gzip.length - 8)]);
    const unread = CachedBody.fromStored({ status: 200, contentType: 'text/html', headers: {}, etag: 'W/"f"', encoding: 'gzip', body: fake });
    assert.equal(unread.body('gzip').bytes, fake);
    assert.throws(() => unread.body('identity'));
  });
});
