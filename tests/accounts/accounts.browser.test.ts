// The accounts' screens in headless Chromium, as staff use them: sign in with the labelled form, invite a
// colleague, change a password, turn on two-step sign-in; every page passes axe, at desktop and phone widths.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createAccount, signInBrowser } from '../helpers/admin.ts';
import { browserSuite, type BrowserSuite } from '../helpers/admin-browser.ts';
import { axeViolations } from '../e2e/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('accounts in the browser', () => {
  let suite: BrowserSuite;
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    // The sign-in form is under test here: each test signs in by hand.
    suite = await browserSuite({ server: () => startTestServer({ demo: false }) });
    ({ server, browser } = suite);
  });
  after(() => suite?.close());

  it('signs in, invites a colleague who joins through the link, and every page passes axe', async () => {
    const admin = await createAccount(server, { role: 'admin', name: 'Nour Haddad' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/admin/sign-in`);
    assert.deepEqual(await axeViolations(page), []);
    // A wrong password: the message is next to the field and the address stays.
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match((await page.locator('#password-error').textContent()) ?? '', /not right/);
    assert.equal(await page.getByLabel('Email').inputValue(), admin.email);
    assert.deepEqual(await axeViolations(page), []);

    await signInBrowser(page, server, admin.email);
    assert.match((await page.locator('h1').textContent()) ?? '', /Nour Haddad/);
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'Staff' }).click();
    await page.getByLabel('Name').fill('Karim Saleh');
    await page.getByLabel('Email').fill('karim@newsroom.test');
    await page.getByLabel('Role').selectOption('author');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    const link = (await page.locator('code.copy').textContent())!.trim();
    assert.match(link, /\/admin\/invite\//);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('link', { name: 'Karim Saleh' }).click();
    assert.deepEqual(await axeViolations(page), []);
    await page.goto(`${server.url}/admin/audit`);
    assert.match(await page.locator('table').textContent() ?? '', /user\.invite/);
    assert.deepEqual(await axeViolations(page), []);

    const colleague = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await colleague.newPage();
    await phone.goto(link.replace('http://gazette.test', server.url));
    await phone.getByLabel('New password', { exact: true }).fill('karim writes the news');
    await phone.getByLabel('New password again').fill('karim writes the news');
    assert.deepEqual(await axeViolations(phone), []);
    await phone.getByRole('button', { name: 'Create my account' }).click();
    await phone.waitForURL(`${server.url}/admin`);
    assert.match((await phone.locator('h1').textContent()) ?? '', /Karim Saleh/);
    assert.deepEqual(await axeViolations(phone), []);
    await phone.getByRole('link', { name: 'Karim Saleh' }).click();
    assert.deepEqual(await axeViolations(phone), []);
    await phone.getByRole('link', { name: 'Turn on two-step sign-in' }).click();
    assert.equal(await phone.locator('figure.qr svg').count(), 1);
    assert.deepEqual(await axeViolations(phone), []);
    await colleague.close();
    await context.close();
  });

  it('the password reset and two-step code pages pass axe, and the code page takes the code', async () => {
    const { generate } = await import('otplib');
    const editor = await createAccount(server, { role: 'editor' });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/admin/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Email').fill(editor.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.locator('.notice-success').waitFor();
    assert.deepEqual(await axeViolations(page), []);

    await signInBrowser(page, server, editor.email);
    await page.goto(`${server.url}/admin/account/two-step`);
    const secret = (await page.locator('input[name="secret"]').getAttribute('value'))!;
    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    const code = (await page.locator('ul.recovery-codes code').first().textContent())!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(editor.email);
    await page.getByLabel('Password').fill(editor.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Authentication code' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Code').fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${server.url}/admin`);
    await context.close();
  });
});
