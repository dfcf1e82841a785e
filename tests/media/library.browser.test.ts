// Pictures in headless Chromium, as a journalist works: pictures uploaded from the body editor (one
// picked in the file field of its library dialog, one dropped on the text, one pasted), each described
// (alt text, caption, credit) as it is inserted, and one inserted again from the library; the first
// chosen as the lead image from the library; the article published. Readers then see the pictures on the article and on the home page at desktop and phone
// widths, with no layout shift (CLS measured by a PerformanceObserver for 'layout-shift'). The library's
// own screens pass axe-core and take several dropped files at once, refusing a bad one by name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { createAccount } from '../helpers/admin.ts';
import { browserSuite, type BrowserSuite } from '../helpers/admin-browser.ts';
import type { TestServer } from '../helpers/server.ts';
import { assertNoAxeViolations } from '../e2e/browser.ts';

let suite: BrowserSuite;
let server: TestServer;
let browser: Browser;
/** One editor for every test: the pictures the first one uploads are theirs. */
let editor: Awaited<ReturnType<typeof createAccount>>;

const HEADLINE = 'Port reopens a month after the blast';
const WIDTHS = [1280, 390] as const;

const picture = (colour: string, width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .composite([{ input: { create: { width: Math.round(width / 4), height: Math.round(height / 4), channels: 3, background: '#ffffff' } }, left: Math.round(width / 2), top: Math.round(height / 3) }])
    .jpeg({ quality: 80 })
    .toBuffer();

/** What the article shows: its public address and the two pictures' folders (every file of a picture is under it). */
const published: { path: string; lead: { folder: string; alt: string }; body: { folder: string; alt: string; caption: string; credit: string }[] } = { path: '', lead: { folder: '', alt: '' }, body: [] };

const folderOf = (src: string) => src.slice(0, src.lastIndexOf('/') + 1);


/** Fills the picture dialog the editor opens after an upload, and inserts. */
async function describe_(page: Page, text: { alt: string; caption: string; credit: string }): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Alt text').fill(text.alt);
  await dialog.getByLabel('Caption').fill(text.caption);
  await dialog.getByLabel('Credit').fill(text.credit);
  await dialog.getByRole('button', { name: 'Insert picture' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Records layout shifts from the first paint on (the page's own, not those following input). */
const CLS_OBSERVER = () => {
  const w = window as unknown as { __cls: number };
  w.__cls = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!entry.hadRecentInput) w.__cls += entry.value;
  }).observe({ type: 'layout-shift', buffered: true });
};

/** Scrolls every picture into view and waits until each has loaded; then the layout shift so far. */
async function settle(page: Page): Promise<number> {
  await page.waitForLoadState('load');
  for (const img of await page.locator('main img').all()) {
    await img.scrollIntoViewIfNeeded();
    await img.evaluate((el: HTMLImageElement) => (el.complete ? null : new Promise((resolve) => el.addEventListener('load', resolve, { once: true }))));
  }
  // Two frames, so that shifts from the last loads are reported.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(() => (window as unknown as { __cls: number }).__cls);
}

/** The images of the page whose current file is one of a picture's (its folder), with what a reader gets. */
function picturesIn(page: Page, scope: string, folder: string) {
  return page.locator(`${scope} img`).evaluateAll(
    (imgs: HTMLImageElement[], f: string) =>
      imgs.filter((i) => i.currentSrc.includes(f)).map((i) => ({ alt: i.alt, loaded: i.complete && i.naturalWidth > 0, width: i.getAttribute('width'), height: i.getAttribute('height'), figcaption: i.closest('figure')?.querySelector('figcaption')?.textContent ?? '', inBody: i.closest('figure.body-image') !== null })),
    folder,
  );
}

describe('pictures from the editor to the reader', () => {
  before(async () => {
    suite = await browserSuite();
    ({ server, browser } = suite);
    editor = await createAccount(server, { role: 'editor', name: 'Eda Editor' });
  });
  after(() => suite?.close());

  test('an editor uploads pictures in the body editor (file field and drop), describes them, sets the lead image and publishes', async () => {
    const { context, page } = await suite.signedIn(editor, { viewport: { width: 1280, height: 900 } });
    try {
      await page.goto('/admin/articles/new');
      await page.getByLabel('Headline').fill(HEADLINE);
      await page.getByLabel('Authors').fill('international-desk');
      const surface = page.locator('.body-editor-surface');
      await surface.click();
      await page.keyboard.type('Ships were unloading again on Monday.');

      // 1. The toolbar's Image: the library dialog, and a file picked in its upload field.
      await page.getByRole('toolbar', { name: 'Body formatting' }).getByRole('button', { name: 'Image', exact: true }).click();
      await page.getByRole('dialog', { name: 'Insert a picture' }).getByLabel('Upload a picture').setInputFiles({ name: 'harbour.jpg', mimeType: 'image/jpeg', buffer: await picture('#2a6f97', 1800, 1200) });
      await page.getByRole('dialog', { name: 'Describe harbour.jpg' }).waitFor();
      const first = { alt: 'Container ships at the reopened quay', caption: 'The first ships came in at dawn.', credit: 'Photo: Rana Haddad' };
      await describe_(page, first);

      // 2. A file dropped on the text.
      const bytes = (await picture('#c44536', 1200, 1600)).toString('base64');
      const dataTransfer = await page.evaluateHandle((b64) => {
        const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([data], 'crane.jpg', { type: 'image/jpeg' }));
        return transfer;
      }, bytes);
      // Measured once the first picture has its size, so that the drop lands after it.
      await surface.locator('figure img').first().evaluate((el: HTMLImageElement) => (el.complete ? null : new Promise((resolve) => el.addEventListener('load', resolve, { once: true }))));
      const box = (await surface.boundingBox())!;
      await surface.dispatchEvent('drop', { dataTransfer, clientX: box.x + 40, clientY: box.y + box.height - 12 });
      await page.getByRole('dialog', { name: 'Describe crane.jpg' }).waitFor();
      const second = { alt: 'A crane lifting a container', caption: 'Cranes were repaired first.', credit: 'Photo: Port authority' };
      await describe_(page, second);

      const figures = surface.locator('figure.body-image img[data-media-id]');
      await figures.nth(1).waitFor();
      assert.match(await page.locator('.body-editor-status').innerText(), /crane\.jpg uploaded and inserted/);

      // 3. A picture pasted (a screenshot on the clipboard).
      const png = (await sharp({ create: { width: 640, height: 400, channels: 3, background: '#6d597a' } }).png().toBuffer()).toString('base64');
      await surface.evaluate((el, b64) => {
        const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const clipboard = new DataTransfer();
        clipboard.items.add(new File([data], 'screenshot.png', { type: 'image/png' }));
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
      }, png);
      await page.getByRole('dialog', { name: 'Describe screenshot.png' }).waitFor();
      await describe_(page, { alt: 'A chart of ships per day', caption: 'Ships per day since the blast.', credit: 'Chart: Desk' });
      await figures.nth(2).waitFor();

      // 4. A picture already in the library, its description offered as the library holds it. (The cursor
      // goes back into the text first: with a picture selected, Image edits that picture.)
      await surface.locator('p').first().click();
      await page.keyboard.press('End');
      await page.getByRole('toolbar', { name: 'Body formatting' }).getByRole('button', { name: 'Image', exact: true }).click();
      await page.getByRole('dialog', { name: 'Insert a picture' }).getByRole('button', { name: `crane.jpg: ${second.alt}` }).click();
      const details = page.getByRole('dialog', { name: 'Picture details' });
      assert.equal(await details.getByLabel('Alt text').inputValue(), second.alt);
      assert.equal(await details.getByLabel('Credit').inputValue(), second.credit);
      await details.getByLabel('Caption').fill('The same crane, later.');
      await details.getByRole('button', { name: 'Insert picture' }).click();
      await figures.nth(3).waitFor();
      const alts = await figures.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')));
      assert.deepEqual([...alts].sort(), [first.alt, second.alt, second.alt, 'A chart of ships per day'].sort());
      const srcOf = async (alt: string) => folderOf((await surface.locator(`figure.body-image img[alt="${alt}"]`).first().getAttribute('src'))!);
      published.body = [
        { folder: await srcOf(first.alt), ...first },
        { folder: await srcOf(second.alt), ...second },
      ];

      // 3. The lead image, chosen from the library: the first picture, whose description the editor saved there.
      await page.getByRole('button', { name: 'Choose from library' }).click();
      const picker = page.getByRole('dialog', { name: 'Choose the lead image' });
      await picker.getByRole('button', { name: `harbour.jpg: ${first.alt}` }).waitFor();
      await assertNoAxeViolations(page, 'the library dialog');
      await picker.getByRole('button', { name: `harbour.jpg: ${first.alt}` }).click();
      await picker.waitFor({ state: 'detached' });
      // The field is filled once the dialog's answer is handled, a moment after the dialog is gone.
      await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('input[name="lead_image_id"]')?.value ?? '') !== '');
      const leadId = await page.getByLabel('Picture number').inputValue();
      assert.match(leadId, /^[1-9][0-9]*$/);
      assert.equal(await page.locator('[data-lead-img]').getAttribute('alt'), first.alt);
      assert.match(await page.locator('[data-lead-caption]').innerText(), /The first ships came in at dawn\. — Photo: Rana Haddad/);
      published.lead = { folder: published.body[0]!.folder, alt: first.alt };

      // A crop for this article, by typing it (dragging writes the same field).
      await page.getByLabel('Crop for this article').fill('0,100,1000,700');
      await assertNoAxeViolations(page, 'the article form with pictures');

      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByText('Published.').waitFor();
      assert.equal(await page.getByLabel('Picture number').inputValue(), leadId);
      assert.equal(await page.getByLabel('Crop for this article').inputValue(), '0,100,1000,700');
      published.path = (await page.getByRole('link', { name: 'view on the site' }).getAttribute('href'))!;
      assert.match(published.path, /^\/news\//);

      // The library knows where both are used.
      await page.goto(`/admin/media/${leadId}`);
      await page.getByRole('region', { name: 'Used in' }).getByRole('link', { name: HEADLINE }).waitFor();
      assert.match(await page.getByRole('region', { name: 'Used in' }).innerText(), /lead image and in the body/);
      assert.equal(await page.getByLabel('Alt text').inputValue(), first.alt);
      assert.equal(await page.getByLabel('Credit').inputValue(), first.credit);
    } finally {
      await context.close();
    }
  });

  test('the body pictures are on the article page with their alt text, caption and credit, at 1280 and 390', async () => {
    assert.ok(published.path, 'the article was published by the previous test');
    for (const width of WIDTHS) {
      const page = await browser.newPage({ baseURL: server.url, viewport: { width, height: 900 } });
      try {
        assert.equal((await page.goto(published.path))?.status(), 200);
        await settle(page);
        for (const body of published.body) {
          const found = await picturesIn(page, 'main', body.folder);
          assert.ok(found.length >= 1, `${width}px: the picture ${body.alt} is on the article`);
          const captioned = new RegExp(`${body.caption}.*${body.credit}`);
          const shown = found.find((f) => f.alt === body.alt && captioned.test(f.figcaption));
          assert.ok(shown, `${width}px: with its alt text, then caption and credit (${JSON.stringify(found)})`);
          assert.ok(shown.loaded, `${width}px: ${body.alt} loaded`);
        }
      } finally {
        await page.close();
      }
    }
  });

  // Depends on public pages showing library pictures (branch "pictures"): the lead image on the article,
  // the card on the home page, every picture with its width and height, and so no layout shift.
  test('the lead image is on the article and its card on the home page, with width and height, and CLS is 0, at 1280 and 390', async () => {
    assert.ok(published.path, 'the article was published by the previous test');
    for (const width of WIDTHS) {
      const context = await browser.newContext({ baseURL: server.url, viewport: { width, height: 900 } });
      await context.addInitScript(CLS_OBSERVER);
      const page = await context.newPage();
      try {
        await page.goto(published.path);
        const articleShift = await settle(page);
        const lead = await picturesIn(page, 'main', published.lead.folder);
        // The same picture is also in the body: the lead image is the one outside the body's figures.
        assert.ok(lead.some((l) => !l.inBody && l.alt === published.lead.alt && l.loaded), `${width}px: the lead image is on the article (${JSON.stringify(lead)})`);
        const sizes = await page.locator('main img').evaluateAll((imgs) => imgs.filter((i) => !i.getAttribute('width') || !i.getAttribute('height')).map((i) => (i as HTMLImageElement).currentSrc));
        assert.deepEqual(sizes, [], `${width}px: every picture on the article has its width and height`);
        assert.equal(articleShift, 0, `${width}px: layout shift on the article`);

        await page.goto('/');
        const homeShift = await settle(page);
        const card = page.locator('main article').filter({ has: page.locator(`a[href="${published.path}"]`) }).first();
        const cardImages = await card.locator('img').evaluateAll((imgs, f) => imgs.filter((i) => (i as HTMLImageElement).currentSrc.includes(f as string) && (i as HTMLImageElement).naturalWidth > 0).length, published.lead.folder);
        assert.ok(cardImages >= 1, `${width}px: the home page shows the article with its picture`);
        assert.equal(homeShift, 0, `${width}px: layout shift on the home page`);
      } finally {
        await context.close();
      }
    }
  });

  test('the library takes several dropped files at once, refuses a bad one by name, and passes axe-core', async () => {
    const { context, page } = await suite.signedIn(editor, { viewport: { width: 390, height: 900 } });
    try {
      await page.getByRole('navigation', { name: 'Newsroom' }).getByRole('link', { name: 'Media' }).click();
      // With the script, files upload as soon as they are chosen or dropped: no Upload button.
      await page.locator('[data-upload-button]').waitFor({ state: 'hidden' });
      assert.equal(await page.getByLabel('Upload pictures').getAttribute('multiple'), '');
      await assertNoAxeViolations(page, 'the media library');
      const good = (await picture('#264653', 900, 600)).toString('base64');
      const dataTransfer = await page.evaluateHandle((b64) => {
        const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([data], 'quay.jpg', { type: 'image/jpeg' }));
        transfer.items.add(new File(['<html>not a picture</html>'], 'notes.jpg', { type: 'image/jpeg' }));
        return transfer;
      }, good);
      await page.locator('[data-dropzone]').dispatchEvent('drop', { dataTransfer });
      const list = page.locator('[data-upload-list]');
      await list.getByRole('link', { name: /Uploaded/ }).waitFor();
      await list.locator('.is-error').waitFor();
      assert.match(await list.locator('.is-error').innerText(), /notes\.jpg/);
      await page.locator('.media-grid .media-card', { hasText: 'quay.jpg' }).waitFor();
      await assertNoAxeViolations(page, 'the media library after uploads');

      await page.locator('.media-grid .media-card', { hasText: 'quay.jpg' }).click();
      await page.getByRole('heading', { name: 'quay.jpg' }).waitFor();
      await assertNoAxeViolations(page, 'a picture’s screen');
      // The focal point by clicking on the picture: the number fields follow.
      const img = page.locator('[data-focal-image]');
      const box = (await img.boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.75);
      const near = async (label: string, expected: number) => {
        const value = Number(await page.getByLabel(label).inputValue());
        assert.ok(Math.abs(value - expected) <= 1, `${label}: ${value}, expected about ${expected}`);
      };
      await near('From the left (%)', 25);
      await near('From the top (%)', 75);
      const typed = await page.getByLabel('From the left (%)').inputValue();
      await page.getByLabel('Alt text').fill('The quay at night');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved.').waitFor();
      assert.equal(await page.getByLabel('From the left (%)').inputValue(), typed, 'the focal point was saved');
    } finally {
      await context.close();
    }
  });
});
