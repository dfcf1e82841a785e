// The media library's pictures, through the service and the public /media/ route on the real server:
// judged by content, refused whole (no file, no row) for every bad kind of upload, stored without the
// photographer's location, rendered once in every width and format, cropped around the focal point.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import exifReader from 'exif-reader';
import { createAccount } from '../helpers/admin.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import type { Account } from '../../src/accounts/permissions.ts';
import { articleImageUsage } from '../../src/articles/article.images.ts';
import { AppError } from '../../src/errors.ts';
import { deleteImage, editImage, imageViews, listImages, replaceImage, uploadImage, type MediaDeps } from '../../src/media/image.service.ts';
import { localStorage } from '../../src/media/media.storage.ts';

const upload = (fileName: string, bytes: Buffer) => ({ fileName, stream: Readable.from([bytes]), truncated: () => false });

/** A photo as a phone makes it: GPS position, camera serial, a copyright line. */
async function phonePhoto(width = 2400, height = 1600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .composite([{ input: { create: { width: 200, height: 200, channels: 3, background: { r: 250, g: 30, b: 30 } } }, left: width - 300, top: 100 }])
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Copyright: 'Photo: Rana Haddad', Make: 'Phone', Model: 'X1' },
      IFD1: { BodySerialNumber: 'SN-1234567' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '33/1 53/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '35/1 30/1 0/1' },
    })
    .toBuffer();
}

/** A PNG header claiming 60000×60000 pixels over a few bytes of data: a decompression bomb. */
function pngBomb(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(60000, 0);
  ihdr.writeUInt32BE(60000, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(60001 * 4))), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c;
}

const filesUnder = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : []);

describe('media library pictures', () => {
  let server: TestServer;
  let deps: MediaDeps;
  let actor: Account;
  before(async () => {
    server = await startTestServer({ env: { IMAGE_MAX_MB: '2', IMAGE_MAX_MEGAPIXELS: '30' } });
    deps = { store: server.store, storage: localStorage(server.config.mediaDir), settings: server.config.images, usage: articleImageUsage };
    actor = await createAccount(server, { role: 'contributor' });
  });
  after(() => server.close());

  const imageRows = async () => Number((await server.store.db.selectFrom('media_images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const storedFiles = () => filesUnder(path.join(server.config.mediaDir, 'images'));

  it('keeps no location or serial in the original or any rendition, and keeps the copyright', async () => {
    const item = await uploadImage(deps, actor, upload('beach.jpg', await phonePhoto()), { alt: 'A red square on blue', caption: 'Test', credit: 'Rana Haddad' });
    assert.equal(item.width, 2400);
    assert.equal(item.height, 1600);
    const original = fs.readFileSync(path.join(server.config.mediaDir, item.originalSrc.replace('/media/', '')));
    assert.equal(createHash('sha256').update(original).digest('hex'), item.sha256, 'the recorded hash is of the stored bytes');
    const exif = (await sharp(original).metadata()).exif;
    assert.ok(exif, 'the original keeps an EXIF block for the copyright');
    const tags = exifReader(exif);
    assert.equal(tags.Image?.Copyright, 'Photo: Rana Haddad');
    assert.equal(tags.GPSInfo, undefined);
    assert.equal(tags.Photo?.BodySerialNumber, undefined);
    const files = storedFiles();
    assert.ok(files.length > 10, files.join(', '));
    for (const f of files.filter((name) => !name.includes('original'))) assert.equal((await sharp(path.join(server.config.mediaDir, 'images', f)).metadata()).exif, undefined, f);
  });

  it('serves every srcset width in its format with year-long cache headers', async () => {
    const [item] = await listImages(deps, actor, { contains: 'red square' });
    assert.ok(item);
    assert.deepEqual(item.picture.sources.map((s) => s.type), ['image/avif', 'image/webp']);
    const widths = item.picture.srcset.split(', ').map((c) => Number(/ (\d+)w$/.exec(c)![1]));
    assert.deepEqual(widths, [320, 640, 960, 1280, 1920]);
    for (const source of [...item.picture.sources, { type: 'image/jpeg', srcset: item.picture.srcset }])
      for (const candidate of source.srcset.split(', ')) {
        const [url, w] = candidate.split(' ');
        const response = await fetch(`${server.url}${url}`);
        assert.equal(response.status, 200, url);
        assert.equal(response.headers.get('content-type'), source.type);
        assert.match(response.headers.get('cache-control') ?? '', /max-age=31536000, immutable/);
        const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
        assert.equal(meta.width, Number(w!.slice(0, -1)));
        assert.equal(meta.format === 'heif' ? 'image/avif' : `image/${meta.format}`, source.type);
      }
    assert.equal((await fetch(`${server.url}/media/images/../../secret.jpg`)).status, 404);
    assert.equal((await fetch(`${server.url}/media/documents/aa/whatever.pdf`)).status, 404);
  });

  it('crops cards and the social image around the focal point', async () => {
    // A tall picture, blue with a red band near the bottom: centred crops show blue, focal ones red.
    const tall = await sharp({ create: { width: 1000, height: 3000, channels: 3, background: '#1e78c8' } })
      .composite([{ input: { create: { width: 1000, height: 300, channels: 3, background: '#fa1e1e' } }, left: 0, top: 2400 }])
      .png()
      .toBuffer();
    const item = await uploadImage(deps, actor, upload('tower.png', tall), { alt: 'A tower' });
    const centre = async (src: string, width: number, height: number) => {
      const image = await sharp(Buffer.from(await (await fetch(`${server.url}${src}`)).arrayBuffer())).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual([image.info.width, image.info.height], [width, height], src);
      const at = ((height >> 1) * width + (width >> 1)) * 3;
      return [...image.data.subarray(at, at + 3)];
    };
    const isRed = ([r, g, b]: number[]) => r! > 200 && g! < 80 && b! < 80;
    const cardSrc = (p: { srcset: string }) => p.srcset.split(', ').at(-1)!.split(' ')[0]!;
    assert.ok(!isRed(await centre(item.social.src, 1200, 630)), 'centred by default');
    const moved = await editImage(deps, actor, item.id, { alt: 'A tower', focalX: 500, focalY: 850 });
    assert.notEqual(moved.social.src, item.social.src, 'a moved focal point gets new addresses');
    assert.ok(isRed(await centre(moved.social.src, 1200, 630)), 'the social image is centred on the focal point');
    assert.ok(isRed(await centre(cardSrc(moved.card), 640, 427)), 'so is the card');
    assert.equal((await fetch(`${server.url}${item.social.src}`)).status, 404, 'the old crop is gone');
    assert.equal((await fetch(`${server.url}${moved.picture.src}`)).status, 200, 'the whole picture stays');
  });

  it('refuses each bad upload by name and reason, leaving no file and no row', async () => {
    const rows = await imageRows();
    const files = storedFiles().length;
    const html = Buffer.from('<!doctype html><html><script>alert(1)</script></html>');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const cases: [string, Buffer, RegExp, string][] = [
      ['page.jpg', html, /page\.jpg is a web page/, 'unsupported_media_type'],
      ['drawing.svg', svg, /SVG/, 'unsupported_media_type'],
      ['empty.png', Buffer.alloc(0), /empty/, 'invalid_input'],
      ['bomb.png', pngBomb(), /60000×60000.*IMAGE_MAX_MEGAPIXELS/, 'payload_too_large'],
      ['big.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3 * 1024 * 1024)]), /larger than 2 MB/, 'payload_too_large'],
      ['memo.pdf', pdf, /is a PDF/, 'unsupported_media_type'],
      ['broken.jpg', (await phonePhoto(400, 300)).subarray(0, 600), /damaged or incomplete|could not be processed/, 'unsupported_media_type'],
    ];
    for (const [name, bytes, message, code] of cases) {
      await assert.rejects(uploadImage(deps, actor, upload(name, bytes)), (error: unknown) => {
        assert.ok(error instanceof AppError, String(error));
        assert.equal(error.code, code, name);
        assert.match(error.fields.file ?? '', message, name);
        return true;
      });
    }
    assert.equal(await imageRows(), rows);
    assert.equal(storedFiles().length, files);
    assert.deepEqual(filesUnder(path.join(server.config.mediaDir, 'tmp')), [], 'no scratch file is left');
  });

  it('takes a PNG named .pdf as the PNG it is, and a traversal name only as a label', async () => {
    const png = await sharp({ create: { width: 500, height: 400, channels: 4, background: '#336699' } }).png().toBuffer();
    const item = await uploadImage(deps, actor, upload('../../../etc/passwd.pdf', png), { decorative: true });
    assert.equal(item.mediaType, 'image/png');
    assert.equal(item.fileName, '../../../etc/passwd.pdf');
    assert.match(item.originalSrc, /^\/media\/images\/[0-9a-f]{2}\/[0-9a-f]{64}\/original\.png$/);
    assert.deepEqual(item.picture.sources.map((s) => s.type), ['image/avif', 'image/webp']);
    assert.match(item.picture.src, /\.png$/);
    assert.deepEqual(item.picture.srcset.split(', ').map((c) => c.split(' ')[1]), ['320w', '500w']);
    assert.ok(!fs.existsSync(path.join(server.config.mediaDir, '..', 'etc')));
  });

  it('takes every accepted type, judged by content, with renditions browsers read, and refuses HEIC by name', async () => {
    const base = () => sharp({ create: { width: 700, height: 500, channels: 3, background: '#4477aa' } });
    const frame = (colour: string) => sharp({ create: { width: 200, height: 300, channels: 4, background: colour } }).gif().toBuffer();
    const animated = await sharp([await frame('#ff0000'), await frame('#00ff00')], { join: { animated: true } }).gif().toBuffer();
    const cases: [string, Buffer, string, string[], string][] = [
      ['photo.jpg', await base().jpeg().toBuffer(), 'image/jpeg', ['image/avif', 'image/webp'], '.jpg'],
      ['screen.png', await base().png().toBuffer(), 'image/png', ['image/avif', 'image/webp'], '.png'],
      ['web.webp', await base().webp().toBuffer(), 'image/webp', ['image/avif'], '.webp'],
      ['modern.avif', await base().avif().toBuffer(), 'image/avif', ['image/avif', 'image/webp'], '.jpg'],
      ['still.gif', await base().gif().toBuffer(), 'image/gif', ['image/avif', 'image/webp'], '.png'],
      ['moving.gif', animated, 'image/gif', ['image/webp'], '.gif'],
    ];
    for (const [name, bytes, type, sources, fallback] of cases) {
      const item = await uploadImage(deps, actor, upload(name, bytes), { alt: name });
      assert.equal(item.mediaType, type, name);
      assert.deepEqual(item.picture.sources.map((x) => x.type), sources, name);
      assert.ok(item.picture.src.endsWith(fallback), `${name}: ${item.picture.src}`);
      const response = await fetch(`${server.url}${item.picture.src}`);
      assert.equal(response.status, 200, name);
      assert.equal(response.headers.get('content-type'), `image/${fallback === '.jpg' ? 'jpeg' : fallback.slice(1)}`, name);
      if (name === 'moving.gif') {
        const webp = item.picture.sources[0]!.srcset.split(' ')[0]!;
        const meta = await sharp(Buffer.from(await (await fetch(`${server.url}${webp}`)).arrayBuffer()), { animated: true }).metadata();
        assert.equal(meta.pages, 2, 'the animated WebP keeps both frames');
      }
    }
    // An iPhone photo (HEIC): its brand box is enough for the type to be known and refused with a way out.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(4), Buffer.from('mif1heic'), Buffer.alloc(64)]);
    await assert.rejects(uploadImage(deps, actor, upload('IMG_0001.HEIC', heic)), (e: unknown) => e instanceof AppError && e.code === 'unsupported_media_type' && /HEIC.*Export it as JPEG/.test(e.fields.file ?? ''));
  });

  it('replaces a file under new addresses and deletes an unused picture with its files', async () => {
    const item = await uploadImage(deps, actor, upload('first.png', await sharp({ create: { width: 700, height: 700, channels: 3, background: '#ff0000' } }).png().toBuffer()), { alt: 'Red' });
    const replaced = await replaceImage(deps, actor, item.id, upload('second.jpg', await sharp({ create: { width: 800, height: 600, channels: 3, background: '#00ff00' } }).jpeg().toBuffer()));
    assert.equal(replaced.alt, 'Red');
    assert.equal(replaced.mediaType, 'image/jpeg');
    assert.notEqual(replaced.picture.src, item.picture.src);
    assert.equal((await fetch(`${server.url}${item.picture.src}`)).status, 404);
    assert.equal((await fetch(`${server.url}${replaced.picture.src}`)).status, 200);
    const views = await imageViews(server.store.db, [{ id: item.id }]);
    assert.equal(views.get(item.id)?.picture.src, replaced.picture.src);
    await deleteImage(deps, actor, item.id);
    assert.equal((await imageViews(server.store.db, [{ id: item.id }])).size, 0);
    assert.equal((await fetch(`${server.url}${replaced.picture.src}`)).status, 404);
  });
});
