// The body editor in headless Chromium: the bundle the build makes (scripts/build-editor.mjs) enhances a
// plain article form served by a small Fastify server of this test, under a content security policy
// without inline styles or scripts, as the admin's is. A journalist types a heading, a quotation, a list
// and a link, inserts an image (alternative text required), pastes from Word, switches the language to
// Arabic and sees the text turn right-to-left, then saves: the form's POST goes through the real article
// service (the server cleans the HTML) and the browser lands on the article's public page on the real
// app, where the body shows with nothing live in it. axe checks the form with the editor on it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { createArticle } from '../../src/articles/article.service.ts';
import type { BodyFormat } from '../../src/articles/article.body.ts';
import { html } from '../../src/lib/html.ts';
import { bodyField } from '../../src/web/admin/body-field.ts';
import { selectField, textField } from '../../src/web/admin/forms.ts';
import { buildEditor } from '../../scripts/build-editor.mjs';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.ts';
import { axeViolations, launchBrowser } from './browser.ts';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self' http://127.0.0.1:*";

/**
 * The form an admin article page would show, reduced to what the editor needs, made of the admin's own
 * form parts (src/web/admin/forms.ts) and the Body field (src/web/admin/body-field.ts), with a stored body.
 */
function formPage(body: { value: string; format: BodyFormat; renderedHtml?: string } = { value: '', format: 'markdown' }): string {
  return String(html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Write an article</title></head>
<body>
<main>
<h1>Write an article</h1>
<form method="post" action="/save">
${textField({ name: 'headline', label: 'Headline', value: '', required: true })}
${selectField({ name: 'language', label: 'Language', value: 'en', options: [{ value: 'en', label: 'English' }, { value: 'ar', label: 'Arabic' }] })}
${bodyField({ ...body, hint: 'Headings, quotations, lists, links, images and embeds.', rows: 12 })}
<p><button type="submit">Save draft</button></p>
</form>
</main>
<script type="module" src="/editor.js"></script>
</body>
</html>`);
}

const WORD_PASTE = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head><body>
<!--StartFragment--><p class="MsoNormal" style="margin:0cm;font-family:Calibri"><span style="font-weight:bold">Pasted</span> from <span style="font-style:italic;color:red">Word</span><o:p></o:p></p>
<p class="MsoListParagraphCxSpFirst" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">·<span>&nbsp;&nbsp;</span></span>Word item<o:p></o:p></p><!--EndFragment--></body></html>`;

// A body as the server stores it (cleaned), with both kinds of figure.
const STORED_HTML =
  '<h2>Stored</h2><figure class="body-image"><img src="https://example.org/a.jpg" alt="A quay"><figcaption>Caption here <small class="credit">Photo: Someone</small></figcaption></figure>' +
  '<figure class="body-embed"><a href="https://video.example/v/1">https://video.example/v/1</a><figcaption>A video</figcaption></figure><p>End.</p>';

/**
 * The form's body once it matches every pattern: the editor writes it back after a dialog closes or a
 * key is handled, so tests wait for the condition rather than read at once.
 */
async function bodyMatching(p: Page, ...patterns: RegExp[]): Promise<string> {
  // No named functions inside: tsx's keepNames would wrap them in a helper the page does not have.
  await p.waitForFunction(
    (sources) => sources.every((source) => new RegExp(source).test(document.querySelector<HTMLTextAreaElement>('textarea[name="body"]')!.value)),
    patterns.map((r) => r.source),
  );
  return p.locator('textarea[name="body"]').inputValue();
}

describe('the body editor in a browser', () => {
  let app: TestServer;
  let formServer: FastifyInstance;
  let formUrl: string;
  let browser: Browser;
  let page: Page;
  const bundleDir = tempDir('gazette-editor-');
  const received: Record<string, string>[] = [];
  const scriptErrors: string[] = [];

  before(async () => {
    await buildEditor(bundleDir.dir);
    const bundle = fs.readFileSync(path.join(bundleDir.dir, 'editor.js'));
    app = await startTestServer();
    formServer = Fastify({ logger: false });
    await formServer.register(formbody);
    formServer.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', CSP);
    });
    formServer.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(formPage()));
    formServer.get('/stored-html', async (_request, reply) => reply.type('text/html; charset=utf-8').send(formPage({ value: STORED_HTML, format: 'html' })));
    formServer.get('/stored-markdown', async (_request, reply) => reply.type('text/html; charset=utf-8').send(formPage({ value: '## Old *Markdown*', format: 'markdown' })));
    formServer.get('/stored-markdown-rendered', async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(formPage({ value: '## Old *Markdown*', format: 'markdown', renderedHtml: '<h2>Old <em>Markdown</em></h2>' })));
    formServer.get('/editor.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(bundle));
    formServer.post<{ Body: Record<string, string> }>('/save', async (request, reply) => {
      received.push(request.body);
      const { headline = '', language = 'en', body = '', body_format: format = 'markdown' } = request.body;
      const saved = await createArticle(app.store, { section: 'news', headline, language, body, bodyFormat: format as 'markdown' | 'html' });
      return reply.redirect(new URL(saved.path, app.url).toString(), 303);
    });
    formUrl = await formServer.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    // axe-core's runner needs a page of a context the test made.
    page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    await page.goto(formUrl);
  });

  after(async () => {
    await browser?.close();
    await formServer?.close();
    await app?.close();
    bundleDir.remove();
  });

  const surface = () => page.getByRole('textbox', { name: 'Body' });
  const button = (name: string) => page.getByRole('toolbar', { name: 'Body formatting' }).getByRole('button', { name, exact: true });

  it('replaces the textarea with a labelled editor and toolbar', async () => {
    await surface().waitFor();
    assert.equal(await page.locator('textarea[name="body"]').isHidden(), true);
    assert.equal(await surface().getAttribute('dir'), 'ltr');
    assert.equal(await surface().getAttribute('aria-describedby'), 'body-hint');
    assert.equal(await page.getByText('Headings, quotations, lists, links, images and embeds.').getAttribute('id'), 'body-hint');
    for (const name of ['Heading', 'Subheading', 'Bold', 'Italic', 'Link', 'Quotation', 'Bulleted list', 'Numbered list', 'Image', 'Embed', 'Undo']) await button(name).waitFor();
    assert.equal(await button('Bold').getAttribute('aria-keyshortcuts'), 'Control+B');
    // One tab stop for the toolbar; arrow keys move between its buttons.
    await page.getByLabel('Language').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Heading');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Subheading');
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Redo');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Heading');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'textbox', 'Tab leaves the toolbar for the text');
    assert.deepEqual(await axeViolations(page), []);
  });

  it('writes a heading, a quotation, a list and a link, with the toolbar and the keyboard', async () => {
    await page.getByLabel('Headline').fill('Harbour closes');
    // What autosave and the unsaved-changes warning listen to: input events from the form's body field.
    await page.locator('form').evaluate((form) => {
      form.addEventListener('input', (e) => {
        if ((e.target as HTMLTextAreaElement).name === 'body') form.dataset.bodyInputs = String(Number(form.dataset.bodyInputs ?? 0) + 1);
      });
    });
    await surface().click();
    await button('Heading').click();
    await page.keyboard.type('What the harbour master said');
    assert.equal(await button('Heading').getAttribute('aria-pressed'), 'true');
    await page.keyboard.press('Enter');
    assert.equal(await button('Heading').getAttribute('aria-pressed'), 'false');
    await page.keyboard.press('Control+Shift+B');
    await page.keyboard.type('We are closed until further notice.');
    assert.equal(await button('Quotation').getAttribute('aria-pressed'), 'true');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await button('Bulleted list').click();
    await page.keyboard.type('No ships in');
    await page.keyboard.press('Enter');
    await page.keyboard.type('No ships out');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Read the report');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Control+K');
    const dialog = page.getByRole('dialog', { name: 'Link' });
    await dialog.getByLabel('Link address').fill('javascript:alert(1)');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    assert.equal(await dialog.isVisible(), true, 'a javascript: address is refused in the dialog');
    assert.match(await dialog.getByLabel('Link address').evaluate((el) => (el as HTMLInputElement).validationMessage), /starting with https:\/\//);
    await dialog.getByLabel('Link address').fill('https://example.org/report');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await bodyMatching(page, /<a href="https:\/\/example\.org\/report">Read the report<\/a>/);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+B');
    await page.keyboard.type('Bold words');
    await page.keyboard.press('Control+B');

    const value = await bodyMatching(page, /<strong>Bold words<\/strong>/);
    assert.match(value, /<h2>What the harbour master said<\/h2>/);
    assert.match(value, /<blockquote><p>We are closed until further notice\.<\/p><\/blockquote>/);
    assert.match(value, /<ul><li><p>No ships in<\/p><\/li><li><p>No ships out<\/p><\/li><\/ul>/);
    assert.match(value, /<a href="https:\/\/example\.org\/report">Read the report<\/a>/);
    assert.match(value, /<strong>Bold words<\/strong>/);
    assert.equal(await page.locator('input[name="body_format"]').inputValue(), 'html');
    assert.ok(Number(await page.locator('form').getAttribute('data-body-inputs')) > 10, 'the form heard the body change');
  });

  it('inserts an image only with alternative text or marked decorative, with caption and credit', async () => {
    await button('Image').click();
    // A new image comes from the media library; an address is the other way in.
    await page.getByRole('dialog', { name: 'Insert a picture' }).getByRole('button', { name: 'Use an image address instead' }).click();
    const dialog = page.getByRole('dialog', { name: 'Insert image' });
    await dialog.getByLabel('Image address').fill('https://example.org/harbour.jpg');
    await dialog.getByLabel('Caption').fill('The empty harbour at dawn.');
    await dialog.getByLabel('Credit').fill('Photo: Desk');
    await dialog.getByRole('button', { name: 'Insert image' }).click();
    // The browser refuses the form: alternative text is required.
    assert.equal(await dialog.isVisible(), true);
    assert.equal(await dialog.getByLabel('Alternative text').evaluate((el) => (el as HTMLInputElement).validity.valueMissing), true);
    assert.deepEqual(await axeViolations(page), []);
    await dialog.getByLabel('Alternative text').fill('Empty quays under a grey sky');
    await dialog.getByRole('button', { name: 'Insert image' }).click();
    const value = await bodyMatching(page, /<figure class="body-image">/);
    assert.match(value, /<figure class="body-image"><img src="https:\/\/example\.org\/harbour\.jpg" alt="Empty quays under a grey sky"><figcaption>The empty harbour at dawn\. <small class="credit">Photo: Desk<\/small><\/figcaption><\/figure>/);

    await button('Embed').click();
    const embed = page.getByRole('dialog', { name: 'Embed' });
    await embed.getByLabel('Address of the post, video or document').fill('https://video.example/watch/42');
    await embed.getByLabel('Caption').fill('The harbour master speaking');
    await embed.getByRole('button', { name: 'Embed' }).click();
    assert.match(await bodyMatching(page, /<figure class="body-embed">/), /<figure class="body-embed"><a href="https:\/\/video\.example\/watch\/42">https:\/\/video\.example\/watch\/42<\/a><figcaption>The harbour master speaking<\/figcaption><\/figure>/);
  });

  it('cleans what a word processor pastes', async () => {
    await surface().press('Control+End');
    await page.keyboard.press('Enter');
    await surface().evaluate((el, pasted) => {
      const data = new DataTransfer();
      data.setData('text/html', pasted);
      data.setData('text/plain', 'Pasted from Word');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, WORD_PASTE);
    const value = await page.locator('textarea[name="body"]').inputValue();
    assert.match(value, /<p><strong>Pasted<\/strong> from <em>Word<\/em><\/p>/);
    assert.match(value, /<ul><li><p>Word item<\/p><\/li><\/ul>/);
    assert.doesNotMatch(value, /Mso|style=|class="Mso|o:p|·/);
  });

  it('turns right-to-left when the language is Arabic, and back', async () => {
    await page.getByLabel('Language').selectOption('ar');
    assert.equal(await surface().getAttribute('dir'), 'rtl');
    assert.equal(await surface().getAttribute('lang'), 'ar');
    await page.getByLabel('Language').selectOption('en');
    assert.equal(await surface().getAttribute('dir'), 'ltr');
    await page.getByLabel('Language').selectOption('ar');
    await surface().press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('الميناء مغلق');
    assert.equal(await surface().evaluate((el) => getComputedStyle(el).direction), 'rtl');
  });

  it('opens a stored HTML body as it was saved, figures included, and edits an image in place', async () => {
    const other = await page.context().newPage();
    await other.goto(`${formUrl}/stored-html`);
    await other.getByRole('textbox', { name: 'Body' }).waitFor();
    assert.equal(await other.locator('textarea[name="body"]').inputValue(), STORED_HTML);
    await other.getByRole('img', { name: 'A quay' }).click();
    await other.getByRole('button', { name: 'Image', exact: true }).click();
    const dialog = other.getByRole('dialog', { name: 'Edit image' });
    assert.equal(await dialog.getByLabel('Credit').inputValue(), 'Photo: Someone');
    await dialog.getByLabel('Decorative: the image adds nothing a reader needs').check();
    assert.equal(await dialog.getByLabel('Alternative text').isDisabled(), true);
    await dialog.getByRole('button', { name: 'Save image' }).click();
    assert.equal(await bodyMatching(other, /alt=""/), STORED_HTML.replace('alt="A quay"', 'alt=""'));
    await other.close();
  });

  it('leaves a Markdown body in its textarea unless the form gives its HTML, then saves it as HTML', async () => {
    const plain = await page.context().newPage();
    await plain.goto(`${formUrl}/stored-markdown`);
    await plain.waitForLoadState('load');
    await plain.getByLabel('Body').waitFor();
    assert.equal(await plain.locator('textarea[name="body"]').isVisible(), true);
    assert.equal(await plain.locator('.body-editor').count(), 0);
    assert.equal(await plain.locator('input[name="body_format"]').inputValue(), 'markdown');
    await plain.goto(`${formUrl}/stored-markdown-rendered`);
    await plain.getByRole('textbox', { name: 'Body' }).waitFor();
    assert.equal(await plain.locator('textarea[name="body"]').inputValue(), '<h2>Old <em>Markdown</em></h2>');
    assert.equal(await plain.locator('input[name="body_format"]').inputValue(), 'html');
    await plain.close();
  });

  it('submits the HTML, which the server cleans, and the public page shows it with nothing live', async () => {
    // A script slipped into the textarea by hand after the last edit reaches the server and is refused there.
    await page.locator('textarea[name="body"]').evaluate((el) => {
      const form = (el as HTMLTextAreaElement).form!;
      form.addEventListener('submit', () => {
        (el as HTMLTextAreaElement).value += '<script>alert(1)</script><p onclick="alert(2)">tail</p>';
      });
    });
    await Promise.all([page.waitForURL((url) => url.origin === new URL(app.url).origin), page.getByRole('button', { name: 'Save draft' }).click()]);
    const sent = received.at(-1)!;
    assert.equal(sent.body_format, 'html');
    assert.equal(sent.language, 'ar');
    assert.match(sent.body!, /<script>alert\(1\)<\/script>/);

    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    const body = page.locator('.article-body');
    assert.equal(await body.locator('h2').first().textContent(), 'What the harbour master said');
    assert.equal(await body.locator('blockquote').textContent(), 'We are closed until further notice.');
    assert.deepEqual(await body.locator('ul').first().locator('li').allTextContents(), ['No ships in', 'No ships out']);
    assert.equal(await body.getByRole('link', { name: 'Read the report' }).getAttribute('href'), 'https://example.org/report');
    assert.equal(await body.getByRole('img', { name: 'Empty quays under a grey sky' }).count(), 1);
    assert.equal(await body.locator('figure.body-embed a').getAttribute('href'), 'https://video.example/watch/42');
    const bodyHtml = await body.innerHTML();
    assert.doesNotMatch(bodyHtml, /<script|onclick|alert\(/);
    assert.match(bodyHtml, /<p>tail<\/p>/);
    assert.deepEqual(scriptErrors, [], 'no script error on the form page');
    // The public page with the editor's figures passes axe too.
    assert.deepEqual(await axeViolations(page), []);
  });
});
