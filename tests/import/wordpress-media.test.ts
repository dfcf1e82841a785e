// `gazette import wordpress --uploads DIR` (decision 0030): attachments into the media library through the
// real pipeline, featured images as lead images, content pictures as library figures shown on the page
// over HTTP, missing files reported and recorded, idempotent, and a rolled-back import leaving no file.
// Real pictures: tests/fixtures/wordpress/uploads/ (see its README), referred to by media-export.xml.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { importWordpress } from '../../src/import/wordpress.import.ts';
import { localStorage } from '../../src/media/media.storage.ts';
import { allKeys, parseRenditions } from '../../src/media/image.renditions.ts';
import { runCli, type TestServer } from '../helpers/server.ts';
import { FIXTURES, countRows, importServer } from './helpers.ts';

const EXPORT = path.join(FIXTURES, 'media-export.xml');
const UPLOADS = path.join(FIXTURES, 'uploads');
const LOST = 'https://media.example/wp-content/uploads/2019/05/lost.jpg';

/** Every stored file under MEDIA_DIR (scratch space left out), relative. */
function storedFiles(server: TestServer): string[] {
  const dir = server.config.mediaDir;
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => !f.startsWith('tmp') && fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

const count = (server: TestServer, table: 'media_images' | 'import_map' | 'articles' | 'article_images') => countRows(server, table);

async function mapped(server: TestServer, kind: string): Promise<Record<string, number>> {
  const rows = await server.store.db.selectFrom('import_map').select(['wp_id', 'gazette_id']).where('kind', '=', kind).execute();
  return Object.fromEntries(rows.map((r) => [r.wp_id, Number(r.gazette_id)]));
}

describe('WordPress import: media from --uploads', () => {
  let server: TestServer;
  importServer((s) => (server = s));

  it('--dry-run checks the files and stores none', async () => {
    const r = await runCli(server, ['import', 'wordpress', EXPORT, '--uploads', UPLOADS, '--dry-run']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /attachment: 3 imported, 0 updated, 2 skipped, 0 failed/);
    assert.equal(await count(server, 'media_images'), 0);
    assert.equal(await count(server, 'import_map'), 0);
    assert.deepEqual(storedFiles(server), []);
  });

  it('refuses an --uploads that is not a folder', async () => {
    const r = await runCli(server, ['import', 'wordpress', EXPORT, '--uploads', path.join(UPLOADS, 'nowhere')]);
    assert.equal(r.code, 64, r.stderr);
    assert.match(r.stderr, /--uploads: .*nowhere is not a folder/);
  });

  it('imports attachments through the image pipeline, with their alt text and captions, and records what each became', async () => {
    const r = await runCli(server, ['import', 'wordpress', EXPORT, '--uploads', UPLOADS]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /post: 3 imported/);
    assert.match(r.stdout, /attachment: 3 imported, 0 updated, 2 skipped, 0 failed/);
    assert.match(r.stdout, /featured image: 2 imported, 0 updated, 1 skipped, 0 failed/);
    // The missing file, with its reason, once for the content that names it and once for its attachment.
    assert.match(r.stdout, /content picture 2019\/05\/lost\.jpg: skipped: https:\/\/media\.example\/wp-content\/uploads\/2019\/05\/lost\.jpg: 2019\/05\/lost\.jpg is not in .*uploads; content keeps its original address/);
    assert.match(r.stdout, /attachment 13: skipped: .*lost\.jpg: 2019\/05\/lost\.jpg is not in/);
    assert.match(r.stdout, /attachment 14: skipped: .*foghorn\.mp3: not a picture/);
    assert.match(r.stdout, /Notes:\n {2}post 3: featured image \(attachment 12\) has no alt text: marked decorative/);

    const images = await server.store.db.selectFrom('media_images').selectAll().orderBy('file_name').execute();
    assert.deepEqual(
      images.map((i) => [i.file_name, i.media_type, i.width, i.height, i.alt, i.caption, i.decorative]),
      [
        ['dunes.jpg', 'image/jpeg', 480, 320, '', '', 1],
        ['gull.png', 'image/png', 400, 300, 'A gull in flight', 'A gull over the pier', 0],
        // First taken in through the post's size variant (harbour-300x200.jpg), from the full-size file.
        ['harbour.jpg', 'image/jpeg', 640, 427, 'Fishing boats in the harbour at dawn', 'Fishing boats leave the harbour at dawn', 0],
      ],
    );
    // Every rendition the plan names is on disk, and the original.
    for (const image of images) {
      for (const key of [image.original_path, ...allKeys(parseRenditions(image.renditions))]) assert.ok(fs.existsSync(path.join(server.config.mediaDir, key)), key);
    }
    const id = (name: string) => Number(images.find((i) => i.file_name === name)!.id);
    assert.deepEqual(await mapped(server, 'attachment'), { '10': id('harbour.jpg'), '11': id('gull.png'), '12': id('dunes.jpg') });
    assert.deepEqual(await mapped(server, 'upload'), { '2020/01/harbour.jpg': id('harbour.jpg'), '2020/02/gull.png': id('gull.png'), '2020/03/dunes.jpg': id('dunes.jpg') });
    assert.deepEqual(await mapped(server, 'missing-media'), { [LOST]: 13 });

    // Lead images: from the library (the featured attachment came later in the file), or the original address.
    const articles = await server.store.db.selectFrom('articles').select(['slug', 'lead_image_id', 'image_url', 'image_alt', 'updated_at', 'published_at']).orderBy('slug').execute();
    assert.deepEqual(
      articles.map((a) => [a.slug, a.lead_image_id === null ? null : Number(a.lead_image_id), a.image_url, a.image_alt]),
      [
        ['dawn-at-the-harbour', id('harbour.jpg'), null, ''],
        ['the-dunes', id('dunes.jpg'), null, ''],
        ['the-old-lighthouse', null, LOST, 'The old lighthouse'],
      ],
    );
    // Resolving at the end does not make an archive's articles look updated today.
    for (const a of articles) assert.equal(a.updated_at, a.published_at, a.slug);
  });

  it('shows the lead picture and the body pictures from the library on the article page', async () => {
    const response = await fetch(`${server.url}/harbour/dawn-at-the-harbour`);
    assert.equal(response.status, 200);
    const page = await response.text();
    // The body: from its first words to its last picture (listings of other articles follow it).
    const body = page.slice(page.indexOf('The boats went out early'), page.indexOf('alt="The old lighthouse"') + 30);
    // Inline size variant, [caption], and the [gallery] of two (its attachments came later in the file).
    const pictures = [...body.matchAll(/<picture>[\s\S]*?<\/picture>/g)].map((m) => m[0]);
    assert.equal(pictures.length, 4, body);
    assert.match(pictures[0]!, /srcset="[^"]*\/media\/images\/[0-9a-f]{2}\/[0-9a-f]{64}\/full-640\.avif 640w/);
    assert.match(pictures[0]!, /alt="Fishing boats in the harbour at dawn"/);
    assert.match(pictures[1]!, /alt="A gull over the pier"/);
    assert.match(body, /<figcaption>The gull that follows the boats<\/figcaption>/);
    // The lead picture before the body, described.
    assert.match(page.slice(0, page.indexOf('The boats went out early')), /<picture>[\s\S]*alt="Fishing boats in the harbour at dawn"[\s\S]*fetchpriority="high"/);
    // Files the page names are served.
    const src = /<img src="(\/media\/images\/[^"]+)"/.exec(pictures[2]!)![1]!;
    const file = await fetch(`${server.url}${src}`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'image/png');
    // Embeds are links; the missing picture keeps its original address; no shortcode text, no frame.
    assert.match(body, /<a href="https:\/\/www\.youtube\.com\/watch\?v=harbour123"/);
    assert.match(body, /<a href="https:\/\/vimeo\.com\/76979871"/);
    assert.match(body, /<a href="https:\/\/media\.example\/wp-content\/uploads\/2020\/01\/foghorn\.mp3"[^>]*>[^<]*<\/a>\s*<figcaption>Foghorn<\/figcaption>/);
    assert.match(body, new RegExp(`<img src="${LOST.replace(/[.]/g, '\\.')}" alt="The old lighthouse"`));
    assert.doesNotMatch(body, /\[\/?(gallery|caption|embed|audio|playlist)\b|<iframe|<script(?! type="application\/ld\+json")/);
    // The article records the pictures its body shows (the library's "used in").
    assert.equal(await count(server, 'article_images'), 3);

    const lighthouse = await (await fetch(`${server.url}/harbour/the-old-lighthouse`)).text();
    assert.match(lighthouse, new RegExp(`<img src="${LOST.replace(/[.]/g, '\\.')}" alt="The old lighthouse">`));
  });

  it('a second import adds no media, no file and no row', async () => {
    const files = storedFiles(server);
    const rows = [await count(server, 'media_images'), await count(server, 'import_map'), await count(server, 'article_images')];
    const r = await runCli(server, ['import', 'wordpress', EXPORT, '--uploads', UPLOADS]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /attachment: 0 imported, 3 updated, 2 skipped, 0 failed/);
    assert.match(r.stdout, /featured image: 0 imported, 2 updated, 1 skipped/);
    assert.deepEqual([await count(server, 'media_images'), await count(server, 'import_map'), await count(server, 'article_images')], rows);
    assert.deepEqual(storedFiles(server), files);
  });
});

describe('WordPress import: media in an import that fails', () => {
  let server: TestServer;
  importServer((s) => (server = s));

  it('a fatal error rolls back the rows and removes the files stored on the way', async () => {
    let storedBeforeFailure = 0;
    await assert.rejects(
      importWordpress(server.store, EXPORT, {
        dryRun: false,
        skipPingbacks: false,
        secret: 'test-secret',
        uploads: UPLOADS,
        media: { storage: localStorage(server.config.mediaDir), settings: server.config.images },
        onProgress: (p) => {
          // The whole file has been read and written: fail before the import commits.
          if (p.bytesRead < p.totalBytes) return;
          storedBeforeFailure = storedFiles(server).length;
          throw new Error('the disk is full');
        },
      }),
      /the disk is full/,
    );
    assert.ok(storedBeforeFailure > 10, `pictures were stored before the failure (${storedBeforeFailure} files)`);
    assert.deepEqual(storedFiles(server), []);
    assert.equal(await count(server, 'media_images'), 0);
    assert.equal(await count(server, 'import_map'), 0);
    assert.equal(await count(server, 'articles'), 0);
  });
});

describe('WordPress import: the theme unit test data without --uploads', () => {
  let server: TestServer;
  importServer((s) => (server = s));

  it('reports its 37 attachments as not imported, each with its reason and address, and stores nothing', async () => {
    const r = await runCli(server, ['import', 'wordpress', path.join(FIXTURES, 'theme-unit-test-data.xml')]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /attachment: 0 imported, 0 updated, 37 skipped, 0 failed/);
    assert.equal([...r.stdout.matchAll(/^ {2}attachment \d+: skipped: https:\/\/wpthemetestdata\.files\.wordpress\.com\/\S+: no --uploads folder was given/gm)].length, 35);
    assert.equal([...r.stdout.matchAll(/^ {2}attachment \d+: skipped: \S+\.(mp3|mov): not a picture/gm)].length, 2);
    assert.match(r.stdout, /featured image: 0 imported, 0 updated, 6 skipped, 0 failed/);
    assert.equal(await count(server, 'media_images'), 0);
    assert.equal(Object.keys(await mapped(server, 'missing-media')).length, 35);
    assert.deepEqual(storedFiles(server), []);
    // No body keeps a media shortcode as text.
    const bodies = await server.store.db.selectFrom('articles').select(['slug', 'body']).execute();
    for (const b of bodies) assert.doesNotMatch(b.body, /\[\/?(gallery|caption|embed|audio|video|playlist)\b/, b.slug);
  });
});
