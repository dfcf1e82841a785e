// A reader in headless Chromium, with JavaScript off: finds the form fields by their labels (the
// accessible name a label gives a textbox; the required-field star is hidden from it), posts a
// comment, follows the reply link of that comment and posts a reply; both appear, threaded, and the
// browser never talked to anyone but the site.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from '../e2e/browser.ts';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, startCommentServer } from './helpers.ts';

async function fillAndPost(page: Page, who: { name: string; email: string; website?: string }, text: string, lands: RegExp = /\?comment=(approved|held)/) {
  const form = page.getByRole('region', { name: 'Leave a Reply' });
  await form.getByRole('textbox', { name: 'Comment', exact: true }).fill(text);
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill(who.name);
  await form.getByRole('textbox', { name: 'Email', exact: true }).fill(who.email);
  if (who.website) await form.getByRole('textbox', { name: 'Website', exact: true }).fill(who.website);
  await form.getByRole('button', { name: 'Post Comment' }).click();
  await page.waitForURL(lands);
}

describe('a reader comments and replies in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-none' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

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
