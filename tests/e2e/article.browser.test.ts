// The seed article as a reader meets it in a real browser: headless Chromium against the real server.
// Elements are found by role, accessible name and visible text, the way a person (or a screen reader)
// finds them, so the test survives markup changes that keep the page the same for readers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { getArticle } from '../../src/articles/article.service.ts';
import { readSeedPage } from '../../src/demo/demo.service.ts';
import { normaliseSpace } from '../../src/lib/excerpt.ts';
import { stringsFor } from '../../src/web/i18n/site.ts';
import { browserSuite, type BrowserSuite } from '../helpers/admin-browser.ts';
import { SEED_PATH, type TestServer } from '../helpers/server.ts';
import { axeViolations } from './browser.ts';

const RELATED_TITLE = 'Israel And Occupied Palestinian Territories 2022';
const RELATED_SECTION = 'Occupied Palestinian Territories';
const ARABIC_PATH = '/akhbar/kashf-wathiqa-sirriya';
const PERSIAN_PATH = '/khabar/efshaye-sanad-mahramaneh';

/** A landmark by its accessible name: an <aside> or a named <section>, whichever the theme chose. */
function landmark(page: Page, name: string): Locator {
  return page.getByRole('complementary', { name, exact: true }).or(page.getByRole('region', { name, exact: true }));
}

async function texts(locator: Locator): Promise<string[]> {
  return (await locator.allTextContents()).map(normaliseSpace);
}

let suite: BrowserSuite;
let server: TestServer;
let browser: Browser;

/**
 * Runs fn in a fresh browser context, then checks that no page of it asked any origin but the test
 * server for anything (fonts, scripts, images, analytics): the site makes no third-party requests.
 */
async function inContext(options: { javaScriptEnabled?: boolean }, fn: (context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ ...options, baseURL: server.url });
  const requested: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  try {
    await fn(context);
  } finally {
    await context.close();
  }
  assert.ok(requested.length > 0, 'requests were recorded');
  const origin = new URL(server.url).origin;
  assert.deepEqual(requested.filter((url) => new URL(url).origin !== origin), [], 'requests to other origins');
}

async function open(context: BrowserContext, path: string, status = 200): Promise<Page> {
  const page = await context.newPage();
  const response = await page.goto(path);
  assert.equal(response?.status(), status, `GET ${path}`);
  return page;
}

/** Everything issue 2 asks the seed article page to show, checked as a reader would look for it. */
async function checkSeedArticle(page: Page): Promise<void> {
  const seed = readSeedPage();
  const article = await getArticle(server.store, 'news', 'disclosure-of-confidential-document');
  const main = page.getByRole('main');

  const section = main.getByRole('link', { name: 'News', exact: true });
  assert.equal(await section.count(), 1, 'one section label link "News" in the main content');
  assert.equal(new URL((await section.getAttribute('href')) ?? '', server.url).pathname, '/news/');

  const h1 = page.getByRole('heading', { level: 1 });
  assert.deepEqual(await texts(h1), ['Disclosure of confidential document']);
  assert.equal(await main.getByText('The United States has no plans to leave Iraq', { exact: true }).count(), 1, 'subtitle');

  // Byline: the author's link and the two dates, each a machine-readable <time>.
  const author = main.getByRole('link', { name: 'International Desk', exact: true }).first();
  assert.equal(await author.getAttribute('href'), '/author/international-desk/');
  const t = stringsFor('en');
  for (const [label, iso] of [
    [t.published, article.publishedAt],
    [t.updated, article.updatedAt],
  ] as const) {
    const time = main.getByText(new RegExp(`^${label}\\b`)).locator('time');
    assert.equal(await time.count(), 1, `one <time> after "${label}"`);
    const datetime = (await time.getAttribute('datetime')) ?? '';
    assert.equal(new Date(datetime).toISOString(), new Date(iso).toISOString(), `${label} datetime`);
    assert.match(normaliseSpace((await time.textContent()) ?? ''), /\p{Nd}/u, `${label} date or time shown to the reader`);
  }

  // The whole body of the seed, paragraph by paragraph and in order.
  const paragraphs = await texts(page.getByRole('article', { name: seed.headline }).getByRole('paragraph'));
  const expected = seed.paragraphs.map(normaliseSpace);
  const start = paragraphs.indexOf(expected[0]!);
  assert.ok(start >= 0, `first seed paragraph not found among ${JSON.stringify(paragraphs.slice(0, 5))}`);
  assert.deepEqual(paragraphs.slice(start, start + expected.length), expected);

  // Sources: a box built from data, one item per source with its role.
  const sources = landmark(page, 'Sources');
  assert.equal(await sources.count(), 1, 'a "Sources" landmark');
  const items = sources.getByRole('listitem');
  assert.equal(await items.count(), 4, 'four sources');
  const expectedSources: [RegExp, string][] = [
    [/Al-Akhbar/, t.role.reported],
    [/Fars News Agency.*International Group/, t.role.relayed],
    [/classified (document|statement)/i, t.role.quoted],
    [/General Richard Bell/, t.role.quoted],
  ];
  const itemTexts = await texts(items);
  expectedSources.forEach(([name, role], i) => {
    const item = itemTexts[i] ?? '';
    assert.match(item, name, `source ${i + 1}`);
    assert.ok(item.includes(role), `source ${i + 1} (${item}) carries its role "${role}"`);
  });

  // Check Also: the linked title, its section label, and an excerpt cut at a word boundary.
  const checkAlso = landmark(page, t.checkAlso);
  assert.equal(await checkAlso.count(), 1, 'a "Check Also" landmark');
  const relatedLink = checkAlso.getByRole('link', { name: RELATED_TITLE, exact: true });
  assert.equal(await relatedLink.count(), 1, 'the related article linked by its title');
  assert.equal(await checkAlso.getByRole('link', { name: RELATED_SECTION, exact: true }).count(), 1, 'its section label');
  const excerpts = (await texts(checkAlso.getByRole('paragraph'))).filter((p) => p.endsWith('…'));
  assert.equal(excerpts.length, 1, 'one excerpt ending in "…"');
  const relatedHref = (await relatedLink.getAttribute('href')) ?? '';
  await checkExcerptCut(page.context(), excerpts[0]!, relatedHref);

  // Leave a Reply: the four labelled fields and the promise about email addresses.
  const reply = landmark(page, t.leaveReply);
  assert.equal(await reply.count(), 1, 'a "Leave a Reply" landmark');
  for (const field of [t.name, t.email, t.website, t.comment]) {
    assert.equal(await reply.getByRole('textbox', { name: field, exact: true }).count(), 1, `a field labelled "${field}"`);
  }
  assert.equal(await reply.getByText('Your email address will not be published.').count(), 1);
}

/** The excerpt is the start of the linked article's text, cut between two words, followed by "…". */
async function checkExcerptCut(context: BrowserContext, excerpt: string, href: string): Promise<void> {
  const page = await open(context, href);
  try {
    const body = (await texts(page.getByRole('article', { name: RELATED_TITLE }).getByRole('paragraph'))).join(' ');
    const head = excerpt.replace(/\s*…$/u, '');
    assert.ok(head.length > 0 && head.length < body.length, 'the excerpt is shorter than the article');
    const at = body.indexOf(head);
    assert.ok(at >= 0, `"${head}" is not a passage of the related article's text`);
    const after = body.charAt(at + head.length);
    assert.ok(!/[\p{L}\p{N}\p{M}]/u.test(after), `the excerpt cuts a word: "…${head.slice(-20)}|${body.slice(at + head.length, at + head.length + 20)}…"`);
  } finally {
    await page.close();
  }
}

describe('the seed article in a browser', () => {
  before(async () => {
    suite = await browserSuite();
    ({ server, browser } = suite);
  });
  after(() => suite?.close());

  test('a reader finds every part of the page, and nothing is fetched from elsewhere', async () => {
    await inContext({}, async (context) => checkSeedArticle(await open(context, SEED_PATH)));
  });

  test('with JavaScript off the page shows the same content', async () => {
    let withJs = '';
    await inContext({}, async (context) => {
      withJs = normaliseSpace(await (await open(context, SEED_PATH)).getByRole('main').innerText());
    });
    await inContext({ javaScriptEnabled: false }, async (context) => {
      const page = await open(context, SEED_PATH);
      await checkSeedArticle(page);
      assert.equal(normaliseSpace(await page.getByRole('main').innerText()), withJs);
    });
  });

  for (const { path, language, headline } of [
    { path: ARABIC_PATH, language: 'ar', headline: 'الكشف عن وثيقة سرية' },
    { path: PERSIAN_PATH, language: 'fa', headline: 'افشای سند محرمانه' },
  ]) {
    test(`the ${language} article reads right to left with the theme's strings in ${language}`, async () => {
      await inContext({}, async (context) => {
        const page = await open(context, path);
        const root = page.locator('html');
        assert.equal(await root.getAttribute('lang'), language);
        assert.equal(await root.getAttribute('dir'), 'rtl');
        assert.equal(await page.getByRole('heading', { level: 1, name: headline }).count(), 1);
        const t = stringsFor(language);
        assert.notEqual(t, stringsFor('en'), `the theme carries ${language} strings`);
        for (const name of [t.sources, t.checkAlso, t.leaveReply]) {
          assert.equal(await landmark(page, name).count(), 1, `a landmark named "${name}"`);
          assert.equal(await page.getByRole('heading', { name, exact: true }).count(), 1, `a heading "${name}"`);
        }
        for (const field of [t.name, t.email, t.website, t.comment]) {
          assert.equal(await page.getByRole('textbox', { name: field, exact: true }).count(), 1, `a field labelled "${field}"`);
        }
        assert.equal(await page.getByText(t.emailNotPublished).count(), 1);
        // The computed direction, not just the attribute: the stylesheet must not override it.
        assert.equal(await page.getByRole('main').evaluate((el) => getComputedStyle(el).direction), 'rtl');
      });
    });
  }

  const axePages: [string, string, number][] = [
    ['the seed article', SEED_PATH, 200],
    ['the Arabic article', ARABIC_PATH, 200],
    ['the Persian article', PERSIAN_PATH, 200],
    ['the home page', '/', 200],
    ['a section page', '/news/', 200],
    ['a right-to-left section page', '/akhbar/', 200],
    ['a tag page', '/tag/iraq/', 200],
    ['an author page', '/author/international-desk/', 200],
    ['the 404 page', '/no-such-section/no-such-article', 404],
    ['a static page', '/about', 200],
  ];
  for (const [label, path, status] of axePages) {
    test(`axe-core finds no violation on ${label}`, async () => {
      await inContext({}, async (context) => {
        const violations = await axeViolations(await open(context, path, status));
        assert.deepEqual(violations, [], `axe-core on ${path}:\n${violations.join('\n')}`);
      });
    });
  }
});
