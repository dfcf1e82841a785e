// The site's structure in a real browser: an admin signs in, changes the time zone and a section's name,
// and sees both on the public site; every structure screen of the admin passes axe-core, a form that came
// back with errors included.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { adminBrowser, type AdminBrowser } from '../helpers/admin-browser.ts';
import { SEED_PATH } from '../helpers/server.ts';
import { axeViolations } from './browser.ts';

describe('site structure in the browser', () => {
  let ui: AdminBrowser;
  let page: Page;

  before(async () => {
    ui = await adminBrowser();
    page = ui.page;
  });
  after(() => ui?.close());

  test('an admin changes the time zone and a section’s name and sees them on the public site', async () => {
    await page.goto('/admin/settings');
    await page.getByLabel('Time zone').selectOption('Pacific/Honolulu');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('The settings have been saved').waitFor();

    await page.goto('/admin/sections');
    await page.getByRole('link', { name: 'News', exact: true }).click();
    await page.getByLabel('Name').fill('Dispatches');
    await page.getByRole('button', { name: 'Save section' }).click();
    await page.getByText('The section has been saved').waitFor();

    await page.goto(SEED_PATH);
    const header = page.locator('article.article header');
    assert.equal((await header.locator('.kicker').textContent())?.trim(), 'Dispatches');
    assert.match((await header.locator('.dates').textContent()) ?? '', /January 15, 2022, 23:30 HST/);
    assert.ok(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Dispatches' }).isVisible(), 'the sections navigation links the renamed section by its new name');
  });

  test('a section renamed to a taken slug is refused next to the field, keeping what was typed', async () => {
    await page.goto('/admin/sections');
    await page.getByRole('link', { name: 'Dispatches', exact: true }).click();
    await page.getByLabel('Slug').fill('akhbar');
    await page.getByRole('button', { name: 'Save section' }).click();
    const slug = page.getByLabel('Slug');
    assert.equal(await slug.inputValue(), 'akhbar');
    assert.equal(await slug.getAttribute('aria-invalid'), 'true');
    assert.match((await page.locator('#slug-error').textContent()) ?? '', /already has this slug/);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `axe-core on the refused section form:\n${violations.join('\n')}`);
  });

  const screens = ['/admin/sections', '/admin/tags', '/admin/people', '/admin/people/new', '/admin/pages', '/admin/pages/new', '/admin/settings'];
  for (const path of screens) {
    test(`axe-core finds no violation on ${path}`, async () => {
      const response = await page.goto(path);
      assert.equal(response?.status(), 200);
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `axe-core on ${path}:\n${violations.join('\n')}`);
    });
  }

  test('axe-core finds no violation on the sections and settings screens at a phone’s width', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    try {
      for (const path of ['/admin/sections', '/admin/settings', '/admin/pages/new']) {
        await page.goto(path);
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `axe-core on ${path} at 375 px:\n${violations.join('\n')}`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  });

  test('axe-core finds no violation on one section, tag, author and page', async () => {
    for (const [list, link] of [['/admin/sections', 'Dispatches'], ['/admin/tags', 'Iraq'], ['/admin/people', 'International Desk'], ['/admin/pages', 'About Gazette']] as const) {
      await page.goto(list);
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.waitForURL(/\/admin\/[a-z]+\/\d+/);
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `axe-core on ${page.url()}:\n${violations.join('\n')}`);
    }
  });
});
