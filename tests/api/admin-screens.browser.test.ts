// The API screens of the admin in a real browser: an administrator makes a content key (shown once, then
// only its first characters), revokes it, adds a webhook to a real receiver on 127.0.0.1, sends it a test
// event and reads the delivery; every one of those screens, a refused form included, passes axe-core at
// desktop and phone widths.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { adminBrowser, type AdminBrowser } from '../helpers/admin-browser.ts';
import { assertNoAxeViolations } from '../e2e/browser.ts';


describe('API tokens and webhooks screens in the browser', () => {
  let ui: AdminBrowser;
  let page: Page;
  let receiver: http.Server;
  let receiverUrl = '';
  const received: string[] = [];

  before(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    ui = await adminBrowser();
    page = ui.page;
  });
  after(async () => {
    await ui?.close();
    receiver?.close();
  });

  test('an empty token form is refused next to its field, and the screen passes axe-core', async () => {
    await page.goto('/admin/tokens');
    await page.getByText('No tokens yet.').waitFor();
    await assertNoAxeViolations(page, '/admin/tokens with no tokens');
    await page.getByRole('button', { name: 'Make token' }).click();
    const name = page.getByLabel('Name', { exact: true });
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    assert.ok(((await page.locator('#name-error').textContent()) ?? '').trim().length > 0, 'the name field says what is wrong');
    await assertNoAxeViolations(page, 'the refused token form');
  });

  test('a content key is shown once, listed by its first characters, and revoked', async () => {
    await page.goto('/admin/tokens');
    await page.getByLabel('Name', { exact: true }).fill('Partner widget');
    await page.getByRole('button', { name: 'Make token' }).click();
    const token = await page.getByLabel('Token', { exact: true }).inputValue();
    assert.ok(token.length >= 32, `a token is shown (${token.length} characters)`);
    const row = page.getByRole('row', { name: /Partner widget/ });
    assert.match((await row.textContent()) ?? '', /Content key/);
    assert.ok(!((await row.textContent()) ?? '').includes(token), 'the list shows only the start of the token');
    await assertNoAxeViolations(page, 'the new token notice and list');

    await page.goto('/admin/tokens');
    assert.equal(await page.getByLabel('Token', { exact: true }).count(), 0, 'the token is not shown again');
    await page.getByRole('button', { name: 'Revoke Partner widget' }).click();
    await page.getByRole('row', { name: /Partner widget/ }).getByText('revoked').waitFor();
  });

  test('a webhook is added, sent a test event that reaches the receiver, and its delivery is shown', async () => {
    await page.goto('/admin/webhooks');
    await page.getByText('No webhooks yet.').waitFor();
    await assertNoAxeViolations(page, '/admin/webhooks with no webhooks');

    await page.getByLabel('URL').fill(receiverUrl);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    // No event chosen and a loopback address: both refused next to their fields, what was typed kept.
    assert.equal(await page.getByLabel('URL').inputValue(), receiverUrl);
    assert.ok(await page.locator('.field-error').count() >= 1, 'the refused webhook form shows at least one error next to a field');
    await assertNoAxeViolations(page, 'the refused webhook form');

    await page.getByLabel('article.published').check();
    await page.getByLabel('Allow private addresses').check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByRole('heading', { name: receiverUrl }).waitFor();
    await assertNoAxeViolations(page, 'a new webhook with its secret');

    // The button posts a form and the answer loads a page: wait for it before reloading, or the reload
    // meets the page being replaced ("Not attached to an active page").
    const answered = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Send test event' }).click();
    await answered;
    const deadline = Date.now() + 15_000;
    while (!received.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(received.length, 1, 'the receiver got the test event');
    let delivered = false;
    while (!delivered && Date.now() < deadline) {
      await page.reload();
      delivered = (await page.getByRole('table', { name: 'Newest deliveries first' }).count()) > 0 && /delivered|sent|204/i.test((await page.getByRole('table', { name: 'Newest deliveries first' }).textContent()) ?? '');
    }
    assert.ok(delivered, 'the delivery log shows the answered test event');
    await assertNoAxeViolations(page, 'the webhook with its delivery log');

    await page.getByRole('table', { name: 'Newest deliveries first' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Attempts' }).waitFor();
    assert.equal(await page.getByRole('table').count(), 1, 'one attempt table');
    await assertNoAxeViolations(page, 'one delivery with its attempts');
  });

  test('the token and webhook lists pass axe-core at a phone’s width', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    for (const path of ['/admin/tokens', '/admin/webhooks']) {
      await page.goto(path);
      await assertNoAxeViolations(page, `${path} at 375 px`);
    }
  });
});
