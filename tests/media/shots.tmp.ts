import sharp from 'sharp';
import { createAccount, signInBrowser } from '../helpers/admin.ts';
import { startTestServer } from '../helpers/server.ts';
import { launchBrowser } from '../e2e/browser.ts';
import { uploadImage } from '../../src/media/image.service.ts';
import { localStorage } from '../../src/media/media.storage.ts';
import { articleImageUsage } from '../../src/articles/article.images.ts';
import { Readable } from 'node:stream';

const server = await startTestServer({});
const account = await createAccount(server, { role: 'editor', name: 'Eda Editor' });
const deps = { store: server.store, storage: localStorage(server.config.mediaDir), settings: server.config.images, usage: articleImageUsage };
const colours = ['#2a6f97', '#c44536', '#e9c46a', '#264653', '#8ab17d', '#6d597a', '#b56576'];
const ids: number[] = [];
for (const [i, c] of colours.entries()) {
  const bytes = await sharp({ create: { width: 1600, height: 1000 + i * 60, channels: 3, background: c } })
    .composite([{ input: { create: { width: 300, height: 300, channels: 3, background: '#ffffff' } }, left: 200 + i * 100, top: 200 }]).jpeg().toBuffer();
  const item = await uploadImage(deps, account, { fileName: `photo-${i + 1} harbour.jpg`, stream: Readable.from([bytes]), truncated: () => false }, i % 3 ? { alt: `Picture ${i + 1}`, caption: 'A caption', credit: 'Photo: Agency' } : {});
  ids.push(item.id);
}
const browser = await launchBrowser();
for (const width of [1280, 390]) {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width, height: 900 } });
  const page = await context.newPage();
  await signInBrowser(page, server, account.email, account.password);
  const shot = async (name: string, full = true) => page.screenshot({ path: `/tmp/shots-library/${name}-${width}.png`, fullPage: full });
  await page.goto('/admin/media'); await shot('library');
  await page.goto(`/admin/media/${ids[1]}`); await shot('item');
  { const b = (await page.locator('[data-focal-image]').boundingBox())!; await page.mouse.click(b.x + b.width * .85, b.y + b.height * .2); await shot('item-focal'); }
  await page.goto('/admin/media');
  await page.locator('[data-dropzone]').dispatchEvent('drop', { dataTransfer: await page.evaluateHandle(() => { const t = new DataTransfer(); t.items.add(new File(['<html>'], 'notes.jpg', { type: 'image/jpeg' })); return t; }) });
  await page.locator('.is-error').waitFor(); await shot('library-error', false);
  await page.goto('/admin/articles/new');
  await page.getByRole('toolbar', { name: 'Body formatting' }).getByRole('button', { name: 'Image', exact: true }).click();
  await page.waitForSelector('.picker-grid button'); await shot('editor-picker', false); await page.keyboard.press('Escape');
  await page.goto('/admin/articles/new'); await page.getByLabel('Picture number').fill(String(ids[1])); 
  await page.getByLabel('Headline').fill('A headline');
  await shot('article-new');
  await page.getByRole('button', { name: 'Change picture' }).click();
  await page.waitForSelector('.picker-grid button');
  await shot('picker', false);
  await page.keyboard.press('Escape');
  await page.goto('/admin/articles/new');
  await page.getByLabel('Language').selectOption('ar');
  await page.getByLabel('Headline').fill('عنوان المقال');
  await page.getByRole('button', { name: 'Choose from library' }).click();
  await page.locator('.picker-grid button').nth(1).click();
  await page.getByRole('button', { name: 'Crop for this article' }).click();
  const img = page.locator('[data-lead-img]'); const b = (await img.boundingBox())!;
  await page.mouse.move(b.x + b.width * .2, b.y + b.height * .2); await page.mouse.down(); await page.mouse.move(b.x + b.width * .8, b.y + b.height * .7, { steps: 5 }); await page.mouse.up();
  await page.locator('[data-lead-image]').scrollIntoViewIfNeeded();
  await shot('article-ar-crop', false);
  await shot('article-ar-full');
  await context.close();
}
await browser.close();
await server.close();
