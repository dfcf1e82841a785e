// /search end to end: a real server over a real SQLite file with the demo content, plus articles
// created through the article service (so the index is written as the application writes it).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseHTML } from 'linkedom';
import { createArticle, updateArticle } from '../../src/articles/article.service.ts';
import { AppError } from '../../src/errors.ts';
import { MAX_PREFIX_WORDS, search } from '../../src/search/search.service.ts';
import { countingRounds } from '../helpers/counting.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;

async function get(path: string): Promise<{ status: number; body: string; doc: Document }> {
  const res = await fetch(server.url + path);
  const body = await res.text();
  return { status: res.status, body, doc: parseHTML(body).document as unknown as Document };
}

/** Result links (article paths) of a search page, in rank order. */
async function results(query: string): Promise<string[]> {
  const { status, doc } = await get(`/search?${query}`);
  assert.equal(status, 200, query);
  return [...doc.querySelectorAll('.search-result-title a')].map((a) => a.getAttribute('href') ?? '');
}

const q = (text: string) => new URLSearchParams({ q: text }).toString();

before(async () => {
  server = await startTestServer();
  const s = server.store;
  await createArticle(s, {
    section: 'news',
    slug: 'quetzal-body',
    headline: 'Bird counts in the highlands',
    body: 'Volunteers counted many species this spring. One observer reported a quetzal near the river, among hundreds of other birds.',
    publishedAt: '2023-03-01T10:00:00Z',
  });
  await createArticle(s, {
    section: 'news',
    slug: 'quetzal-headline',
    headline: 'Quetzal returns to the cloud forest',
    body: 'The bird had not been seen here for a decade. Rangers confirmed the sighting on Tuesday.',
    publishedAt: '2023-03-02T10:00:00Z',
  });
  await createArticle(s, {
    section: 'news',
    slug: 'negotiating-water',
    headline: 'Water talks resume',
    body: 'The two sides were negotiating a new sharing agreement for the river basin.',
    publishedAt: '2023-04-01T10:00:00Z',
  });
  await createArticle(s, {
    section: 'akhbar',
    slug: 'madrasa',
    language: 'ar',
    headline: 'افتتاح مَدْرَسَةٍ جديدة في البصرة',
    body: 'أعلنت وزارة التربية افتتاح المدرسة في حيّ الجُمهوريّة، وقال المسؤولون إنّ العـــمل بدأ عام ١٩٨٧.',
    publishedAt: '2023-05-01T10:00:00Z',
  });
  await createArticle(s, {
    section: 'khabar',
    slug: 'ketabkhaneh',
    language: 'fa',
    headline: 'کتابخانه‌ای تازه در اصفهان',
    body: 'این کتابخانه در سال ۱۴۰۲ گشایش یافت و می‌شود آن را بزرگ‌ترین کتابخانه شهر دانست.',
    publishedAt: '2023-06-01T10:00:00Z',
  });
  await createArticle(s, {
    section: 'news',
    slug: 'markup-headline',
    headline: '<img src=x onerror=alert(1)> Zanzibar & <b>ferries</b>',
    body: 'Ferries to Zanzibar <script>alert("body")</script> were delayed & crowded.',
    publishedAt: '2023-07-01T10:00:00Z',
  });
  // More words starting with "zqx" than a prefix may stand for (consonants only: the stemmer keeps them).
  const consonants = 'bcdfghjklmnpqrtvwxz';
  const zqx = [...consonants].flatMap((a) => [...consonants].map((b) => `zqx${a}${b}`)).slice(0, MAX_PREFIX_WORDS + 20);
  await createArticle(s, { section: 'news', slug: 'word-list', headline: 'A list of invented words', body: zqx.join(' '), publishedAt: '2023-02-01T10:00:00Z' });
  await createArticle(s, { section: 'news', slug: 'draft-quetzal', headline: 'Quetzal draft', body: 'quetzal quetzal', status: 'draft' });
  for (let i = 1; i <= 12; i++)
    await createArticle(s, { section: 'news', slug: `pager-${i}`, headline: `Pagination sample ${i}`, body: 'xylophone recital', publishedAt: `2023-08-${String(i).padStart(2, '0')}T10:00:00Z` });
});

after(() => server.close());

describe('ranking and matching', () => {
  test('an exact headline match outranks a body mention', async () => {
    assert.deepEqual(await results(q('quetzal')), ['/news/quetzal-headline', '/news/quetzal-body']);
  });

  test('drafts are never found', async () => {
    assert.ok(!(await results(q('quetzal draft'))).includes('/news/draft-quetzal'));
  });

  test('English words match their stems', async () => {
    assert.deepEqual(await results(q('negotiations')), ['/news/negotiating-water']);
  });

  test('prefix matching with *', async () => {
    assert.deepEqual(await results(q('negot*')), ['/news/negotiating-water']);
    assert.deepEqual(await results(q('negot')), []);
    // Cut inside the suffix the stemmer removes: the index holds "negoti" for negotiating.
    assert.deepEqual(await results(q('negotiat*')), ['/news/negotiating-water']);
    assert.deepEqual(await results(q('negotiati*')), ['/news/negotiating-water']);
    assert.deepEqual(await results(q('negotia*')), ['/news/negotiating-water']);
  });

  test('a prefix standing for too many words is searched as typed, and the page says so', async () => {
    const broad = await get(`/search?${q('zqx*')}`);
    assert.equal(broad.status, 200);
    assert.match(broad.doc.querySelector('.search-note')?.textContent ?? '', /“\u2068zqx\*\u2069” stands for too many words to search them all, so it was searched as the word “\u2068zqx\u2069”/);
    assert.equal(broad.doc.querySelectorAll('.search-result-title a').length, 0);
    // A longer prefix stands for few words and is searched as a prefix, without a note.
    const narrow = await get(`/search?${q('zqxb*')}`);
    assert.deepEqual([...narrow.doc.querySelectorAll('.search-result-title a')].map((a) => a.getAttribute('href')), ['/news/word-list']);
    assert.equal(narrow.doc.querySelector('.search-note'), null);
  });

  test('the query is isolated from the sentence around it, so a right-to-left query keeps its place', async () => {
    const page = await get(`/search?${q('مدرسة')}`);
    assert.equal(page.doc.querySelector('h1')?.textContent, 'Search results for “\u2068مدرسة\u2069”');
    assert.equal(page.doc.querySelector('#search-q')?.getAttribute('dir'), 'auto');
  });

  test('phrases match words in order only', async () => {
    assert.deepEqual(await results(q('"confidential document"')), ['/news/disclosure-of-confidential-document']);
    assert.deepEqual(await results(q('"document confidential"')), []);
  });

  test('Arabic is found however it is typed: harakat, tatweel, teh marbuta, hamza, digits', async () => {
    for (const typed of ['مدرسة', 'مدرسه', 'مَدْرَسَة', 'العمل', '1987', '١٩٨٧', 'الجمهورية', 'البصره']) {
      assert.deepEqual(await results(q(typed)), ['/akhbar/madrasa'], typed);
    }
  });

  test('Persian is found with Arabic letters, without ZWNJ, and with either digits', async () => {
    for (const typed of ['كتابخانه', 'کتابخانه‌ای', 'كتابخانهاي', 'ميشود', '1402', '۱۴۰۲', 'اصفهان']) {
      assert.deepEqual(await results(q(typed)), ['/khabar/ketabkhaneh'], typed);
    }
  });
});

describe('result pages', () => {
  test('highlighting marks matches and cannot inject markup', async () => {
    const { doc, body } = await get(`/search?${q('zanzibar')}`);
    const result = doc.querySelector('.search-result')!;
    assert.ok(result);
    assert.equal(result.querySelectorAll('img, script, b').length, 0);
    assert.ok(result.querySelectorAll('mark').length >= 2);
    assert.match(result.querySelector('.search-result-title')!.textContent ?? '', /<img src=x onerror=alert\(1\)> Zanzibar & <b>ferries<\/b>/);
    assert.doesNotMatch(body, /<script>alert/);
  });

  test('snippets come from the body with the match marked', async () => {
    const { doc } = await get(`/search?${q('river basin')}`);
    const snippet = doc.querySelector('.search-snippet')!;
    assert.deepEqual([...snippet.querySelectorAll('mark')].map((m) => m.textContent), ['river', 'basin']);
  });

  test('filters by section, language and date range', async () => {
    assert.deepEqual(await results(`${q('quetzal')}&section=occupied-palestinian-territories`), []);
    assert.deepEqual(await results(`${q('quetzal')}&section=news`), ['/news/quetzal-headline', '/news/quetzal-body']);
    assert.deepEqual(await results(`${q('العراق')}&language=fa`), []);
    assert.deepEqual(await results(`${q('العراق')}&language=ar`), ['/akhbar/kashf-wathiqa-sirriya']);
    assert.deepEqual(await results(`${q('quetzal')}&from=2023-03-02`), ['/news/quetzal-headline']);
    assert.deepEqual(await results(`${q('quetzal')}&to=2023-03-01`), ['/news/quetzal-body']);
    assert.deepEqual(await results(`${q('quetzal')}&from=2023-03-01&to=2023-03-02`), ['/news/quetzal-headline', '/news/quetzal-body']);
  });

  test('pagination keeps the query and filters', async () => {
    const first = await get(`/search?${q('xylophone')}&section=news`);
    assert.equal(first.doc.querySelectorAll('.search-result').length, 10);
    const next = first.doc.querySelector('.pager a[rel=next]')!.getAttribute('href')!;
    assert.match(next, /q=xylophone/);
    assert.match(next, /section=news/);
    const second = await get(next);
    assert.equal(second.doc.querySelectorAll('.search-result').length, 2);
    assert.equal((await get(`/search?${q('xylophone')}&page=3`)).status, 404);
  });

  test('reads a page of results in two rounds: the ranking, then the cards, their marks and texts together', async () => {
    // Each round waits for the one before it: on PostgreSQL, a round trip each. The cards come with
    // their bylines and comment counts (decision 0079), the texts without the tags the index reads.
    const counted = countingRounds(server.store);
    const outcome = await search(counted.store, { q: 'quetzal' });
    assert.deepEqual(outcome.results.map((r) => r.card.path), ['/news/quetzal-headline', '/news/quetzal-body']);
    assert.match(outcome.results[1]!.snippet.map((s) => s.text).join(''), /observer reported a quetzal/);
    assert.ok(counted.rounds() <= 2, `${counted.rounds()} rounds, ${counted.statements()} statements`);
  });

  test('no results: says so, suggests searches that work, lists the latest articles', async () => {
    const { doc } = await get(`/search?${q('quetzal zzyzzyva')}`);
    assert.match(doc.querySelector('.search-none')!.textContent ?? '', /quetzal zzyzzyva/);
    assert.deepEqual([...doc.querySelectorAll('.search-suggestions a')].map((a) => a.textContent), ['quetzal']);
    assert.ok(doc.querySelectorAll('.search-latest li').length > 0);
    const filtered = await get(`/search?${q('quetzal')}&section=akhbar`);
    assert.deepEqual([...filtered.doc.querySelectorAll('.search-suggestions a')].map((a) => a.getAttribute('href')), ['/search?q=quetzal']);
  });

  test('an empty search shows the form and how to search', async () => {
    const { status, doc } = await get('/search');
    assert.equal(status, 200);
    assert.ok(doc.querySelector('form[role=search] input[name=q]'));
    assert.ok(doc.querySelector('.search-help'));
  });

  test('every page carries a search box in the masthead', async () => {
    const { doc } = await get('/');
    assert.equal(doc.querySelector('.site-search')!.getAttribute('action'), '/search');
  });
});

describe('bad input never reaches the database as syntax', () => {
  const syntax = ['"', '*', 'NEAR(', 'NEAR(a b)', '(((', ')', 'a OR', 'OR', 'NOT', 'AND OR NOT', '"unbalanced', 'headline:x', '^x', '{a b}', 'a"b', '-', "'", ';--', '\u0000', '\u0001\u0002', '%', '\\'];
  for (const text of syntax) {
    test(`q=${JSON.stringify(text)} is searched as plain text`, async () => {
      const { status, body } = await get(`/search?${q(text)}`);
      assert.equal(status, 200);
      assert.doesNotMatch(body, /fts5|sqlite|syntax error|malformed/i);
    });
  }

  const refused: [string, RegExp][] = [
    [q('x'.repeat(201)), /at most 200 characters/],
    [`${q('a')}&q=b`, /more than once/],
    [`${q('a')}&from=2023-02-30`, /real day/],
    [`${q('a')}&from=yesterday`, /YYYY-MM-DD/],
    [`${q('a')}&from=2023-05-02&to=2023-05-01`, /after the "to" date/],
    [`${q('a')}&section=nowhere`, /no section "nowhere"/],
    [`${q('a')}&language=%3Cscript%3E`, /language code/],
    [`${q('a')}&page=0`, /page number/],
    [`${q('a')}&page=101`, /page number/],
  ];
  for (const [query, message] of refused) {
    test(`${decodeURIComponent(query).slice(0, 60)} answers 400 with a message`, async () => {
      const { status, doc } = await get(`/search?${query}`);
      assert.equal(status, 400);
      assert.match(doc.querySelector('main')!.textContent ?? '', message);
    });
  }
});

describe('the index follows the articles', () => {
  test('a failed write leaves the index as it was', async () => {
    await assert.rejects(
      createArticle(server.store, { section: 'news', slug: 'quetzal-headline', headline: 'Ocelot duplicate', body: 'ocelot' }),
      (e) => e instanceof AppError && e.code === 'conflict',
    );
    assert.deepEqual(await results(q('ocelot')), []);
  });

  test('changing and unpublishing an article updates search at once', async () => {
    const { id } = await createArticle(server.store, { section: 'news', slug: 'capybara', headline: 'Capybara census', body: 'A count of capybara.' });
    assert.deepEqual(await results(q('capybara')), ['/news/capybara']);
    await updateArticle(server.store, id, { headline: 'Tapir census', body: 'A count of tapirs.' });
    assert.deepEqual(await results(q('capybara')), []);
    assert.deepEqual(await results(q('tapir')), ['/news/capybara']);
    await updateArticle(server.store, id, { status: 'draft' });
    assert.deepEqual(await results(q('tapir')), []);
  });
});
