// A reader in headless Chromium, with JavaScript off: finds the form fields by their labels (the
// accessible name a label gives a textbox; the required-field star is hidden from it), posts a
// comment (confirming once, as a browser without scripts is asked to), follows the reply link of that
// comment and posts a reply; both appear, threaded, and the browser never talked to anyone but the
// site. Then readers with and without JavaScript against the default-like minimum form age: the form
// times each reader from their own token (decision 0014), and both post after a person's pause.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../e2e/browser.ts';
import { browserSuite, type BrowserSuite } from '../helpers/admin-browser.ts';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, startCommentServer, tokenAged } from './helpers.ts';

async function fillIn(page: Page, who: { name: string; email: string; website?: string }, text: string) {
  const form = page.getByRole('region', { name: 'Leave a Reply' });
  await form.getByRole('textbox', { name: 'Comment', exact: true }).fill(text);
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill(who.name);
  await form.getByRole('textbox', { name: 'Email', exact: true }).fill(who.email);
  if (who.website) await form.getByRole('textbox', { name: 'Website', exact: true }).fill(who.website);
}

const postButton = (page: Page) => page.getByRole('region', { name: 'Leave a Reply' }).getByRole('button', { name: 'Post Comment' });

/** Without JavaScript the first press gets a page asking to confirm; press again (the server here asks for no wait). */
async function fillAndPost(page: Page, who: { name: string; email: string; website?: string }, text: string, lands: RegExp = /\?comment=(approved|held)/) {
  await fillIn(page, who, text);
  await postButton(page).click();
  await page.waitForURL((url) => lands.test(url.href) || url.pathname === '/comments');
  if (!lands.test(page.url()) && /press Post Comment again/.test(await page.getByRole('alert').innerText())) {
    await postButton(page).click();
    await page.waitForURL(lands);
  }
}

/** The form token the page's form holds now. */
const tokenIn = (page: Page) => page.locator('form.comment-form input[name="token"]').inputValue();

describe('a reader comments and replies in a browser', () => {
  let suite: BrowserSuite;
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    suite = await browserSuite({ server: () => startCommentServer({ COMMENTS_MODERATION: 'hold-none' }) });
    ({ server, browser } = suite);
  });
  after(() => suite?.close());

  it('posts a comment, then a reply to it, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const origins = new Set<string>();
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    try {
      await page.goto(server.url + SEED_PATH);
      await fillAndPost(page, { name: 'Rana', email: 'rana@example.org', website: 'https://rana.example' }, 'A first comment from the browser.\n\nWith a second paragraph and https://example.org/source.');
      assert.match(await page.getByRole('status').innerText(), /Your comment is published/);
      const first = page.locator('li.comment', { hasText: 'A first comment from the browser.' });
      assert.equal(await first.count(), 1);
      assert.equal(await first.locator('.comment-content p').count(), 2, 'two paragraphs');
      assert.equal(await first.locator('.comment-content a').getAttribute('href'), 'https://example.org/source');
      assert.equal(await first.getByRole('link', { name: 'Rana', exact: true }).getAttribute('rel'), 'nofollow ugc noopener');
      const firstId = (await first.getAttribute('id'))!;
      assert.match(page.url(), new RegExp(`#${firstId}$`), 'the page opens at the new comment');

      await first.getByRole('link', { name: 'Reply to Rana' }).click();
      await page.waitForURL(/replytocom=/);
      assert.match(await page.locator('.replying-to').innerText(), /Reply to Rana/);
      await fillAndPost(page, { name: 'Omid', email: 'omid@example.org' }, 'A reply, threaded under Rana.');
      const reply = page.locator(`#${firstId} .comment-children li.comment`, { hasText: 'A reply, threaded under Rana.' });
      assert.equal(await reply.count(), 1, 'the reply sits under the comment it answers');
      assert.equal(await page.getByRole('heading', { name: '2 comments' }).count(), 1);

      const html = await page.content();
      assert.ok(!html.includes('rana@example.org') && !html.includes('omid@example.org'), 'no address in the page');
      assert.deepEqual([...origins], [new URL(server.url).origin], 'no request left the site');
      // axe-core runs as a script, so it checks the same page in a context with JavaScript on.
      const withScripts = await browser.newContext();
      const checker = await withScripts.newPage();
      await checker.goto(server.url + SEED_PATH);
      assert.deepEqual(await axeViolations(checker), [], 'the threaded comments pass axe-core');
      await withScripts.close();
    } finally {
      await context.close();
    }
  });

  it('keeps what the reader typed when a field is wrong (JavaScript on this time)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(server.url + SEED_PATH);
      await fillAndPost(page, { name: 'Sara', email: 'not an address' }, 'Words worth keeping.', /\/comments$/);
      assert.match(await page.getByRole('alert').innerText(), /Some fields need correcting/);
      assert.match(await page.locator('#email-error').innerText(), /Email must be an address/);
      const form = page.getByRole('region', { name: 'Leave a Reply' });
      assert.equal(await form.getByRole('textbox', { name: 'Comment', exact: true }).inputValue(), 'Words worth keeping.');
      assert.equal(await form.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), 'Sara');
      assert.deepEqual(await axeViolations(page), [], 'the refusal page passes axe-core');
      await form.getByRole('textbox', { name: 'Email', exact: true }).fill('sara@example.org');
      await form.getByRole('button', { name: 'Post Comment' }).click();
      await page.waitForURL(/\?comment=approved/);
      assert.equal(await page.locator('li.comment', { hasText: 'Words worth keeping.' }).count(), 1);
    } finally {
      await context.close();
    }
  });
});

describe('a reader is timed from their own token, though the page comes from the cache', () => {
  let suite: BrowserSuite;
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    suite = await browserSuite({ server: () => startCommentServer({ COMMENTS_MODERATION: 'hold-none', COMMENTS_MIN_SECONDS: '1' }) });
    ({ server, browser } = suite);
    // Every reader below gets the article from the page cache.
    await (await fetch(server.url + SEED_PATH)).text();
  });
  after(() => suite?.close());

  it('with JavaScript: types, pauses, posts, and it is published', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      const response = await page.goto(server.url + SEED_PATH);
      assert.match((await response!.allHeaders())['server-timing'] ?? '', /cache;desc=hit/);
      assert.equal(await tokenIn(page), '', 'the cached page carries no token');
      await fillIn(page, { name: 'Parisa', email: 'parisa@example.org' }, 'Typed by a person, with a pause.');
      // The script fetched this reader's token when they started on the form; a person's pause follows.
      await page.waitForFunction(() => (document.querySelector('form.comment-form input[name="token"]') as HTMLInputElement | null)?.value !== '');
      await tokenAged(await tokenIn(page), 1);
      await postButton(page).click();
      await page.waitForURL(/\?comment=approved#comment-\d+$/);
      assert.equal(await page.locator('li.comment', { hasText: 'Typed by a person, with a pause.' }).count(), 1);
    } finally {
      await context.close();
    }
  });

  it('without JavaScript: confirms once, after the pause, and it is published', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(server.url + SEED_PATH);
      await fillIn(page, { name: 'Kian', email: 'kian@example.org' }, 'Sent from a browser with scripts off.');
      await postButton(page).click();
      await page.waitForURL((url) => url.pathname === '/comments');
      assert.match(await page.getByRole('alert').innerText(), /press Post Comment again/);
      const form = page.getByRole('region', { name: 'Leave a Reply' });
      assert.equal(await form.getByRole('textbox', { name: 'Comment', exact: true }).inputValue(), 'Sent from a browser with scripts off.');
      await tokenAged(await tokenIn(page), 1);
      await postButton(page).click();
      await page.waitForURL(/\?comment=approved#comment-\d+$/);
      assert.equal(await page.locator('li.comment', { hasText: 'Sent from a browser with scripts off.' }).count(), 1);
    } finally {
      await context.close();
    }
  });
});
