// What readers, social sites and feed readers get of library pictures, on the real server over HTTP:
// the lead picture as <picture> (AVIF/WebP, every srcset width answering in its type, width/height, first
// in priority, caption and credit), body pictures lazy, card pictures on the home page, section, search
// and "Check Also", the social picture in OpenGraph, JSON-LD and the three feeds, pages that follow an
// edited or replaced picture at once (change keys), and a generated headline card for articles without
// one. The article page with pictures is checked by the Nu Html Checker and the schema.org vocabulary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DOMParser, parseHTML } from 'linkedom';
import sharp from 'sharp';
import type { Account } from '../../src/accounts/permissions.ts';
import { articleImageUsage } from '../../src/articles/article.images.ts';
import { createArticle, updateArticle } from '../../src/articles/article.service.ts';
import { editImage, ensureCrop, replaceImage, uploadImage, type ImageItem, type MediaDeps } from '../../src/media/image.service.ts';
import { localStorage } from '../../src/media/media.storage.ts';
import { PUBLIC_URL, startTestServer, tempDir, type TestServer } from '../helpers/server.ts';
import { account } from '../newsroom/helpers.ts';
import { toRdf, vocabularyProblems } from '../conformance/schemaorg.ts';

const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));

const photo = (width: number, height: number, colour: string) =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .composite([{ input: { create: { width: Math.round(width / 5), height: Math.round(height / 5), channels: 3, background: '#ffffff' } }, left: Math.round(width / 2), top: Math.round(height / 3) }])
    .jpeg({ quality: 85 })
    .toBuffer();
const upload = async (fileName: string, bytes: Buffer | Promise<Buffer>) => ({ fileName, stream: Readable.from([await bytes]), truncated: () => false });

const TYPES: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', heif: 'image/avif' };

describe('pictures on public pages', () => {
  let server: TestServer;
  let deps: MediaDeps;
  let editor: Account;
  let lead: ImageItem;
  let inBody: ImageItem;
  let second: ImageItem;
  let leadPath: string;
  let pinnedPath: string;
  let plainPath: string;
  let arabicPath: string;
  let draftId: number;

  /** The server's address for an absolute URL the pages state (made from PUBLIC_URL). */
  const local = (url: string) => {
    assert.ok(url.startsWith(`${PUBLIC_URL}/`), `${url} is absolute, from the site's public URL`);
    return server.url + url.slice(PUBLIC_URL.length);
  };
  const page = async (address: string) => {
    const response = await fetch(server.url + address);
    assert.equal(response.status, 200, `GET ${address}`);
    const text = await response.text();
    return { text, document: parseHTML(text).document };
  };
  /** Fetches a picture's file: 200, the stated type, and its pixel size and bytes. */
  const file = async (address: string, type?: string) => {
    const response = await fetch(address.startsWith('http') ? address : server.url + address);
    assert.equal(response.status, 200, address);
    const bytes = Buffer.from(await response.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    const served = response.headers.get('content-type');
    assert.equal(served, TYPES[meta.format!], `${address} is served as what it is`);
    if (type) assert.equal(served, type, address);
    return { bytes, width: meta.width, height: meta.height, type: served };
  };
  const meta = (document: Document, property: string) => document.querySelector(`meta[property="${property}"], meta[name="${property}"]`)?.getAttribute('content') ?? null;
  const jsonLd = (document: Document) => JSON.parse(document.querySelector('script[type="application/ld+json"]')!.textContent!) as Record<string, unknown>;

  before(async () => {
    server = await startTestServer();
    deps = { store: server.store, storage: localStorage(server.config.mediaDir), settings: server.config.images, usage: articleImageUsage };
    editor = await account(server, 'editor');
    lead = await uploadImage(deps, editor, await upload('harbour.jpg', photo(2400, 1600, '#1f5f8b')), { alt: 'Fishing boats in the harbour at dawn', caption: 'The harbour of Tyre before the boats go out.', credit: 'Rana Haddad / Gazette' });
    inBody = await uploadImage(deps, editor, await upload('market.jpg', photo(1600, 1200, '#8b5a1f')), { alt: 'The covered market', caption: 'Market', credit: 'Desk' });
    second = await uploadImage(deps, editor, await upload('square.jpg', photo(1800, 1200, '#2e7d32')), { alt: 'A crowd in the square' });
    const now = Date.now();
    const body = `<p>Pictureword first paragraph.</p><figure class="body-image"><img src="${inBody.picture.src}" alt="Stalls under the arches" data-media-id="${inBody.id}"><figcaption>The market <small class="credit">Desk</small></figcaption></figure><p>A last paragraph.</p>`;
    const made = await createArticle(server.store, { section: 'news', headline: 'Boats return to the harbour', subtitle: 'Fishermen go out again', body, bodyFormat: 'html', authors: ['international-desk'], tags: ['Harbour'], leadImageId: lead.id, publishedAt: new Date(now - 60_000).toISOString() });
    leadPath = made.path;
    const pinned = await createArticle(server.store, { section: 'news', headline: 'Crowds gather in the square', body: 'Pictureword square story.', authors: ['international-desk'], tags: ['Harbour'], leadImageId: second.id, pins: [leadPath.slice(1)], publishedAt: new Date(now - 30_000).toISOString() });
    pinnedPath = pinned.path;
    plainPath = (await createArticle(server.store, { section: 'news', headline: 'A council meets without a photographer', body: 'Pictureword plain story.', authors: ['international-desk'], tags: ['Harbour'], publishedAt: new Date(now - 90_000).toISOString() })).path;
    arabicPath = (await createArticle(server.store, { section: 'akhbar', slug: 'majlis-baladi', language: 'ar', headline: 'المجلس البلدي يجتمع لمناقشة ميزانية المدينة للعام المقبل', body: 'نص الخبر.', publishedAt: new Date(now - 120_000).toISOString() })).path;
    draftId = (await createArticle(server.store, { section: 'news', headline: 'An unpublished story', body: 'Draft.', status: 'draft' })).id;
  });
  after(() => server?.close());

  it('shows the lead picture as <picture> with AVIF and WebP, sized, first in priority, with caption and credit', async () => {
    const { document } = await page(leadPath);
    const figure = document.querySelector('figure.article-image')!;
    assert.ok(figure, 'the lead picture is a figure');
    const sources = [...figure.querySelectorAll('picture source')];
    assert.deepEqual(sources.map((s) => s.getAttribute('type')), ['image/avif', 'image/webp']);
    const img = figure.querySelector('picture img')!;
    assert.equal(img.getAttribute('width'), String(lead.picture.width));
    assert.equal(img.getAttribute('height'), String(lead.picture.height));
    assert.equal(Number(img.getAttribute('width')) / Number(img.getAttribute('height')), 1.5, 'the intrinsic ratio is the picture’s');
    assert.equal(img.getAttribute('fetchpriority'), 'high');
    assert.equal(img.getAttribute('loading'), null, 'the lead picture is not lazy');
    assert.equal(img.getAttribute('alt'), 'Fishing boats in the harbour at dawn');
    assert.match(img.getAttribute('sizes') ?? '', /\d/);
    assert.equal(figure.querySelector('figcaption .caption')?.textContent, 'The harbour of Tyre before the boats go out.');
    assert.equal(figure.querySelector('figcaption small.credit')?.textContent, 'Rana Haddad / Gazette');
    const sets: [string, string | null][] = [...sources.map((s) => [s.getAttribute('srcset')!, s.getAttribute('type')] as [string, string | null]), [img.getAttribute('srcset')!, 'image/jpeg']];
    let checked = 0;
    for (const [srcset, type] of sets)
      for (const candidate of srcset.split(', ')) {
        const [address, descriptor] = candidate.split(' ');
        const got = await file(address!, type!);
        assert.equal(`${got.width}w`, descriptor, `${address} is as wide as its descriptor`);
        checked++;
      }
    assert.equal(checked, 15, 'five widths in three formats');
    await file(img.getAttribute('src')!, 'image/jpeg');
  });

  it('shows the article’s own crop of its lead picture', async () => {
    const box = { x: 250, y: 0, w: 500, h: 1000 };
    await ensureCrop(deps, second.id, box);
    const { path: cropped } = await createArticle(server.store, { section: 'news', headline: 'A tall crop of the square', body: 'Text.', leadImageId: second.id, leadImageCrop: box });
    const { document } = await page(cropped);
    const img = document.querySelector('figure.article-image picture img')!;
    assert.match(img.getAttribute('src')!, /\/crop-[0-9a-f]+-\d+\.jpg$/);
    assert.deepEqual([img.getAttribute('width'), img.getAttribute('height')], ['900', '1200'], 'the crop’s shape: half the width, the whole height');
    const got = await file(img.getAttribute('src')!, 'image/jpeg');
    assert.ok(got.height! > got.width!, 'the served file is the tall crop');
    const card = (await page('/news/')).document.querySelector(`a.card-image[href="${cropped}"] img`)!;
    assert.ok(Math.abs(Number(card.getAttribute('width')) / Number(card.getAttribute('height')) - 1.5) < 0.01, 'cards keep their 3:2 focal crop');
  });

  it('turns library pictures of the body into lazy <picture> elements keeping the body’s alt text', async () => {
    const { document } = await page(leadPath);
    const img = document.querySelector('.article-body picture img')!;
    assert.ok(img, 'the body picture is a <picture>');
    assert.equal(img.getAttribute('loading'), 'lazy');
    assert.equal(img.getAttribute('alt'), 'Stalls under the arches');
    assert.equal(img.getAttribute('width'), String(inBody.picture.width));
    assert.equal(document.querySelectorAll('.article-body img[data-media-id]').length, 0, 'no library <img> is left as written');
    await file(img.getAttribute('src')!);
  });

  it('shows the card picture on the home page, section, tag and author pages, search results and “Check Also”; cards without one show none', async () => {
    const cardImage = (document: Document, articlePath: string) => document.querySelector(`a.card-image[href="${articlePath}"] img, a.lead-image[href="${articlePath}"] img`);
    for (const address of ['/', '/news/', '/tag/harbour/', '/author/international-desk/', '/search?q=pictureword']) {
      const { document } = await page(address);
      for (const articlePath of [leadPath, pinnedPath]) {
        const img = cardImage(document, articlePath);
        assert.ok(img, `${address} shows the picture of ${articlePath}`);
        assert.ok(img.getAttribute('width') && img.getAttribute('height'), 'sized');
        assert.equal(img.closest('picture')!.querySelector('source[type="image/webp"]') !== null, true);
        await file(img.getAttribute('src')!);
        if (!img.closest('.lead-image')) assert.equal(img.getAttribute('loading'), 'lazy', `${address}: card pictures are lazy`);
      }
      const plainCard = document.querySelector(`a[href="${plainPath}"]`)!.closest('article, li')!;
      assert.equal(plainCard.querySelector('img, picture, .card-image'), null, `${address}: no picture box for an article without one`);
    }
    const { document } = await page(pinnedPath);
    const checkAlso = document.querySelector('.check-also')!;
    assert.ok(checkAlso.querySelector(`a[href="${leadPath}"]`), 'the pinned article is the “Check Also” pick');
    const img = checkAlso.querySelector('a.card-image img')!;
    assert.ok(img, '“Check Also” shows its card picture');
    assert.equal(img.getAttribute('width'), String(lead.card.width));
    await file(img.getAttribute('src')!);
  });

  it('gives social sites and search engines the 1200×630 social picture (OpenGraph, Twitter, JSON-LD ImageObject)', async () => {
    const { document } = await page(leadPath);
    const og = meta(document, 'og:image')!;
    assert.match(og, /\/social-[0-9a-f]+\.jpg$/);
    const got = await file(local(og), 'image/jpeg');
    assert.deepEqual([got.width, got.height], [1200, 630]);
    assert.equal(meta(document, 'og:image:width'), '1200');
    assert.equal(meta(document, 'og:image:height'), '630');
    assert.equal(meta(document, 'og:image:type'), 'image/jpeg');
    assert.equal(meta(document, 'og:image:alt'), 'Fishing boats in the harbour at dawn');
    assert.equal(meta(document, 'twitter:card'), 'summary_large_image');
    assert.equal(meta(document, 'twitter:image'), og);
    const ld = jsonLd(document);
    assert.deepEqual(ld.image, [{
      '@type': 'ImageObject',
      url: og,
      contentUrl: og,
      encodingFormat: 'image/jpeg',
      width: { '@type': 'QuantitativeValue', value: 1200, unitCode: 'E37' },
      height: { '@type': 'QuantitativeValue', value: 630, unitCode: 'E37' },
      caption: 'The harbour of Tyre before the boats go out.',
      creditText: 'Rana Haddad / Gazette',
      copyrightNotice: 'Rana Haddad / Gazette',
    }]);
    assert.deepEqual(vocabularyProblems(await toRdf(ld)), [], 'every term is schema.org’s, on the types it belongs to');
  });

  it('puts the picture in the RSS enclosure and media:content, the Atom enclosure link and the JSON Feed image, each answering with its stated size', async () => {
    const rss = await (await fetch(`${server.url}/feeds/section/news.xml`)).text();
    const xml = new DOMParser().parseFromString(rss, 'text/xml');
    const item = [...xml.querySelectorAll('item')].find((i) => i.querySelector('link')?.textContent === PUBLIC_URL + leadPath)!;
    assert.ok(item, 'the article is in its section’s RSS feed');
    const enclosure = item.querySelector('enclosure')!;
    assert.equal(enclosure.getAttribute('type'), 'image/jpeg');
    const got = await file(local(enclosure.getAttribute('url')!), 'image/jpeg');
    assert.equal(Number(enclosure.getAttribute('length')), got.bytes.length, 'the enclosure states the file’s length');
    const media = [...item.children].find((e) => e.tagName === 'media:content')!;
    assert.equal(media.getAttribute('url'), enclosure.getAttribute('url'));
    assert.deepEqual([media.getAttribute('width'), media.getAttribute('height'), media.getAttribute('medium')], ['1200', '630', 'image']);
    assert.match(rss, /xmlns:media="http:\/\/search\.yahoo\.com\/mrss\/"/);

    const atom = await (await fetch(`${server.url}/feeds/section/news.atom`)).text();
    const atomDoc = new DOMParser().parseFromString(atom, 'text/xml');
    const entry = [...atomDoc.querySelectorAll('entry')].find((e) => e.querySelector('link[rel="alternate"]')?.getAttribute('href') === PUBLIC_URL + leadPath)!;
    const link = entry.querySelector('link[rel="enclosure"]')!;
    assert.equal(link.getAttribute('href'), enclosure.getAttribute('url'));
    assert.equal(Number(link.getAttribute('length')), got.bytes.length);
    assert.equal(link.getAttribute('type'), 'image/jpeg');

    const json = (await (await fetch(`${server.url}/feeds/section/news.json`)).json()) as { items: { url: string; image?: string }[] };
    const jsonItem = json.items.find((i) => i.url === PUBLIC_URL + leadPath)!;
    assert.equal(jsonItem.image, enclosure.getAttribute('url'));
    const plain = json.items.find((i) => i.url === PUBLIC_URL + plainPath)!;
    assert.match(plain.image ?? '', /\/media\/cards\/\d+\/[0-9a-f]{24}\.png$/, 'an article without a picture has its generated card');
    await file(local(plain.image!), 'image/png');
  });

  it('gives an article without a picture a generated 1200×630 PNG card (right to left in Arabic), not the logo', async () => {
    const cards: Buffer[] = [];
    for (const articlePath of [plainPath, arabicPath]) {
      const { document } = await page(articlePath);
      const og = meta(document, 'og:image')!;
      assert.match(og, /^http:\/\/gazette\.test\/media\/cards\/\d+\/[0-9a-f]{24}\.png$/, articlePath);
      assert.doesNotMatch(og, /logo\.svg/);
      assert.deepEqual([meta(document, 'og:image:width'), meta(document, 'og:image:height'), meta(document, 'og:image:type')], ['1200', '630', 'image/png']);
      const got = await file(local(og), 'image/png');
      assert.deepEqual([got.width, got.height], [1200, 630]);
      const [ld] = jsonLd(document).image as Record<string, unknown>[];
      assert.ok(ld);
      assert.deepEqual([ld['@type'], ld.url, (ld.width as { value: number }).value, (ld.height as { value: number }).value], ['ImageObject', og, 1200, 630]);
      cards.push(got.bytes);
      // Made once: the page asked again gives the same file.
      const again = await fetch(local(og));
      assert.deepEqual(Buffer.from(await again.arrayBuffer()), got.bytes);
    }
    assert.notDeepEqual(cards[0], cards[1]);
    // The headline is drawn: the card is not one flat colour, and the Arabic one's text sits on the right.
    const inkSide = async (png: Buffer) => {
      const half = async (left: number) => (await sharp(await sharp(png).extract({ left, top: 100, width: 600, height: 380 }).toBuffer()).stats()).channels[0]!.mean;
      return { left: await half(0), right: await half(600) };
    };
    const english = await inkSide(cards[0]!);
    const arabic = await inkSide(cards[1]!);
    assert.ok(english.left > english.right, `English text starts at the left (${JSON.stringify(english)})`);
    assert.ok(arabic.right > arabic.left, `Arabic text starts at the right (${JSON.stringify(arabic)})`);
  });

  it('answers a card only for a published article, and sends an old card address on to the current one', async () => {
    const { document } = await page(plainPath);
    const og = local(meta(document, 'og:image')!);
    const id = /\/cards\/(\d+)\//.exec(og)![1];
    const hash = /([0-9a-f]{24})\.png$/.exec(og)![1]!;
    assert.equal((await fetch(`${server.url}/media/cards/${draftId}/${hash}.png`)).status, 404, 'an unpublished article has no public card');
    assert.equal((await fetch(`${server.url}/media/cards/999999/${hash}.png`)).status, 404);
    assert.equal((await fetch(`${server.url}/media/cards/${id}/../../secret.png`)).status, 404);
    const stale = await fetch(`${server.url}/media/cards/${id}/${'0'.repeat(24)}.png`, { redirect: 'manual' });
    assert.equal(stale.status, 301);
    assert.equal(stale.headers.get('location'), og.slice(server.url.length));
    await updateArticle(server.store, Number(id), { headline: 'The council meets again' });
    const moved = await fetch(og, { redirect: 'manual' });
    assert.equal(moved.status, 301, 'a new headline makes a new card');
    const after = await page(plainPath);
    assert.notEqual(local(meta(after.document, 'og:image')!), og);
  });

  it('shows the library’s new alt text on the cached article page at the next request (change key)', async () => {
    const first = await page(leadPath);
    assert.equal(first.document.querySelector('figure.article-image img')!.getAttribute('alt'), 'Fishing boats in the harbour at dawn');
    const cached = await fetch(server.url + leadPath);
    assert.equal(await cached.text(), first.text, 'the page is answered again as it was');
    await editImage(deps, editor, lead.id, { alt: 'Blue boats moored in the harbour', caption: 'A new caption.', credit: 'Rana Haddad' });
    const { document } = await page(leadPath);
    assert.equal(document.querySelector('figure.article-image img')!.getAttribute('alt'), 'Blue boats moored in the harbour');
    assert.equal(document.querySelector('figure.article-image figcaption .caption')!.textContent, 'A new caption.');
    assert.equal(meta(document, 'og:image:alt'), 'Blue boats moored in the harbour');
    const home = await page('/');
    assert.ok(home.document.querySelector(`a[href="${leadPath}"]`));
  });

  it('gives pages the new addresses of a replaced file, and those answer', async () => {
    const before = await page(leadPath);
    const oldSrc = before.document.querySelector('figure.article-image img')!.getAttribute('src')!;
    const oldCard = (await page('/news/')).document.querySelector(`a.card-image[href="${leadPath}"] img`)!.getAttribute('src')!;
    const oldFeed = (await (await fetch(`${server.url}/feeds/section/news.json`)).json()) as { items: { url: string; image?: string }[] };
    await replaceImage(deps, editor, lead.id, await upload('harbour-2.jpg', photo(2000, 1000, '#5b1f8b')));
    const { document } = await page(leadPath);
    const img = document.querySelector('figure.article-image img')!;
    assert.notEqual(img.getAttribute('src'), oldSrc);
    assert.deepEqual([img.getAttribute('width'), img.getAttribute('height')], ['1920', '960'], 'the new file’s size');
    await file(img.getAttribute('src')!, 'image/jpeg');
    assert.equal((await fetch(server.url + oldSrc)).status, 404, 'the old files are gone');
    const card = (await page('/news/')).document.querySelector(`a.card-image[href="${leadPath}"] img`)!.getAttribute('src')!;
    assert.notEqual(card, oldCard);
    await file(card);
    const feed = (await (await fetch(`${server.url}/feeds/section/news.json`)).json()) as { items: { url: string; image?: string }[] };
    const was = oldFeed.items.find((i) => i.url === PUBLIC_URL + leadPath)!.image;
    const now = feed.items.find((i) => i.url === PUBLIC_URL + leadPath)!.image!;
    assert.notEqual(now, was, 'the feed follows the replaced file');
    await file(local(now), 'image/jpeg');
  });

  it('keeps pages with pictures valid HTML (Nu Html Checker)', async () => {
    const out = tempDir('gazette-vnu-pictures-');
    try {
      const pages: [string, string][] = [['article', leadPath], ['article-pinned', pinnedPath], ['home', '/'], ['section', '/news/'], ['search', '/search?q=pictureword'], ['arabic', arabicPath]];
      for (const [name, address] of pages) fs.writeFileSync(path.join(out.dir, `${name}.html`), (await page(address)).text);
      const run = spawnSync('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...pages.map(([name]) => path.join(out.dir, `${name}.html`))], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      assert.equal(run.error, undefined, 'java runs the checker');
      const report = JSON.parse(run.stderr) as { messages: { type: string; message: string; url?: string; extract?: string }[] };
      assert.deepEqual(report.messages.map((m) => `${path.basename(m.url ?? '')}: ${m.type}: ${m.message} ${m.extract ?? ''}`), []);
    } finally {
      out.remove();
    }
  });
});
