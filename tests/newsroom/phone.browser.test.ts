// The admin on a phone (390 px): the navigation is one row that scrolls sideways, so the page's own item is
// brought into view, with the row's edges faded where more items wait; the editor's workflow buttons are
// one row at the foot of the screen with the main action first, not three rows over the form.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { browserSuite, type BrowserSuite } from '../helpers/admin-browser.ts';

const PHONE = { viewport: { width: 390, height: 844 } };

describe('the admin on a phone', () => {
  let suite: BrowserSuite;
  before(async () => {
    suite = await browserSuite();
  });
  after(() => suite.close());

  it('shows the current page’s item in the navigation row, wherever it is in the row', async () => {
    const { page, context } = await suite.signedIn({ role: 'admin' }, PHONE);
    try {
      for (const path of ['/admin/comments', '/admin/audit', '/admin']) {
        await page.goto(path);
        const box = await page.locator('.admin-nav').evaluate((nav) => {
          const current = nav.querySelector('[aria-current="page"]')!.getBoundingClientRect();
          const row = nav.getBoundingClientRect();
          return { left: current.left - row.left, right: row.right - current.right, scrolls: nav.scrollWidth > nav.clientWidth, more: (nav as HTMLElement).dataset.more };
        });
        assert.ok(box.scrolls, `${path}: the row is wider than the screen (the test would prove nothing otherwise)`);
        assert.ok(box.left >= -1 && box.right >= -1, `${path}: the current item lies within the row (${JSON.stringify(box)})`);
        if (path === '/admin') assert.equal(box.more, 'end', 'the first item: more waits only at the end');
        if (path === '/admin/audit') assert.equal(box.more, 'start', 'the last item: more waits only at the start');
        if (path === '/admin/comments') assert.equal(box.more, 'start end');
      }
      // The marks follow the row as it is scrolled.
      await page.locator('.admin-nav').evaluate((nav) => nav.scrollTo({ left: 0 }));
      await page.waitForFunction(() => (document.querySelector('.admin-nav') as HTMLElement).dataset.more === 'end');
    } finally {
      await context.close();
    }
  });

  it('keeps the editor’s workflow buttons in one row, the main action first and on screen', async () => {
    const { page, context } = await suite.signedIn({ role: 'admin' }, PHONE);
    try {
      await page.goto('/admin/articles/new');
      const bar = page.locator('.workflow-actions');
      const buttons = await bar.locator('button').count();
      assert.ok(buttons >= 4, `${buttons} buttons (an admin's new article offers several)`);
      const barBox = (await bar.boundingBox())!;
      const firstButton = (await bar.locator('button').first().boundingBox())!;
      assert.ok(barBox.height < firstButton.height * 1.8, `one row: the bar is ${barBox.height}px tall, a button ${firstButton.height}px`);
      assert.ok(barBox.y + barBox.height <= 844 + 0.5, 'the bar sits on screen at the foot of the view');
      const publish = (await bar.getByRole('button', { name: 'Publish' }).boundingBox())!;
      assert.ok(publish.x >= barBox.x - 0.5 && publish.x + publish.width <= 390, `Publish is on screen (x ${publish.x})`);
      const xs = await bar.locator('button').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
      assert.equal(Math.min(...xs), publish.x, 'Publish comes first');
    } finally {
      await context.close();
    }
  });
});
