// Every reader-facing page over real HTTP against the real server on a temp SQLite file.
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { createArticle } from '../src/articles/article.service.ts';
import { readSeedPage } from '../src/demo/demo.service.ts';
import { PUBLIC_URL, SEED_PATH, startTestServer, type TestServer } from './helpers/server.ts';

const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

async function get(server: TestServer, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url + path, { headers, redirect: 'manual' });
  const text = await response.text();
  return { response, text, document: parseHTML(text).document };
}

describe('article page', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('shows every part of the seed page', async () => {
    const { response, document } = await get(server, SEED_PATH);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    const seed = readSeedPage();

    const html = document.documentElement;
    assert.equal(html.getAttribute('lang'), 'en');
    assert.equal(html.getAttribute('dir'), 'ltr');

    const article = document.querySelector('article.article')!;
    const kicker = article.querySelector('.kicker a')!;
    assert.equal(norm(kicker.textContent), 'News');
    assert.equal(kicker.getAttribute('href'), '/news/');
    assert.equal(norm(article.querySelector('h1')!.textContent), 'Disclosure of confidential document');
    assert.equal(norm(article.querySelector('.subtitle')!.textContent), 'The United States has no plans to leave Iraq');

    const byline = article.querySelector('.byline')!;
    assert.equal(byline.querySelector('a[rel="author"]')!.getAttribute('href'), '/author/international-desk/');
    const times = [...byline.querySelectorAll('time')].map((t) => t.getAttribute('datetime'));
    assert.deepEqual(times, ['2022-01-16T09:30:00.000Z', '2022-01-16T13:45:00.000Z']);

    const paragraphs = [...article.querySelectorAll('.article-body p')].map((p) => norm(p.textContent));
    assert.deepEqual(paragraphs, seed.paragraphs.map(norm), 'the whole body, paragraph for paragraph, quotations kept');
    assert.ok(seed.paragraphs.length >= 15);

    const sources = [...document.querySelectorAll('.sources li')].map((li) => ({
      role: norm(li.querySelector('.source-role')!.textContent),
      name: norm(li.querySelector('.source-name')!.textContent),
    }));
    assert.deepEqual(sources, [
      { role: 'Reported', name: 'Al-Akhbar' },
      { role: 'Relayed', name: 'Fars News Agency, International Group' },
      { role: 'Quoted', name: 'Classified statement on the US–Iraqi strategic dialogue' },
      { role: 'Quoted', name: 'General Richard Bell' },
    ]);
    assert.equal(norm(document.querySelector('#sources-title')!.textContent), 'Sources');

    const checkAlso = document.querySelector('.check-also')!;
    assert.equal(norm(checkAlso.querySelector('h2')!.textContent), 'Check Also');
    const related = checkAlso.querySelector('.card-title a')!;
    assert.equal(norm(related.textContent), 'Israel And Occupied Palestinian Territories 2022');
    assert.equal(related.getAttribute('href'), '/occupied-palestinian-territories/israel-and-occupied-palestinian-territories-2022');
    assert.equal(norm(checkAlso.querySelector('.kicker')!.textContent), 'Occupied Palestinian Territories');
    assert.equal(
      norm(checkAlso.querySelector('.card-excerpt')!.textContent),
      'According to Mouood, quoting by Amnesty: Israel And Occupied Palestinian Territories 2022 Israel’s continuing oppressive …',
    );

    const respond = document.querySelector('#respond')!;
    assert.equal(norm(respond.querySelector('h2')!.textContent), 'Leave a Reply');
    assert.match(norm(respond.textContent), /Your email address will not be published\./);
    for (const [name, label] of [['author', 'Name'], ['email', 'Email'], ['url', 'Website'], ['comment', 'Comment']] as const) {
      const field = respond.querySelector(`[name="${name}"]`)!;
      assert.ok(field, `field ${name}`);
      const labelEl = respond.querySelector(`label[for="${field.getAttribute('id')}"]`)!;
      assert.equal(norm(labelEl.textContent).replace(/\s*\*$/, ''), label);
    }
  });

  it('has a canonical URL, OpenGraph tags, one same-origin stylesheet and NewsArticle JSON-LD', async () => {
    const { document } = await get(server, SEED_PATH);
    assert.equal(document.querySelector('link[rel="canonical"]')!.getAttribute('href'), PUBLIC_URL + SEED_PATH);
    const og = (p: string) => document.querySelector(`meta[property="${p}"]`)?.getAttribute('content');
    assert.equal(og('og:type'), 'article');
    assert.equal(og('og:title'), 'Disclosure of confidential document');
    assert.equal(og('og:url'), PUBLIC_URL + SEED_PATH);
    assert.equal(og('article:section'), 'News');

    const sheets = document.querySelectorAll('link[rel="stylesheet"]');
    assert.equal(sheets.length, 1);
    assert.match(sheets[0]!.getAttribute('href')!, /^\/assets\/gazette\.[0-9a-f]{12}\.css$/);
    // Readable without JavaScript: the one script is the comment form's optional helper (decision 0014), from the site itself.
    const scripts = [...document.querySelectorAll('script:not([type="application/ld+json"])')];
    assert.deepEqual(
      scripts.map((s) => ({ src: /^\/assets\/comments\.[0-9a-f]{12}\.js$/.test(s.getAttribute('src') ?? ''), defer: s.hasAttribute('defer'), inline: s.textContent, inForm: s.closest('#respond') !== null })),
      [{ src: true, defer: true, inline: '', inForm: true }],
    );
    for (const el of document.querySelectorAll('[src], link[href]')) {
      const ref = el.getAttribute('src') ?? el.getAttribute('href')!;
      assert.ok(ref.startsWith('/') || ref.startsWith(PUBLIC_URL), `no third-party request: ${ref}`);
    }

    const ld = JSON.parse(document.querySelector('script[type="application/ld+json"]')!.textContent!);
    assert.equal(ld['@type'], 'NewsArticle');
    assert.equal(ld.headline, 'Disclosure of confidential document');
    assert.equal(ld.alternativeHeadline, 'The United States has no plans to leave Iraq');
    assert.equal(ld.datePublished, '2022-01-16T09:30:00.000Z');
    assert.equal(ld.dateModified, '2022-01-16T13:45:00.000Z');
    assert.equal(ld.articleSection, 'News');
    assert.equal(ld.inLanguage, 'en');
    assert.equal(ld.author[0].name, 'International Desk');
    assert.equal(ld.publisher['@type'], 'NewsMediaOrganization');
    assert.ok(ld.image.length >= 1);
    const names = JSON.stringify([ld.isBasedOn, ld.citation]);
    for (const source of ['Al-Akhbar', 'Fars News Agency, International Group', 'Classified statement', 'General Richard Bell']) assert.ok(names.includes(source), source);
  });

  it('serves the stylesheet with a year-long immutable cache', async () => {
    const { document } = await get(server, SEED_PATH);
    const href = document.querySelector('link[rel="stylesheet"]')!.getAttribute('href')!;
    const response = await fetch(server.url + href);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(await response.text(), /\.check-also/);
    assert.equal((await fetch(server.url + '/assets/nothing.000000000000.css')).status, 404);
  });

  // Decision 0076: a page of another build (from before an upgrade, or another node while nodes are
  // upgraded one at a time) names its stylesheet and script by that build's fingerprints.
  it('sends a stylesheet or script asked for by another build\'s fingerprint on to this build\'s, unstored', async () => {
    const { document } = await get(server, SEED_PATH);
    const href = document.querySelector('link[rel="stylesheet"]')!.getAttribute('href')!;
    for (const [asked, now] of [
      ['/assets/gazette.000000000000.css', href],
      ['/assets/comments.0123456789ab.js', document.querySelector('script[src^="/assets/comments."]')!.getAttribute('src')!],
    ]) {
      const moved = await fetch(server.url + asked, { redirect: 'manual' });
      assert.equal(moved.status, 307, asked);
      assert.equal(moved.headers.get('location'), now, asked);
      assert.equal(moved.headers.get('cache-control'), 'no-store', asked);
      assert.equal((await fetch(server.url + asked)).status, 200, `${asked} followed`);
    }
    for (const missing of ['/assets/gazette.00000000000.css', '/assets/gazette.css', '/assets/logo.000000000000.svg', '/assets/gazette.000000000000.js']) {
      assert.equal((await fetch(server.url + missing, { redirect: 'manual' })).status, 404, missing);
    }
  });

  it('answers a repeated request with 304 and compresses for clients that accept it', async () => {
    const first = await fetch(server.url + SEED_PATH);
    const body = Buffer.from(await first.arrayBuffer());
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/".+"$/);
    assert.equal(first.headers.get('vary'), 'Accept-Encoding');

    const again = await fetch(server.url + SEED_PATH, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal((await again.arrayBuffer()).byteLength, 0);

    // node's fetch decompresses on its own, so read raw bytes with node:http semantics via the undici option off.
    const br = await rawGet(server.url + SEED_PATH, 'br');
    assert.equal(br.encoding, 'br');
    assert.deepEqual(brotliDecompressSync(br.body), body);
    const gz = await rawGet(server.url + SEED_PATH, 'gzip, deflate');
    assert.equal(gz.encoding, 'gzip');
    assert.deepEqual(gunzipSync(gz.body), body);
    const none = await rawGet(server.url + SEED_PATH, 'identity');
    assert.equal(none.encoding, undefined);
    assert.deepEqual(none.body, body);
  });

  it('sends a page not yet cached as gzip to a client that takes brotli or gzip, and brotli once it is read again', async () => {
    const path = '/akhbar/kashf-wathiqa-sirriya';
    // Brotli first: with equal weights the client's order decides (a browser's "gzip, deflate, br" gets gzip).
    const miss = await rawGet(server.url + path, 'br, gzip');
    assert.equal(miss.encoding, 'gzip', 'the miss is not kept waiting for brotli');
    const body = gunzipSync(miss.body);
    // The second request starts brotli off the main thread; until it is done, gzip is sent.
    let later = await rawGet(server.url + path, 'br, gzip');
    while (later.encoding === 'gzip') {
      assert.deepEqual(gunzipSync(later.body), body);
      later = await rawGet(server.url + path, 'br, gzip');
    }
    assert.equal(later.encoding, 'br');
    assert.deepEqual(brotliDecompressSync(later.body), body);
    // A client that takes brotli only never gets gzip.
    const other = '/khabar/efshaye-sanad-mahramaneh';
    const brOnly = await rawGet(server.url + other, 'br');
    assert.equal(brOnly.encoding, 'br');
  });

  it('sets security headers', async () => {
    const { response } = await get(server, SEED_PATH);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(response.headers.get('content-security-policy')!, /default-src 'self'/);
  });

  it('shows a new article at once: the page cache is dropped on every change', async () => {
    const before = await get(server, '/');
    assert.doesNotMatch(before.text, /Freshly filed/);
    await createArticle(server.store, { section: 'news', headline: 'Freshly filed', body: 'A new report.', authors: ['international-desk'] });
    const afterCreate = await get(server, '/');
    assert.match(afterCreate.text, /Freshly filed/);
    assert.notEqual(before.response.headers.get('etag'), afterCreate.response.headers.get('etag'));
    assert.equal((await get(server, '/news/freshly-filed')).response.status, 200);
  });

  it('never shows drafts and escapes HTML written in a body', async () => {
    await createArticle(server.store, { section: 'news', headline: 'Embargoed story', status: 'draft', body: 'Not yet.' });
    assert.equal((await get(server, '/news/embargoed-story')).response.status, 404);
    await createArticle(server.store, { section: 'news', headline: 'Markup in body', body: 'Before <script>alert(1)</script> [x](javascript:alert(1)) after' });
    const { document } = await get(server, '/news/markup-in-body');
    assert.equal(document.querySelectorAll('.article-body script').length, 0);
    assert.match(norm(document.querySelector('.article-body')!.textContent), /<script>alert\(1\)<\/script>/);
    for (const a of document.querySelectorAll('.article-body a')) assert.doesNotMatch(a.getAttribute('href') ?? '', /^javascript:/i);
  });
});

async function rawGet(url: string, acceptEncoding: string): Promise<{ encoding: string | undefined; body: Buffer }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('listing pages', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    for (let i = 1; i <= 14; i++)
      await createArticle(server.store, {
        section: 'news',
        headline: `Wire report number ${i}`,
        body: `Report ${i}.`,
        tags: ['Iraq'],
        authors: ['international-desk'],
        publishedAt: `2023-02-${String(i).padStart(2, '0')}T10:00:00Z`,
      });
  });
  after(() => server.close());

  it('home page: latest articles and a block per section', async () => {
    const { response, document } = await get(server, '/');
    assert.equal(response.status, 200);
    assert.equal(document.querySelector('.lead-title')!.textContent!.trim(), 'Wire report number 14');
    const blocks = [...document.querySelectorAll('.section-block .block-title')].map((h) => norm(h.textContent));
    assert.deepEqual(blocks, ['News', 'Occupied Palestinian Territories', 'أخبار', 'خبر']);
    const arabicBlock = document.querySelector('.section-block[lang="ar"]');
    assert.equal(arabicBlock?.getAttribute('dir'), 'rtl');
    assert.equal(document.querySelector('link[rel="next"]')!.getAttribute('href'), `${PUBLIC_URL}/?page=2`);
  });

  it('paginates, and answers 404 past the last page', async () => {
    const second = await get(server, '/?page=2');
    assert.equal(second.response.status, 200);
    assert.match(norm(second.document.querySelector('.pager-status')!.textContent), /Page 2 of 2/);
    assert.equal(second.document.querySelector('link[rel="canonical"]')!.getAttribute('href'), `${PUBLIC_URL}/?page=2`);
    assert.equal((await get(server, '/?page=3')).response.status, 404);
  });

  it('section page lists the section and redirects the slash-less address', async () => {
    const { response, document } = await get(server, '/news/');
    assert.equal(response.status, 200);
    assert.equal(norm(document.querySelector('h1')!.textContent), 'News');
    assert.equal(document.querySelectorAll('.card').length, 12);
    const page2 = await get(server, '/news/?page=2');
    assert.equal(page2.document.querySelectorAll('.card').length, 3);
    const redirect = await get(server, '/news');
    assert.equal(redirect.response.status, 301);
    assert.equal(redirect.response.headers.get('location'), '/news/');
  });

  it('right-to-left section pages take their language from the section', async () => {
    const { document } = await get(server, '/akhbar/');
    assert.equal(document.documentElement.getAttribute('lang'), 'ar');
    assert.equal(document.documentElement.getAttribute('dir'), 'rtl');
  });

  it('tag and author pages', async () => {
    const tag = await get(server, '/tag/iraq/');
    assert.equal(tag.response.status, 200);
    assert.equal(norm(tag.document.querySelector('h1')!.textContent), 'Tagged “Iraq”');
    assert.equal(tag.document.querySelectorAll('.card').length, 12);
    const author = await get(server, '/author/international-desk/');
    assert.equal(author.response.status, 200);
    assert.equal(norm(author.document.querySelector('h1')!.textContent), 'Articles by International Desk');
    assert.equal((await get(server, '/tag/iraq')).response.headers.get('location'), '/tag/iraq/');
  });
});

describe('addresses typed with capitals or the wrong trailing slash', () => {
  let server: TestServer;
  let arabicPath: string;
  before(async () => {
    server = await startTestServer();
    arabicPath = (await createArticle(server.store, { section: 'akhbar', headline: 'خبر عاجل', body: 'نص.', authors: ['international-desk'] })).path;
    await createArticle(server.store, { section: 'news', headline: 'Embargoed story', status: 'draft', body: 'Not yet.' });
    await createArticle(server.store, { section: 'news', slug: 'été', headline: 'Summer', body: 'Warm.' });
  });
  after(() => server.close());

  const redirects: [string, string][] = [
    ['/News/Disclosure-Of-Confidential-Document', SEED_PATH],
    ['/news/disclosure-of-confidential-document/', SEED_PATH],
    ['/NEWS/Disclosure-of-confidential-document/?comment=held', `${SEED_PATH}?comment=held`],
    ['/news/DISCLOSURE-OF-CONFIDENTIAL-DOCUMENT?a=1&b=2', `${SEED_PATH}?a=1&b=2`],
    ['/News/', '/news/'],
    ['/News', '/news/'],
    ['/NEWS/?page=1', '/news/?page=1'],
    ['/news?page=1', '/news/?page=1'],
  ];
  for (const [from, to] of redirects) {
    it(`${from} -> 301 ${to}`, async () => {
      const { response } = await get(server, from);
      assert.equal(response.status, 301);
      assert.equal(response.headers.get('location'), to);
      assert.equal((await fetch(server.url + from)).status, 200, 'the redirect ends on the page');
    });
  }

  for (const path of ['/News/No-Such-Article', '/news/no-such-article/', '/No-Such-Section/', '/No-Such-Section', '/No-Such-Section/Some-Article/', '/news/Embargoed-Story', '/news/embargoed-story/'])
    it(`${path} -> 404 (nothing published there in any case)`, async () => {
      const { response, text } = await get(server, path);
      assert.equal(response.status, 404);
      assert.match(text, /Page not found/);
    });

  it('keeps non-ASCII slugs working and lowers only ASCII capitals', async () => {
    assert.match(arabicPath, /^\/akhbar\/%D8%AE/);
    assert.equal((await get(server, arabicPath)).response.status, 200);
    assert.equal((await get(server, arabicPath.toLowerCase())).response.status, 200, 'percent-encoding in lower-case hex is the same address');
    for (const from of [`${arabicPath}/`, arabicPath.replace('/akhbar/', '/Akhbar/'), `${arabicPath.replace('/akhbar/', '/AKHBAR/')}/`]) {
      const { response } = await get(server, from);
      assert.equal(response.status, 301, from);
      assert.equal(response.headers.get('location'), arabicPath);
    }
    assert.equal((await get(server, '/news/%C3%A9t%C3%A9')).response.status, 200);
    assert.equal((await get(server, '/news/%C3%89T%C3%89')).response.status, 404, '"ÉTÉ" is not lowered to "été"');
  });
});

describe('right-to-left articles', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  for (const [path, lang, strings] of [
    ['/akhbar/kashf-wathiqa-sirriya', 'ar', ['المصادر', 'اقرأ أيضاً', 'اترك تعليقاً', 'لن يتم نشر عنوان بريدك الإلكتروني.']],
    ['/khabar/efshaye-sanad-mahramaneh', 'fa', ['منابع', 'همچنین بخوانید', 'دیدگاهی بنویسید', 'نشانی ایمیل شما منتشر نخواهد شد.']],
  ] as const) {
    it(`${lang}: lang, dir and translated fixed strings`, async () => {
      const { response, document, text } = await get(server, path);
      assert.equal(response.status, 200);
      assert.equal(document.documentElement.getAttribute('lang'), lang);
      assert.equal(document.documentElement.getAttribute('dir'), 'rtl');
      for (const s of strings) assert.ok(text.includes(s), `page shows “${s}”`);
      assert.doesNotMatch(text, /Check Also|Leave a Reply/);
    });
  }
});

describe('bad requests get a page with a 4xx, never a 500', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const cases: [string, number, RegExp][] = [
    ['/news/no-such-article', 404, /Page not found/],
    ['/no-such-section/', 404, /Page not found/],
    ['/no-such-section/some-article', 404, /Page not found/],
    ['/tag/no-such-tag/', 404, /Page not found/],
    ['/author/nobody/', 404, /Page not found/],
    ['/news/%E0%A4%A', 400, /malformed percent-encoded/],
    ['/%ZZ/', 400, /malformed percent-encoded/],
    ['/news/..%2F..%2Fetc%2Fpasswd', 404, /Page not found/],
    ['/?page=abc', 400, /page number must be a whole number/],
    ['/?page=0', 400, /page number must be a whole number/],
    ['/?page=1.5', 400, /page number must be a whole number/],
    ['/?page=99999999999', 400, /page number must be a whole number/],
    ['/?page=1&page=2', 400, /page number must be a whole number/],
    ['/news/?page=-1', 400, /page number must be a whole number/],
    [`/news/${'a'.repeat(3000)}`, 414, /address is too long/],
    [`/?q=${'x'.repeat(2100)}`, 414, /address is too long/],
    ['/assets/../../etc/passwd', 404, /Page not found/],
  ];
  for (const [path, status, message] of cases) {
    it(`${path.slice(0, 60)} -> ${status}`, async () => {
      const { response, text, document } = await get(server, path);
      assert.equal(response.status, status);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(text, message);
      assert.equal(document.documentElement.getAttribute('lang'), 'en');
      assert.ok(document.querySelector('a[href="/"]'), 'a way back to the front page');
      assert.doesNotMatch(text, /at [\w.]+ \(|SqliteError|stack/i);
    });
  }

  it('answers HEAD like GET without a body', async () => {
    const response = await fetch(server.url + SEED_PATH, { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal((await response.arrayBuffer()).byteLength, 0);
  });

  it('answers an unknown method on a page with 404 or 405, not 500', async () => {
    const response = await fetch(server.url + SEED_PATH, { method: 'DELETE' });
    assert.ok(response.status === 404 || response.status === 405, String(response.status));
  });
});
