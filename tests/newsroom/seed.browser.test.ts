// The seed page written in the newsroom, in Arabic, as its desk would: the classified document uploaded
// under Documents, the article typed right to left in the body editor with its four attributed sources
// (Al-Akhbar reported, Fars relayed, the document obtained, an official quoted), published, and read on
// the public page with the document's hash and download link. axe on every screen on the way.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSuite, type BrowserSuite } from '../helpers/admin-browser.ts';
import type { TestServer } from '../helpers/server.ts';
import { assertNoAxeViolations } from '../e2e/browser.ts';

const MEMO = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% the classified memo\ntrailer << /Root 1 0 R >>\n%%EOF\n');


describe('the seed article written in the newsroom, in Arabic', () => {
  let suite: BrowserSuite;
  let server: TestServer;
  let browser: Browser;
  let dir: string;
  before(async () => {
    suite = await browserSuite();
    ({ server, browser } = suite);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-memo-'));
  });
  after(async () => {
    await suite?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('uploads the document, writes the article right to left with four sources, publishes it', async () => {
    const { context, page } = await suite.signedIn({ role: 'editor', name: 'Rana Editor' }, { viewport: { width: 1280, height: 900 } });
    try {

      // The document first.
      const file = path.join(dir, 'memo.pdf');
      fs.writeFileSync(file, MEMO);
      await page.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'Documents' }).click();
      await assertNoAxeViolations(page, 'the documents page');
      await page.getByLabel('Title').fill('وثيقة سرية');
      await page.getByLabel('File').setInputFiles(file);
      await page.getByRole('button', { name: 'Upload' }).click();
      const sha = createHash('sha256').update(MEMO).digest('hex');
      await page.getByText(`SHA-256 ${sha}`).first().waitFor();
      await assertNoAxeViolations(page, 'the documents page after an upload');

      // The article, right to left.
      await page.goto('/admin/articles/new');
      await page.getByLabel('Language').selectOption('ar');
      await page.getByLabel('Headline').fill('كشف وثيقة سرية');
      assert.equal(await page.getByLabel('Headline').getAttribute('dir'), 'rtl');
      await page.getByLabel('Section').selectOption('akhbar');
      const surface = page.locator('.body-editor-surface [contenteditable="true"]');
      if ((await surface.count()) > 0) {
        assert.equal(await surface.getAttribute('dir'), 'rtl');
        await surface.click();
        await page.keyboard.type('نشرت صحيفة الأخبار وثيقة سرية.');
        await page.keyboard.press('Enter');
        await page.keyboard.press('Control+Shift+B');
        await page.keyboard.type('لن نعلق على الوثائق المسربة');
      } else {
        await page.getByRole('textbox', { name: 'Body', exact: true }).fill('نشرت صحيفة الأخبار وثيقة سرية.\n\n> لن نعلق على الوثائق المسربة');
      }
      const sources: [string, string, string, string][] = [
        ['الأخبار', 'outlet', 'reported', ''],
        ['فارس', 'agency', 'relayed', '1. الأخبار'],
        ['وثيقة سرية', 'document', 'obtained', ''],
        ['مسؤول', 'person', 'quoted', ''],
      ];
      for (const [i, [name, kind, role, relays]] of sources.entries()) {
        await page.getByRole('button', { name: 'Add source' }).click();
        const row = page.getByRole('group', { name: `Source ${i + 1}` });
        await row.getByLabel('Name').fill(name);
        await row.getByLabel('Kind').selectOption(kind);
        await row.getByLabel('Role').selectOption(role);
        if (relays) await row.getByLabel('Relays').selectOption({ label: relays });
        if (kind === 'document') {
          const value = await row.getByLabel('Document').locator('option', { hasText: 'وثيقة سرية' }).getAttribute('value');
          await row.getByLabel('Document').selectOption(value!);
        }
      }
      await assertNoAxeViolations(page, 'the article form in Arabic');
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByText(/Published/).first().waitFor();

      const readers = await browser.newContext({ baseURL: server.url });
      const reader = await readers.newPage();
      // Found as a reader finds it: on its section's page, at once.
      await reader.goto('/akhbar');
      await reader.getByRole('link', { name: 'كشف وثيقة سرية' }).first().click();
      await reader.getByRole('heading', { name: 'كشف وثيقة سرية' }).waitFor();
      assert.equal(await reader.locator('html').getAttribute('dir'), 'rtl');
      const listed = await reader.locator('li.source .source-name').allInnerTexts();
      assert.deepEqual(listed, sources.map(([name]) => name));
      assert.equal(await reader.locator(`code:text("${sha}")`).count(), 1);
      const href = await reader.locator('a.source-download').getAttribute('href');
      const download = await fetch(server.url + href);
      assert.equal(createHash('sha256').update(Buffer.from(await download.arrayBuffer())).digest('hex'), sha);
      await assertNoAxeViolations(reader, 'the published Arabic article');
      await readers.close();
    } finally {
      await context.close();
    }
  });
});
