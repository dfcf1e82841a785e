// The SEO fields and the home page pin in headless Chromium, found by label and role (decision 0033): the
// live character count follows what the editor types (and warns past what search results show), the
// preview follows the SEO title, the fields take the article's direction, Save keeps the texts, Pin puts
// the article on top of the home page with its mark; axe-core checks both panels. Screenshots of the
// form at desktop and phone width go to SCREENSHOT_DIR when it is set (for a person to look at).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { browserSuite, type BrowserSuite } from '../helpers/admin-browser.ts';
import { ENGINE, type TestServer } from '../helpers/server.ts';

const SHOTS = process.env.SCREENSHOT_DIR;

async function panelViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include('[data-search-preview]').include('.home-pin').analyze();
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} — ${n.target.join(' ')}`));
}

describe('SEO fields and pinning in a browser', () => {
  let suite: BrowserSuite;
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    suite = await browserSuite();
    ({ server, browser } = suite);
  });
  after(() => suite?.close());

  test('an editor writes the SEO texts with a live count, saves, pins, and the home page leads with the article', async () => {
    const { context, page } = await suite.signedIn({ role: 'editor', name: 'Eda Editor' }, { viewport: { width: 1280, height: 900 } });
    await page.goto('/admin/articles/new');
    await page.getByRole('textbox', { name: 'Headline' }).fill('Harbour strike enters its second week');
    await page.getByRole('textbox', { name: 'Subtitle' }).fill('Dockers stop work at both terminals.');
    const count = page.locator('[data-length-of="title"]');
    await page.waitForFunction(() => document.querySelector('[data-length-of="title"]')?.textContent?.startsWith('Title (the headline): 37 characters'));

    const seoTitle = page.getByRole('textbox', { name: 'SEO title' });
    await seoTitle.fill('Harbour strike: ten questions');
    await page.waitForFunction(() => document.querySelector('[data-length-of="title"]')?.textContent?.startsWith('SEO title: 29 characters'));
    assert.equal(await page.locator('[data-preview-title]').textContent(), 'Harbour strike: ten questions');
    await seoTitle.fill('Harbour strike: ten questions on the dockers, the ships and what comes next');
    await page.waitForFunction(() => document.querySelector('[data-length-of="title"]')?.textContent?.endsWith('This one will be cut.'));
    await seoTitle.fill('Harbour strike: ten questions');
    await page.getByRole('textbox', { name: 'SEO description' }).fill('What the dockers want, and when the ships sail again.');
    await page.waitForFunction(() => document.querySelector('[data-length-of="description"]')?.textContent?.startsWith('SEO description: 53 characters'));
    assert.match((await count.textContent()) ?? '', /^SEO title: 29 characters; about 60 show in full/);

    // The fields follow the article's language.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    assert.equal(await seoTitle.getAttribute('dir'), 'rtl');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('en');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/admin\/articles\/\d+\?done=created/);
    assert.equal(await seoTitle.inputValue(), 'Harbour strike: ten questions');
    assert.deepEqual(await panelViolations(page), []);

    if (SHOTS) {
      await page.locator('[data-search-preview]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `seo-form-desktop-${ENGINE}.png`), fullPage: false });
    }

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/done=published/);
    await page.getByRole('button', { name: 'Pin to the home page' }).click();
    await page.waitForURL(/done=pinned/);
    assert.equal(await page.getByRole('button', { name: 'Unpin from the home page' }).count(), 1);
    assert.deepEqual(await panelViolations(page), []);

    if (SHOTS) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('.home-pin').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `seo-form-phone-${ENGINE}.png`), fullPage: false });
      await page.locator('[data-search-preview]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `seo-form-phone-preview-${ENGINE}.png`), fullPage: false });
    }

    const home = await context.newPage();
    await home.goto('/');
    const lead = home.locator('.lead-story');
    assert.equal(await lead.getByRole('link', { name: 'Harbour strike enters its second week' }).count(), 1);
    assert.equal(await lead.locator('.pinned-mark').textContent(), 'Pinned');
    if (SHOTS) await home.screenshot({ path: path.join(SHOTS, `home-pinned-${ENGINE}.png`) });
    await home.goto(await lead.getByRole('link', { name: 'Harbour strike enters its second week' }).getAttribute('href') ?? '/');
    assert.equal(await home.title(), 'Harbour strike: ten questions');
    assert.equal(await home.getByRole('heading', { level: 1 }).textContent(), 'Harbour strike enters its second week');
    await context.close();
  });
});
