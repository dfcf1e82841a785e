// An editor moderates in headless Chromium (issue 11, part 6): signs in, finds the held comment in the
// pending tab, ticks it by its label and presses Approve; the article page then shows it. The editor
// replies as staff from the comment's page, and the article shows the reply marked Staff. The moderation
// pages, with and without a refused form, and the article with a staff reply pass axe.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assertNoAxeViolations } from '../e2e/browser.ts';
import { browserSuite, type BrowserSuite } from '../helpers/admin-browser.ts';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, fields, postComment, readForm, startCommentServer } from './helpers.ts';


describe('an editor moderates a held comment in a browser', () => {
  let suite: BrowserSuite;
  let server: TestServer;
  let page: Page;
  let heldId = 0;

  before(async () => {
    suite = await browserSuite({ server: () => startCommentServer({ COMMENTS_MODERATION: 'hold-all' }) });
    server = suite.server;
    const answer = await postComment(server, fields(await readForm(server, SEED_PATH), { author: 'Layla', comment: 'A held comment for the desk to read.' }));
    assert.equal(answer.status, 303);
    heldId = (await server.store.db.selectFrom('comments').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    page = (await suite.signedIn({ role: 'editor', name: 'Omar Desk' })).page;
  });
  after(() => suite?.close());

  it('approves the held comment, and the article page shows it', async () => {
    await page.goto(server.url + SEED_PATH);
    assert.equal(await page.locator(`#comment-${heldId}`).count(), 0, 'held: not on the page');

    await page.goto(`${server.url}/admin`);
    await page.getByRole('link', { name: /Comments/ }).first().click();
    await page.waitForURL(/\/admin\/comments/);
    assert.equal(await page.getByRole('link', { name: 'Pending (1)' }).getAttribute('aria-current'), 'page');
    await assertNoAxeViolations(page, 'the pending queue');

    await page.getByRole('checkbox', { name: `#${heldId}` }).check();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(/done=approve/);
    assert.match(await page.getByRole('status').innerText(), /1 comment approved\./);
    assert.equal(await page.getByRole('link', { name: 'Pending (0)' }).count(), 1);

    await page.goto(server.url + SEED_PATH);
    assert.match(await page.locator(`#comment-${heldId}`).innerText(), /A held comment for the desk to read\./);
  });

  it('replies as staff from the comment’s page; the article shows the reply marked Staff', async () => {
    await page.goto(`${server.url}/admin/comments?status=approved`);
    await assertNoAxeViolations(page, 'the approved queue');
    await page.getByRole('link', { name: `Edit or reply to #${heldId}` }).click();
    await page.waitForURL(new RegExp(`/admin/comments/${heldId}$`));
    await assertNoAxeViolations(page, 'a comment’s page');

    await page.getByRole('button', { name: 'Publish reply' }).click();
    await page.waitForURL(new RegExp(`/admin/comments/${heldId}/reply$`));
    assert.match(await page.locator('#reply-error').innerText(), /Enter the text/);
    await assertNoAxeViolations(page, 'a refused reply');

    await page.getByRole('textbox', { name: 'Reply' }).fill('Thank you, Layla; we have added a source.');
    await page.getByRole('button', { name: 'Publish reply' }).click();
    await page.waitForURL(/done=replied/);

    await page.goto(server.url + SEED_PATH);
    const reply = page.locator(`#comment-${heldId} li.comment-by-staff`);
    assert.match(await reply.innerText(), /Thank you, Layla; we have added a source\./);
    assert.equal(await reply.locator('.comment-staff').textContent(), 'Staff');
    await assertNoAxeViolations(page, 'the article with a staff reply');
  });
});
