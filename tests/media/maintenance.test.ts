// `gazette media verify` and `gazette media regenerate`, run as the real command against a real server's
// database and MEDIA_DIR: verify passes on a fresh library and names every document or original whose
// bytes changed on disk and every missing rendition; regenerate makes the widths configured now (served
// with 200), removes the old ones, keeps the articles' crops and skips a picture whose original is gone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createAccount } from '../helpers/admin.ts';
import { runCli, startTestServer, type TestServer } from '../helpers/server.ts';
import type { Account } from '../../src/accounts/permissions.ts';
import { articleImageUsage } from '../../src/articles/article.images.ts';
import { createArticle } from '../../src/articles/article.service.ts';
import { uploadDocument } from '../../src/documents/document.service.ts';
import { editImage, ensureCrop, imageViews, uploadImage, type ImageItem, type MediaDeps } from '../../src/media/image.service.ts';
import { allKeys, parseRenditions } from '../../src/media/image.renditions.ts';
import { localStorage } from '../../src/media/media.storage.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const upload = (fileName: string, bytes: Buffer) => ({ fileName, stream: Readable.from([bytes]), truncated: () => false });

/** A photo-like picture (noise over a colour), so encoders do real work. */
function photo(width: number, height: number, format: 'jpeg' | 'png'): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 90, g: 140, b: 60 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
  return (format === 'png' ? image.png() : image.jpeg({ quality: 85 })).toBuffer();
}

const widthsOf = (srcset: string) => srcset.split(', ').map((c) => Number(/ (\d+)w$/.exec(c)![1]));

describe('gazette media verify and regenerate', () => {
  let server: TestServer;
  let deps: MediaDeps;
  let actor: Account;
  let wide: ImageItem;
  let square: ImageItem;
  let documentId: number;
  let documentPath: string;
  const file = (key: string) => path.join(server.config.mediaDir, key);
  const status = async (src: string) => (await fetch(`${server.url}${src}`)).status;
  const plan = async (id: number) => parseRenditions((await server.store.db.selectFrom('media_images').select('renditions').where('id', '=', id).executeTakeFirstOrThrow()).renditions);

  before(async () => {
    server = await startTestServer();
    deps = { store: server.store, storage: localStorage(server.config.mediaDir), settings: server.config.images, usage: articleImageUsage };
    actor = await createAccount(server, { role: 'editor' });
    wide = await uploadImage(deps, actor, upload('harbour.jpg', await photo(1400, 900, 'jpeg')), { alt: 'The harbour' });
    square = await uploadImage(deps, actor, upload('square.png', await photo(700, 700, 'png')), { alt: 'A square' });
    const doc = await uploadDocument(server.store, { dir: server.config.mediaDir, maxBytes: 1024 * 1024 }, actor, { title: 'Memo', fileName: 'memo.pdf', stream: Readable.from([PDF]), truncated: () => false });
    documentId = doc.id;
    documentPath = (await server.store.db.selectFrom('documents').select('file_path').where('id', '=', doc.id).executeTakeFirstOrThrow()).file_path!;
  });
  after(() => server.close());

  it('passes on a fresh library, with a count', async () => {
    const result = await runCli(server, ['media', 'verify']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /All 1 document\(s\) and 2 picture\(s\), \d+ file\(s\) match/);
  });

  it('names a document and an original whose bytes changed, and a missing rendition', async () => {
    const originalKey = wide.originalSrc.replace('/media/', '');
    const savedDocument = fs.readFileSync(file(documentPath));
    const savedOriginal = fs.readFileSync(file(originalKey));
    const missing = allKeys(await plan(square.id)).find((k) => k.endsWith('full-320.webp'))!;
    const savedRendition = fs.readFileSync(file(missing));
    try {
      fs.writeFileSync(file(documentPath), Buffer.concat([savedDocument, Buffer.from('% appended later\n')]));
      const flipped = Buffer.from(savedOriginal);
      flipped[flipped.length >> 1] = flipped[flipped.length >> 1]! ^ 0xff;
      fs.writeFileSync(file(originalKey), flipped);
      fs.rmSync(file(missing));
      const result = await runCli(server, ['media', 'verify']);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      const lines = result.stdout.trim().split('\n');
      assert.equal(lines.length, 3, result.stdout);
      assert.match(result.stdout, new RegExp(`^document ${documentId} \\(“memo\\.pdf”\\): ${documentPath} no longer matches: its SHA-256 is [0-9a-f]{64}, [0-9a-f]{64} was recorded`, 'm'));
      assert.match(result.stdout, new RegExp(`^picture ${wide.id} \\(“harbour\\.jpg”\\): ${originalKey} no longer matches`, 'm'));
      assert.match(result.stdout, new RegExp(`^picture ${square.id} \\(“square\\.png”\\): rendition ${missing} is missing`, 'm'));
      assert.match(result.stderr, /3 problem\(s\) in 3 item\(s\)/);

      fs.rmSync(file(documentPath));
      const gone = await runCli(server, ['media', 'verify']);
      assert.equal(gone.code, 1);
      assert.match(gone.stdout, new RegExp(`^document ${documentId} \\(“memo\\.pdf”\\): file ${documentPath} is missing`, 'm'));
    } finally {
      fs.writeFileSync(file(documentPath), savedDocument);
      fs.writeFileSync(file(originalKey), savedOriginal);
      fs.writeFileSync(file(missing), savedRendition);
    }
    assert.equal((await runCli(server, ['media', 'verify'])).code, 0, 'all is well again once the bytes are back');
  });

  it('makes the widths configured now, removes the old ones and keeps the crops, safely twice', async () => {
    // Two articles lead with crops of the wide picture: one whose files were made when it was chosen
    // (ensureCrop, as the newsroom's form does), one the library has never made files for.
    const box = { x: 100, y: 100, w: 500, h: 600 };
    const unmade = { x: 0, y: 0, w: 1000, h: 500 };
    await ensureCrop(deps, wide.id, box);
    await createArticle(server.store, { section: 'news', headline: 'Harbour at dawn', body: 'The boats came in.', authors: [], leadImageId: wide.id, leadImageCrop: box });
    await createArticle(server.store, { section: 'news', headline: 'Harbour at dusk', body: 'The boats went out.', authors: [], leadImageId: wide.id, leadImageCrop: unmade });
    assert.equal((await plan(wide.id)).crops.length, 1);
    const before = await imageViews(server.store.db, [{ id: wide.id, crop: box }]);
    const oldCrop = before.get(wide.id)!.picture;
    assert.match(oldCrop.src, /crop-/);
    assert.equal(await status(oldCrop.src), 200);
    assert.deepEqual(widthsOf(wide.picture.srcset), [320, 640, 960, 1280, 1400]);

    const env = { IMAGE_WIDTHS: '400,800' };
    const result = await runCli(server, ['media', 'regenerate'], { env });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Regenerated 2 picture\(s\) for widths 400, 800: \d+ file\(s\) made, \d+ removed/);

    const views = await imageViews(server.store.db, [{ id: wide.id }, { id: square.id }]);
    for (const [item, widths] of [[wide, [400, 800]], [square, [400, 700]]] as const) {
      const view = views.get(item.id)!;
      assert.deepEqual(widthsOf(view.picture.srcset), widths, item.fileName);
      for (const source of [...view.picture.sources, { srcset: view.picture.srcset }])
        for (const candidate of source.srcset.split(', ')) assert.equal(await status(candidate.split(' ')[0]!), 200, candidate);
      for (const candidate of item.picture.srcset.split(', ')) {
        const src = candidate.split(' ')[0]!;
        if (!/-(400|700|800)\./.test(src)) assert.equal(await status(src), 404, `${src} is removed`);
      }
      assert.equal(await status(view.social.src), 200);
    }

    const cropped = (await imageViews(server.store.db, [{ id: wide.id, crop: box }])).get(wide.id)!.picture;
    assert.match(cropped.src, /crop-/, 'the article still shows its crop');
    assert.deepEqual(widthsOf(cropped.srcset), [400, 700]);
    for (const candidate of cropped.srcset.split(', ')) assert.equal(await status(candidate.split(' ')[0]!), 200, candidate);
    assert.equal(await status(oldCrop.srcset.split(', ')[0]!.split(' ')[0]!), 404, 'the crop’s old 320 width is removed');
    const second = (await imageViews(server.store.db, [{ id: wide.id, crop: unmade }])).get(wide.id)!.picture;
    assert.match(second.src, /crop-/, 'the crop an article uses is made too');
    assert.deepEqual(widthsOf(second.srcset), [400, 800]);
    for (const candidate of second.srcset.split(', ')) assert.equal(await status(candidate.split(' ')[0]!), 200, candidate);

    const again = await runCli(server, ['media', 'regenerate'], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Regenerated 2 picture\(s\) for widths 400, 800: 0 file\(s\) made, 0 removed/);
    const verified = await runCli(server, ['media', 'verify'], { env });
    assert.equal(verified.code, 0, verified.stdout);
  });

  it('keeps the files of a second upload of the same bytes when the first one’s focal point moves', async () => {
    const bytes = await photo(900, 600, 'jpeg');
    const first = await uploadImage(deps, actor, upload('twin-a.jpg', bytes), { alt: 'Twin A' });
    const second = await uploadImage(deps, actor, upload('twin-b.jpg', bytes), { alt: 'Twin B' });
    assert.equal(first.sha256, second.sha256, 'one folder for both');
    assert.equal(first.social.src, second.social.src, 'same focal point, same files');
    const moved = await editImage(deps, actor, first.id, { alt: 'Twin A', focalX: 100, focalY: 100 });
    assert.notEqual(moved.social.src, first.social.src);
    assert.equal(await status(second.social.src), 200, 'the other item still has its social image');
    for (const candidate of second.card.srcset.split(', ')) assert.equal(await status(candidate.split(' ')[0]!), 200, candidate);
    const verified = await runCli(server, ['media', 'verify']);
    assert.equal(verified.code, 0, verified.stdout);
  });

  it('reports and skips a picture whose original is missing, and does the others', async () => {
    const lost = await uploadImage(deps, actor, upload('lost.jpg', await photo(500, 400, 'jpeg')), { alt: 'Lost' });
    fs.rmSync(file(lost.originalSrc.replace('/media/', '')));
    const result = await runCli(server, ['media', 'regenerate'], { env: { IMAGE_WIDTHS: '300,600' } });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`^picture ${lost.id} \\(“lost\\.jpg”\\) skipped: its stored original is missing`, 'm'));
    assert.match(result.stdout, /Regenerated 4 picture\(s\) for widths 300, 600/);
    assert.deepEqual(widthsOf((await imageViews(server.store.db, [{ id: square.id }])).get(square.id)!.picture.srcset), [300, 600]);
    assert.deepEqual((await plan(lost.id)).full.widths, [320, 500], 'the skipped picture keeps its plan');

    const one = await runCli(server, ['media', 'regenerate', '--id', String(square.id)]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /Regenerated 1 picture\(s\)/);
    const unknown = await runCli(server, ['media', 'regenerate', '--id', '99999']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no picture 99999/);
    assert.equal((await runCli(server, ['media', 'regenerate', '--id', 'x'])).code, 64);
  });
});
