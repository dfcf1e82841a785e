// Library pictures as a reader's browser meets them: headless Chromium against the real server, at
// desktop and phone widths. Picture files are held back until the page has been painted, then let
// through, so a picture without its reserved box would move the text below it: the layout shift
// measured by Chromium (PerformanceObserver 'layout-shift') must stay 0. A control picture without
// width and height, added the same way, proves the measurement sees a shift. axe-core finds no violation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page, Route } from 'playwright-core';
import sharp from 'sharp';
import { articleImageUsage } from '../../src/articles/article.images.ts';
import { createArticle } from '../../src/articles/article.service.ts';
import { uploadImage, type ImageItem } from '../../src/media/image.service.ts';
import { localStorage } from '../../src/media/media.storage.ts';
import { browserSuite, type BrowserSuite } from '../helpers/admin-browser.ts';
import type { TestServer } from '../helpers/server.ts';
import { account } from '../newsroom/helpers.ts';
import { axeViolations } from '../e2e/browser.ts';

const photo = (colour: string) => sharp({ create: { width: 2400, height: 1600, channels: 3, background: colour } }).jpeg().toBuffer();

declare global {
  interface Window {
    shift: number;
  }
}

/** Holds every /media/ request until release() is called. */
async function holdPictures(page: Page): Promise<{ release(): Promise<void> }> {
  const held: Route[] = [];
  let releasing = false;
  await page.route('**/media/**', async (route) => {
    if (releasing) await route.continue();
    else held.push(route);
  });
  return {
    async release() {
      releasing = true;
      await Promise.all(held.splice(0).map((r) => r.continue()));
    },
  };
}

const painted = (page: Page) => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));

/** Starts summing layout shifts not caused by input. */
const observeShifts = (page: Page) =>
  page.evaluate(() => {
    window.shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!entry.hadRecentInput) window.shift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });

/**
 * A proxy in front of the server that sends a page's HTML in two parts: up to and including the first
 * occurrence of `splitAfter`, then the rest when release() is called. A browser paints the first part
 * meanwhile, as it does whenever its parser stops between two network packets or for its time budget (on
 * a slow connection, or a busy machine: the shift this test first met was 0.00077, the search box moving
 * when its button arrived).
 */
async function splittingProxy(target: string, splitAfter: string): Promise<{ url: string; release(): void; close(): Promise<void> }> {
  const upstream = new URL(target);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const proxy = http.createServer((req, res) => {
    // Identity bytes, so that the split falls in the markup.
    const headers = { ...req.headers, 'accept-encoding': 'identity' };
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      if (!String(answer.headers['content-type']).startsWith('text/html')) return void answer.pipe(res);
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const all = Buffer.concat(chunks);
        const at = all.indexOf(splitAfter);
        assert.ok(at >= 0, `the page holds ${splitAfter}`);
        res.write(all.subarray(0, at + splitAfter.length));
        void released.then(() => res.end(all.subarray(at + splitAfter.length)));
      });
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    release,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

const eagerPicturesLoaded = (page: Page) => page.waitForFunction(() => [...document.images].filter((i) => i.loading !== 'lazy').every((i) => i.complete && i.naturalWidth > 0));

describe('pictures in the browser', () => {
  let suite: BrowserSuite;
  let server: TestServer;
  let browser: Browser;
  let articlePath: string;
  let lead: ImageItem;

  before(async () => {
    suite = await browserSuite();
    ({ server, browser } = suite);
    const deps = { store: server.store, storage: localStorage(server.config.mediaDir), settings: server.config.images, usage: articleImageUsage };
    const editor = await account(server, 'editor');
    lead = await uploadImage(deps, editor, { fileName: 'harbour.jpg', stream: Readable.from([await photo('#1f5f8b')]), truncated: () => false }, { alt: 'Boats in the harbour', caption: 'The harbour at dawn.', credit: 'Rana Haddad' });
    const other = await uploadImage(deps, editor, { fileName: 'square.jpg', stream: Readable.from([await photo('#8b5a1f')]), truncated: () => false }, { alt: 'The square' });
    const body = `<p>First paragraph.</p><figure class="body-image"><img src="${other.picture.src}" alt="The square at noon" data-media-id="${other.id}"><figcaption>Noon</figcaption></figure><p>Last paragraph.</p>`;
    articlePath = (await createArticle(server.store, { section: 'news', headline: 'Boats return to the harbour', body, bodyFormat: 'html', leadImageId: lead.id, authors: ['international-desk'] })).path;
    await createArticle(server.store, { section: 'news', headline: 'Crowds in the square', body: 'Text.', leadImageId: other.id });
  });
  after(() => suite?.close());

  for (const width of [1280, 390])
    for (const which of ['article', 'home'] as const)
      it(`${which} page at ${width}px: no layout shift while pictures arrive, and no axe violation`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 800 } });
        const page = await context.newPage();
        try {
          const pictures = await holdPictures(page);
          await page.goto(server.url + (which === 'article' ? articlePath : '/'), { waitUntil: 'domcontentloaded' });
          await painted(page);
          await observeShifts(page);
          const shown = await page.locator('picture img').count();
          assert.ok(shown >= (which === 'article' ? 2 : 2), `${shown} pictures on the page`);
          await pictures.release();
          await eagerPicturesLoaded(page);
          await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
          await page.waitForFunction(() => [...document.querySelectorAll('picture img')].every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0));
          await painted(page);
          assert.equal(await page.evaluate(() => window.shift), 0, 'cumulative layout shift');
          if (which === 'article') {
            const img = page.getByRole('img', { name: 'Boats in the harbour' });
            const box = (await img.boundingBox())!;
            assert.ok(Math.abs(box.width / box.height - 1.5) < 0.01, 'drawn at the picture’s own ratio');
            assert.equal(await page.getByText('The harbour at dawn.').isVisible(), true);
          }
          await page.evaluate(() => window.scrollTo(0, 0));
          assert.deepEqual(await axeViolations(page), []);

          // Control: a picture without width and height, painted before its file arrives, does shift the page.
          const control = await holdPictures(page);
          await page.evaluate((src) => {
            const img = document.createElement('img');
            img.src = `${src}?control`;
            img.alt = '';
            document.querySelector('main')!.prepend(img);
          }, lead.card.src);
          await painted(page);
          await control.release();
          await page.waitForFunction(() => (document.querySelector('main > img') as HTMLImageElement).complete);
          await painted(page);
          assert.ok((await page.evaluate(() => window.shift)) > 0, 'the measurement sees a shift when a box is not reserved');
        } finally {
          await context.close();
        }
      });

  // Where a later part of the markup could move what is already painted: the masthead's row beside the
  // site's name (the nav and the search box are taller than the name), the sections' list beside the name
  // (on a phone it wraps below the name once it is long), the search box at the masthead's end (its button
  // comes after its field, the button's label after the button), the home page's lead story beside its
  // picture (its text comes a line at a time), an article's headline and lead picture. Each must not move
  // at all (decisions 0048 and 0072).
  const splits = [
    { which: 'home', after: '<nav class="site-nav"' },
    { which: 'home', after: 'id="site-search-q" name="q" type="search" maxlength="200" placeholder="Search" dir="auto">' },
    { which: 'home', after: '<button type="submit">' },
    { which: 'home', after: 'News</a></li>' },
    { which: 'home', after: '<h2 class="lead-title">' },
    { which: 'home', after: '<p class="card-excerpt">' },
    { which: 'article', after: '<h1' },
    { which: 'article', after: '<figure class="article-image wide">' },
  ] as const;
  for (const width of [1280, 390])
    for (const { which, after } of splits)
      it(`${which} page at ${width}px, painted before the markup after ${after.slice(-24)} arrives: no layout shift`, async () => {
        const proxy = await splittingProxy(server.url, after);
        const context = await browser.newContext({ viewport: { width, height: 800 } });
        const page = await context.newPage();
        try {
          const pictures = await holdPictures(page);
          await page.goto(proxy.url + (which === 'article' ? articlePath : '/'), { waitUntil: 'commit' });
          // The first part is parsed and painted (the stylesheet, which blocks painting, included).
          await page.waitForFunction(() => document.styleSheets.length > 0 && document.body !== null);
          await painted(page);
          await observeShifts(page);
          proxy.release();
          await page.waitForLoadState('domcontentloaded');
          await pictures.release();
          await eagerPicturesLoaded(page);
          await painted(page);
          assert.equal(await page.evaluate(() => window.shift), 0, 'cumulative layout shift');
        } finally {
          await context.close();
          await proxy.close();
        }
      });

  // Chromium has painted a figure with its picture but before a `:has(picture)` rule matched it, then
  // widened it: 0.0259 on an article at 1280px, in one CI run, and in about one load in five with the CPU
  // slowed eightfold; never with the HTML split at any one place. The theme marks such elements from the
  // server instead (decision 0072), and this keeps it so.
  it('the theme’s stylesheet styles nothing by :has(), whose match Chromium may paint late', () => {
    const css = readFileSync(new URL('../../src/web/theme/assets/gazette.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    assert.deepEqual(css.split('\n').filter((line) => line.includes(':has(')), []);
  });
});
