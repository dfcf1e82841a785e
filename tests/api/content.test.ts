// The Content API over real HTTP, on the engine under test: every endpoint (answers checked against the
// OpenAPI document), filters, field selection, orders, ETag/304, CORS, the cursor walk while articles are
// being published, refusals of bad input naming the field, and the rate limits per address and per key.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createArticle } from '../../src/articles/article.service.ts';
import { createApiToken, revokeApiToken } from '../../src/accounts/api-token.service.ts';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { articleImageUsage } from '../../src/articles/article.images.ts';
import { uploadImage } from '../../src/media/image.service.ts';
import { localStorage } from '../../src/media/media.storage.ts';
import { createAccount } from '../helpers/admin.ts';
import { ApiClient } from '../helpers/openapi.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface Item {
  id: number;
  headline?: string;
  language?: string;
  section?: { slug: string };
  tags?: { slug: string }[];
  authors?: { slug: string }[];
  publishedAt?: string;
  updatedAt?: string;
  [field: string]: unknown;
}
interface ListBody {
  data: Item[];
  nextCursor: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; fields: Record<string, string> };
}

const iso = (day: number, hour = 9) => new Date(Date.UTC(2024, 0, day, hour)).toISOString();

describe('the Content API', () => {
  let server: TestServer;
  let api: ApiClient;
  before(async () => {
    server = await startTestServer({});
    api = await ApiClient.open(server);
    // A small archive with known sections, tags, authors, languages and dates.
    for (let day = 1; day <= 6; day++) {
      await createArticle(server.store, {
        section: day % 2 ? 'news' : 'akhbar',
        slug: `harbour-report-${day}`,
        language: day % 2 ? 'en' : 'ar',
        headline: `Harbour report ${day}`,
        body: `The harbour on day ${day}.`,
        tags: day <= 3 ? ['Harbour'] : ['Weather'],
        authors: day === 1 ? ['international-desk'] : [],
        publishedAt: iso(day),
        updatedAt: iso(day, 12),
      });
    }
  });
  after(() => server.close());

  const list = (query: string) => api.get<ListBody>(`/api/content/articles${query}`);

  const refused = async (path: string) => {
    const answer = await api.get<ErrorBody>(path);
    assert.ok(answer.status >= 400 && answer.status < 500, `${path}: ${answer.status}`);
    return answer.body.error;
  };

  it('lists published articles newest first, as cards with tags', async () => {
    const answer = await list('?limit=3');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.data.length, 3);
    assert.equal(answer.body.data[0]!.headline, 'Harbour report 6');
    assert.deepEqual(Object.keys(answer.body.data[0]!).sort(), ['authors', 'commentCount', 'excerpt', 'headline', 'id', 'image', 'language', 'path', 'pinned', 'publishedAt', 'section', 'subtitle', 'tags', 'updatedAt']);
    assert.deepEqual(answer.body.data[0]!.tags!.map((t) => t.slug), ['weather']);
    assert.equal(typeof answer.body.nextCursor, 'string');
  });

  it('answers one article with its body, sources and translations, and 404 for an unpublished or unknown one', async () => {
    const seed = (await list('?limit=100&fields=path')).body.data.find((a) => a.path === '/news/disclosure-of-confidential-document')!;
    const answer = await api.get<{ data: Item & { sources: { name: string }[]; translations: { language: string }[]; bodyHtml: string } }>(`/api/content/articles/${seed.id}`);
    assert.equal(answer.status, 200);
    assert.ok(answer.body.data.sources.some((s) => s.name === 'Al-Akhbar'));
    assert.deepEqual(answer.body.data.translations.map((t) => t.language).sort(), ['ar', 'en', 'fa']);
    assert.match(answer.body.data.bodyHtml, /<p>/);
    const draft = await createArticle(server.store, { section: 'news', slug: 'a-draft', headline: 'Not yet', status: 'draft' });
    assert.equal((await api.get(`/api/content/articles/${draft.id}`)).status, 404);
    assert.equal((await refused('/api/content/articles/not-a-number')).fields.id !== undefined, true);
  });

  it('answers sections, tags, authors, pages and search', async () => {
    assert.ok((await api.get<{ data: { slug: string }[] }>('/api/content/sections')).body.data.some((s) => s.slug === 'akhbar'));
    assert.ok((await api.get<{ data: { slug: string }[] }>('/api/content/tags')).body.data.some((t) => t.slug === 'harbour'));
    assert.ok((await api.get<{ data: { slug: string }[] }>('/api/content/authors')).body.data.some((p) => p.slug === 'international-desk'));
    const pages = await api.get<{ data: { slug: string; bodyHtml: string }[] }>('/api/content/pages');
    assert.ok(pages.body.data.some((p) => p.slug === 'about'));
    const search = await api.get<{ total: number; data: { headline: string; snippet: string }[] }>('/api/content/search?q=harbour');
    assert.ok(search.body.total >= 6);
    assert.match(search.body.data[0]!.snippet, /harbour/i);
  });

  it('filters by section, tag, author, language and dates', async () => {
    const headlines = async (query: string) => (await list(`?limit=100&fields=headline${query}`)).body.data.map((a) => a.headline).filter((h) => h!.startsWith('Harbour')).sort();
    assert.deepEqual(await headlines('&section=akhbar'), ['Harbour report 2', 'Harbour report 4', 'Harbour report 6']);
    assert.deepEqual(await headlines('&tag=harbour'), ['Harbour report 1', 'Harbour report 2', 'Harbour report 3']);
    assert.deepEqual(await headlines('&author=international-desk&tag=harbour'), ['Harbour report 1']);
    assert.deepEqual(await headlines('&language=ar&tag=weather'), ['Harbour report 4', 'Harbour report 6']);
    assert.deepEqual(await headlines(`&publishedFrom=${iso(2)}&publishedBefore=${iso(4)}`), ['Harbour report 2', 'Harbour report 3']);
    // Any offset is accepted and compared in UTC.
    assert.deepEqual(await headlines(`&publishedFrom=2024-01-05T10:00:00%2B01:00`), ['Harbour report 5', 'Harbour report 6']);
    assert.deepEqual(await headlines(`&updatedSince=${iso(6, 11)}&tag=weather`), ['Harbour report 6']);
    assert.equal((await refused('/api/content/articles?section=nowhere')).fields.section, 'No section has the slug "nowhere".');
  });

  it('returns only the fields asked for, id always', async () => {
    const answer = await list('?limit=2&fields=headline,language');
    for (const item of answer.body.data) assert.deepEqual(Object.keys(item).sort(), ['headline', 'id', 'language']);
    const full = await list('?limit=1&tag=harbour&fields=bodyHtml,wordCount,sources,commentsOpen');
    assert.deepEqual(Object.keys(full.body.data[0]!).sort(), ['bodyHtml', 'commentsOpen', 'id', 'sources', 'wordCount']);
    assert.match(String(full.body.data[0]!.bodyHtml), /harbour/);
  });

  it('sorts by publication or update time, either way', async () => {
    const times = async (sort: string, field: 'publishedAt' | 'updatedAt') => (await list(`?limit=100&sort=${sort}&fields=${field}`)).body.data.map((a) => a[field] as string);
    const ascending = await times('publishedAt', 'publishedAt');
    assert.deepEqual(ascending, [...ascending].sort());
    const byUpdate = await times('-updatedAt', 'updatedAt');
    assert.deepEqual(byUpdate, [...byUpdate].sort().reverse());
    assert.ok((await refused('/api/content/articles?sort=headline')).fields.sort);
  });

  it('answers 304 to a matching If-None-Match, and a new ETag once the content changes', async () => {
    const first = await list('?limit=5&tag=harbour');
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const again = await api.get('/api/content/articles?limit=5&tag=harbour', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    await createArticle(server.store, { section: 'news', slug: 'harbour-report-7', headline: 'Harbour report 7', tags: ['Harbour'], publishedAt: iso(7) });
    const changed = await api.get<ListBody>('/api/content/articles?limit=5&tag=harbour', { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.equal(changed.body.data[0]!.headline, 'Harbour report 7');
  });

  it('lets any origin read, with a preflight for the Authorization header', async () => {
    const answer = await api.get('/api/content/sections', { origin: 'https://partner.example' });
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    assert.match(answer.headers.get('access-control-expose-headers') ?? '', /ETag/);
    const preflight = await fetch(`${server.url}/api/content/articles`, { method: 'OPTIONS', headers: { origin: 'https://partner.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/i);
    const post = await fetch(`${server.url}/api/content/articles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(post.status, 404);
    assert.equal(((await post.json()) as ErrorBody).error.code, 'not_found');
  });

  it('walks every published article exactly once while articles are being published', async () => {
    for (let i = 0; i < 30; i++) {
      // Pairs share a publication time, so the walk must break ties by id.
      await createArticle(server.store, { section: 'news', slug: `walk-${i}`, headline: `Walk ${i}`, publishedAt: iso(10 + Math.floor(i / 2)) });
    }
    const before = new Set((await list('?limit=100&fields=path')).body.data.map((a) => a.id));
    assert.ok(before.size > 40 && before.size < 100, `${before.size} published`);
    for (const sort of ['-publishedAt', 'publishedAt']) {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const answer: { body: ListBody } = await list(`?limit=7&sort=${sort}&fields=headline${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...answer.body.data.map((a) => a.id));
        cursor = answer.body.nextCursor;
        // Published between two pages: now (after everything) and back in time (inside the walked range).
        await createArticle(server.store, { section: 'news', slug: `during-${sort.startsWith("-") ? "desc" : "asc"}-${pages}`, headline: `During ${pages}`, ...(pages % 2 ? { publishedAt: iso(12) } : {}) });
        pages++;
      } while (cursor);
      assert.ok(pages >= Math.ceil(before.size / 7), `${pages} pages`);
      assert.equal(new Set(seen).size, seen.length, `${sort}: no article twice`);
      const missing = [...before].filter((id) => !seen.includes(id));
      assert.deepEqual(missing, [], `${sort}: every article published before the walk`);
    }
  });

  it('refuses bad cursors, limits, fields and unknown parameters with a 400 naming the field', async () => {
    assert.match((await refused('/api/content/articles?cursor=not-a-cursor!')).fields.cursor!, /not a cursor/);
    assert.match((await refused(`/api/content/articles?cursor=${Buffer.from('["-publishedAt","yesterday",3]').toString('base64url')}`)).fields.cursor!, /no time/);
    assert.match((await refused(`/api/content/articles?cursor=${Buffer.from('{"a":1}').toString('base64url')}`)).fields.cursor!, /not a cursor/);
    const other = (await list('?limit=1&sort=publishedAt')).body.nextCursor!;
    assert.match((await refused(`/api/content/articles?cursor=${other}`)).fields.cursor!, /sort=publishedAt/);
    for (const limit of ['0', '101', 'abc', '2.5', '-1']) assert.ok((await refused(`/api/content/articles?limit=${limit}`)).fields.limit, limit);
    const unknown = await refused('/api/content/articles?colour=red&page=2');
    assert.deepEqual(Object.keys(unknown.fields).sort(), ['colour', 'page']);
    assert.equal(unknown.code, 'bad_request');
    assert.match((await refused('/api/content/articles?fields=headline,secret')).fields.fields!, /secret/);
    assert.ok((await refused('/api/content/articles?publishedFrom=last-week')).fields.publishedFrom);
    assert.ok((await refused('/api/content/tags?q=1')).fields.q);
    const error = await refused('/api/content/articles?limit=0');
    assert.ok(!JSON.stringify(error).includes('at '), 'no stack trace');
    // An address the router cannot read is answered before any context, still as the API's JSON.
    const malformed = await fetch(`${server.url}/api/content/articles/%zz`);
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as ErrorBody).error.fields.path, 'Check its percent-encoding.');
  });

  it('gives an article’s library picture with absolute addresses: renditions, card, social picture, caption and credit', async () => {
    const deps = { store: server.store, storage: localStorage(server.config.mediaDir), settings: server.config.images, usage: articleImageUsage };
    const editor = await createAccount(server, { role: 'editor' });
    const bytes = await sharp({ create: { width: 1400, height: 900, channels: 3, background: '#336699' } }).jpeg().toBuffer();
    const picture = await uploadImage(deps, editor, { fileName: 'quay.jpg', stream: Readable.from([bytes]), truncated: () => false }, { alt: 'The quay at noon', caption: 'The old quay', credit: 'Photo: Desk' });
    const { id } = await createArticle(server.store, { section: 'news', slug: 'quay-pictured', headline: 'Quay pictured', body: 'Text.', leadImageId: picture.id, publishedAt: iso(20) });
    const answer = await api.get<{ data: Item }>(`/api/content/articles/${id}?fields=image`);
    assert.equal(answer.status, 200);
    const image = answer.body.data.image as { url: string; alt: string; width: number; caption: string; credit: string; srcset: string; sources: { type: string; srcset: string }[]; card: { url: string }; social: { url: string; width: number } };
    assert.equal(image.alt, 'The quay at noon');
    assert.equal(image.caption, 'The old quay');
    assert.equal(image.credit, 'Photo: Desk');
    assert.deepEqual(image.sources.map((s) => s.type), ['image/avif', 'image/webp']);
    assert.equal(image.social.width, 1200);
    const urls = [image.url, image.card.url, image.social.url, ...image.srcset.split(', ').map((c) => c.split(' ')[0]!), ...image.sources.flatMap((s) => s.srcset.split(', ').map((c) => c.split(' ')[0]!))];
    for (const url of urls) {
      assert.ok(url.startsWith(server.config.publicUrl.replace(/\/$/, '') + '/media/'), url);
      assert.equal((await fetch(server.url + new URL(url).pathname)).status, 200, url);
    }
    const listed = await list('?fields=image,headline&publishedFrom=' + encodeURIComponent(iso(20)) + '&publishedBefore=' + encodeURIComponent(iso(21)));
    assert.equal((listed.body.data[0]!.image as { url: string }).url, image.url);
    const plain = await list('?fields=image&publishedBefore=' + encodeURIComponent(iso(2)));
    assert.equal((plain.body.data[0]!.image as { url: string | null }).url, null, 'no picture: url is null');
  });
});

describe('Content API rate limits and content keys', () => {
  let server: TestServer;
  let api: ApiClient;
  before(async () => {
    server = await startTestServer({ demo: false, api: { perAddressPerMinute: 3, perKeyPerMinute: 5 } });
    api = await ApiClient.open(server);
  });
  after(() => server.close());

  it('limits an address, then a content key on its own higher limit, and refuses revoked or admin tokens', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await api.get('/api/content/sections')).status, 200);
    const limited = await api.get<ErrorBody>('/api/content/sections');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(limited.headers.get('ratelimit-remaining'), '0');

    const { token } = await createApiToken(server.store, null, { kind: 'content', name: 'Partner widget' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await api.get('/api/content/sections', { authorization: `Bearer ${token}` })).status);
    // The same key as a query parameter counts against the same limit.
    for (let i = 0; i < 2; i++) statuses.push((await api.get(`/api/content/sections?key=${token}`)).status);
    statuses.push((await api.get('/api/content/sections', { authorization: `Bearer ${token}` })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);

    const other = await createApiToken(server.store, null, { kind: 'content', name: 'Another reader' });
    assert.equal((await api.get('/api/content/sections', { authorization: `Bearer ${other.token}` })).status, 200, 'each key has its own count');
    await revokeApiToken(server.store, null, other.summary.id);
    const revoked = await api.get<ErrorBody>('/api/content/sections', { authorization: `Bearer ${other.token}` });
    assert.equal(revoked.status, 401);
    assert.match(revoked.body.error.message, /revoked/);
    const admin = await createApiToken(server.store, null, { kind: 'admin', name: 'Not a key', role: 'editor' });
    assert.equal((await api.get(`/api/content/sections?key=${admin.token}`)).status, 401);
    assert.equal((await api.get('/api/content/sections', { authorization: 'Bearer gzt_made-up' })).status, 401);
  });

});
