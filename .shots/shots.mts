// Screenshots of pictures on pages (not a test): article and home at 1280 and 390, English and Arabic.
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { chromium } from 'playwright-core';
import { articleImageUsage } from '../src/articles/article.images.ts';
import { createArticle } from '../src/articles/article.service.ts';
import { uploadImage } from '../src/media/image.service.ts';
import { localStorage } from '../src/media/media.storage.ts';
import { startTestServer } from '../tests/helpers/server.ts';
import { account } from '../tests/newsroom/helpers.ts';

const scene = async (w: number, h: number, sky: string, sea: string, sun: string) => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky}"/><stop offset="1" stop-color="#f3d9b1"/></linearGradient></defs>
<rect width="${w}" height="${h}" fill="url(#s)"/><circle cx="${w * 0.68}" cy="${h * 0.42}" r="${h * 0.12}" fill="${sun}"/>
<rect y="${h * 0.58}" width="${w}" height="${h * 0.42}" fill="${sea}"/><path d="M${w * 0.2} ${h * 0.7} l${w * 0.12} 0 l-${w * 0.02} ${h * 0.05} l-${w * 0.08} 0 z" fill="#3a2a1a"/><path d="M${w * 0.26} ${h * 0.7} l0 -${h * 0.18} l${w * 0.05} ${h * 0.16} z" fill="#fff"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer();
};
const up = async (name: string, bytes: Buffer) => ({ fileName: name, stream: Readable.from([bytes]), truncated: () => false });

for (const lang of ['en', 'ar'] as const) {
  const server = await startTestServer({ env: { SITE_LANGUAGE: lang, ...(lang === 'ar' ? { SITE_NAME: 'غازيت' } : {}) } });
  const deps = { store: server.store, storage: localStorage(server.config.mediaDir), settings: server.config.images, usage: articleImageUsage };
  const editor = await account(server, 'editor');
  const palettes = [['#7fb2d9', '#1f4e79', '#ffd36b'], ['#e9a07a', '#5a3a6e', '#fff2c2'], ['#9ad0c2', '#2e6b5e', '#fdfdfd'], ['#c7c0e6', '#3b3f7a', '#ffb86b']];
  const pics = [];
  for (const [i, p] of palettes.entries()) pics.push(await uploadImage(deps, editor, await up(`p${i}.jpg`, await scene(2400, 1600, p[0]!, p[1]!, p[2]!)), { alt: lang === 'ar' ? 'قوارب في الميناء عند الفجر' : 'Boats in the harbour at dawn', caption: lang === 'ar' ? 'ميناء صور قبل خروج القوارب.' : 'The harbour of Tyre before the boats go out.', credit: lang === 'ar' ? 'رنا حداد / غازيت' : 'Rana Haddad / Gazette' }));
  const section = lang === 'ar' ? 'akhbar' : 'news';
  const heads = lang === 'ar'
    ? ['عودة قوارب الصيد إلى الميناء بعد أسبوع من العواصف', 'حشود في الساحة للمطالبة بالكهرباء', 'المجلس البلدي يناقش ميزانية المدينة', 'افتتاح سوق الخضار الجديد']
    : ['Fishing boats return to the harbour after a week of storms', 'Crowds gather in the square to demand electricity', 'The council debates the city budget', 'A new vegetable market opens'];
  let lead = '';
  for (const [i, h] of heads.entries()) {
    const body = i === 0 ? `<p>${lang === 'ar' ? 'عادت القوارب صباح اليوم.' : 'The boats came back this morning, one by one, as the wind dropped.'}</p><figure class="body-image"><img src="${pics[3]!.picture.src}" alt="${lang === 'ar' ? 'السوق' : 'The market'}" data-media-id="${pics[3]!.id}"><figcaption>${lang === 'ar' ? 'السوق المسقوف' : 'The covered market'} <small class="credit">Desk</small></figcaption></figure><p>${lang === 'ar' ? 'فقرة أخيرة.' : 'A last paragraph.'}</p>` : 'Text.';
    const made = await createArticle(server.store, { section, language: lang, headline: h, subtitle: i === 0 ? (lang === 'ar' ? 'الصيادون يعودون إلى البحر' : 'Fishermen go out again') : '', body, bodyFormat: i === 0 ? 'html' : 'markdown', authors: ['international-desk'], leadImageId: i === 2 ? null : pics[i]!.id, publishedAt: new Date(Date.now() - i * 60_000).toISOString() });
    if (i === 0) lead = made.path;
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  for (const width of [1280, 390]) {
    const page = await browser.newPage({ viewport: { width, height: width > 500 ? 900 : 844 } });
    for (const [name, path] of [['article', lead], ['home', '/']] as const) {
      await page.goto(server.url + path, { waitUntil: 'networkidle' });
      await page.evaluate(async () => { for (const img of document.images) { img.loading = 'eager'; } await Promise.all([...document.images].map((i) => i.decode().catch(() => {}))); });
      await page.screenshot({ path: `/tmp/shots-pictures/${name}-${lang}-${width}.png`, fullPage: true });
    }
    await page.close();
  }
  await browser.close();
  await server.close();
}
console.log('done');
