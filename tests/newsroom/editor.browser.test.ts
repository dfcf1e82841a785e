// The newsroom in headless Chromium, found by label and role as a journalist would: an editor writes an
// article with a quotation and sources, watches it autosave, previews it, schedules it and sees it
// published; a contributor submits a draft and an editor publishes it. axe-core checks every article
// screen on the way.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { publishDueArticles } from '../../src/articles/article.workflow.ts';
import { browserSuite, type BrowserSuite } from '../helpers/admin-browser.ts';
import type { TestServer } from '../helpers/server.ts';
import { assertNoAxeViolations } from '../e2e/browser.ts';

let suite: BrowserSuite;
let server: TestServer;
let browser: Browser;

function signedIn(role: 'editor' | 'contributor'): Promise<{ context: BrowserContext; page: Page }> {
  return suite.signedIn({ role, name: role === 'editor' ? 'Eda Editor' : 'Carl Contributor' });
}


/**
 * Writes the body as a journalist would: in the body editor (decision 0021) when its bundle is served,
 * with the second paragraph as a quotation (its keyboard shortcut); otherwise as Markdown in the textarea.
 */
async function writeBody(page: Page, [first, quotation, last]: readonly string[]): Promise<void> {
  const body = page.getByRole('textbox', { name: 'Body', exact: true });
  if ((await page.locator('.body-editor-surface').count()) === 0) {
    await body.fill([first, quotation && `> ${quotation}`, last].filter(Boolean).join('\n\n'));
    return;
  }
  await body.click();
  await page.keyboard.type(first!);
  if (quotation) {
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Shift+B');
    await page.keyboard.type(quotation);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
  }
  if (last) await page.keyboard.type(last);
}

/** The article's id from the edit page's address. */
const idOf = (page: Page) => Number(/\/admin\/articles\/(\d+)/.exec(page.url())![1]);

describe('the article editor in a browser', () => {
  before(async () => {
    suite = await browserSuite();
    ({ server, browser } = suite);
  });
  after(() => suite?.close());

  test('an editor writes an article with a quotation and sources, previews it, schedules it and sees it published', async () => {
    const { context, page } = await signedIn('editor');
    try {
      await page.goto('/admin/articles');
      await assertNoAxeViolations(page, 'the article list');
      await page.getByRole('link', { name: 'New article' }).click();
      await page.getByLabel('Headline').fill('Ministry memo leaked to reporters');
      await page.getByLabel('Subtitle').fill('A confidential memo describes the plan in detail');
      await page.getByLabel('Section').selectOption('news');
      await page.getByLabel('Tags').fill('Documents, Ministry');
      await page.getByLabel('Authors').fill('international-desk');
      await writeBody(page, ['The memo was seen by reporters.', '"We will not comment on leaked documents," a spokesperson said.', 'The ministry confirmed its existence.']);
      await page.getByRole('button', { name: 'Add source' }).click();
      await page.getByLabel('Name').fill('Al-Akhbar');
      await page.getByLabel('URL', { exact: true }).fill('https://al-akhbar.example/memo');
      await page.getByRole('button', { name: 'Add source' }).click();
      await page.getByRole('group', { name: 'Source 2' }).getByLabel('Name').fill('Wire agency');
      await page.getByRole('group', { name: 'Source 2' }).getByLabel('Kind').selectOption('agency');
      await page.getByRole('group', { name: 'Source 2' }).getByLabel('Role').selectOption('relayed');
      await page.getByRole('group', { name: 'Source 2' }).getByLabel('Relays').selectOption({ label: '1. Al-Akhbar' });
      await assertNoAxeViolations(page, 'the new article form');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByText('Draft created.').waitFor();
      const id = idOf(page);
      await assertNoAxeViolations(page, 'the edit form');

      // Typing is saved by itself within seconds.
      await page.getByLabel('Subtitle').fill('A confidential memo describes the plan in full');
      await page.getByText(/Saved automatically/).waitFor({ timeout: 20_000 });

      // The same article saved from another tab: this tab's next save is refused, with both versions shown.
      const other = await context.newPage();
      await other.goto(`/admin/articles/${id}`);
      await other.getByLabel('Tags').fill('Documents, Ministry, Leaks');
      await other.getByRole('button', { name: 'Save draft' }).click();
      await other.getByText('Saved.').waitFor();
      await other.close();
      await page.getByLabel('Summary').fill('What the memo says.');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByRole('heading', { name: 'Someone saved this article after you opened it' }).waitFor();
      assert.match(await page.locator('.conflict').innerText(), /Leaks/);
      assert.equal(await page.getByLabel('Summary').inputValue(), 'What the memo says.');
      await assertNoAxeViolations(page, 'the stale-save conflict');
      // Saving again keeps this tab's text over the other one's.
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByText('Saved.').waitFor();

      // The preview is the public page as readers will see it.
      const [preview] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /Preview/ }).click()]);
      await preview.waitForLoadState();
      await preview.getByRole('heading', { name: 'Ministry memo leaked to reporters' }).waitFor();
      assert.match(await preview.locator('blockquote').first().innerText(), /We will not comment on leaked documents/);
      assert.ok((await preview.getByText('Wire agency').count()) > 0, 'the preview names the source Wire agency');
      assert.match(await preview.getByText(/in full/).first().innerText(), /describes the plan in full/);
      await preview.close();

      // Scheduled, it is embargoed: nowhere on the site.
      const at = new Date(Date.now() + 2 * 86_400_000);
      await page.reload();
      await page.getByLabel('Publish at (UTC)').fill(at.toISOString().slice(0, 16));
      await page.getByRole('button', { name: 'Schedule' }).click();
      await page.getByText('Scheduled. It stays embargoed until its time.').waitFor();
      const reader = await browser.newPage({ baseURL: server.url });
      const path = '/news/ministry-memo-leaked-to-reporters';
      assert.equal((await reader.goto(path))?.status(), 404);

      // Its time comes: the scheduler publishes it, and readers see it on the next request.
      assert.deepEqual(await publishDueArticles(server.store, new Date(at.getTime() + 60_000)), [id]);
      assert.equal((await reader.goto(path))?.status(), 200);
      await reader.getByRole('heading', { name: 'Ministry memo leaked to reporters' }).waitFor();
      await reader.goto('/');
      await reader.getByRole('link', { name: 'Ministry memo leaked to reporters' }).first().waitFor();
      await reader.close();

      await page.goto(`/admin/articles/${id}/revisions`);
      await assertNoAxeViolations(page, 'the revisions page');
      await page.getByRole('button', { name: 'Compare' }).click();
      await page.getByRole('heading', { name: /→ version/ }).waitFor();
      await assertNoAxeViolations(page, 'the revision comparison');
    } finally {
      await context.close();
    }
  });

  test('a contributor submits a draft for review and an editor publishes it', async () => {
    const contributor = await signedIn('contributor');
    const editor = await signedIn('editor');
    try {
      const page = contributor.page;
      await page.goto('/admin/articles/new');
      await page.getByLabel('Headline').fill('Council meets on the budget');
      await writeBody(page, ['The council met tonight.']);
      assert.equal(await page.getByRole('button', { name: 'Publish' }).count(), 0);
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByText('Draft created.').waitFor();

      // While the contributor has it open, an editor sees who holds it and may take over.
      const e = editor.page;
      await e.goto(`/admin/articles/${idOf(page)}`);
      await e.getByText(/Carl Contributor\s+is editing this article/).waitFor();
      await e.getByRole('button', { name: 'Take over' }).waitFor();
      await assertNoAxeViolations(e, 'an article locked by someone else');

      await page.getByRole('button', { name: 'Submit for review' }).click();
      await page.getByText('Submitted for review.').waitFor();
      assert.match(await page.getByRole('row', { name: /Council meets on the budget/ }).innerText(), /In review/);

      await e.goto('/admin/articles');
      await e.getByLabel('Status').selectOption('review');
      await e.getByRole('button', { name: 'Filter' }).click();
      await e.getByRole('link', { name: 'Council meets on the budget' }).click();
      await e.getByRole('button', { name: 'Publish' }).click();
      await e.getByText('Published.').waitFor();
      const reader = await browser.newPage({ baseURL: server.url });
      assert.equal((await reader.goto('/news/council-meets-on-the-budget'))?.status(), 200);
      await reader.close();
    } finally {
      await contributor.context.close();
      await editor.context.close();
    }
  });
});
