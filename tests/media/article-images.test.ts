// Articles using library pictures: a lead image must say what it shows (or be marked decorative), its
// crop for the article is kept, body images are recorded, and the library knows where each is used and
// refuses to delete a picture in use.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Account } from '../../src/accounts/permissions.ts';
import { articleImageUsage } from '../../src/articles/article.images.ts';
import { createDraft, getEditable, saveArticle } from '../../src/articles/article.workflow.ts';
import { createArticle } from '../../src/articles/article.service.ts';
import { AppError } from '../../src/errors.ts';
import { deleteImage, editImage, getImage, uploadImage, type MediaDeps } from '../../src/media/image.service.ts';
import { localStorage } from '../../src/media/media.storage.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { account, draft } from '../newsroom/helpers.ts';

const png = (colour: string) => sharp({ create: { width: 900, height: 600, channels: 3, background: colour } }).png().toBuffer();
const upload = async (name: string, colour: string) => ({ fileName: name, stream: Readable.from([await png(colour)]), truncated: () => false });

describe('articles with library pictures', () => {
  let server: TestServer;
  let deps: MediaDeps;
  let editor: Account;
  before(async () => {
    server = await startTestServer();
    deps = { store: server.store, storage: localStorage(server.config.mediaDir), settings: server.config.images, usage: articleImageUsage };
    editor = await account(server, 'editor');
  });
  after(() => server.close());

  it('refuses a lead image without alt text, then keeps it with its crop once described', async () => {
    const picture = await uploadImage(deps, editor, await upload('harbour.png', '#2266aa'));
    await assert.rejects(createDraft(server.store, editor, draft('Lead without alt', { leadImageId: picture.id })), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.match(e.fields.leadImageId ?? '', /no alt text/);
      return true;
    });
    await assert.rejects(createDraft(server.store, editor, draft('Lead missing', { leadImageId: 999999 })), (e: unknown) => e instanceof AppError && /no longer in the media library/.test(e.fields.leadImageId ?? ''));
    await assert.rejects(createDraft(server.store, editor, draft('Crop outside', { leadImageId: picture.id, leadImageCrop: { x: 600, y: 0, w: 600, h: 500 } })), (e: unknown) => e instanceof AppError && /inside the picture/.test(e.fields['leadImageCrop'] ?? JSON.stringify(e.fields)));
    await editImage(deps, editor, picture.id, { alt: 'The harbour at dawn' });
    const made = await createDraft(server.store, editor, draft('Lead with alt', { leadImageId: picture.id, leadImageCrop: { x: 100, y: 50, w: 500, h: 400 } }));
    const read = await getEditable(server.store, editor, made.id);
    assert.equal(read.draft.leadImageId, picture.id);
    assert.deepEqual(read.draft.leadImageCrop, { x: 100, y: 50, w: 500, h: 400 });
    assert.deepEqual(await articleImageUsage.crops(server.store.db, picture.id), [{ x: 100, y: 50, w: 500, h: 400 }]);
    const decorative = await uploadImage(deps, editor, await upload('texture.png', '#cccccc'), { decorative: true });
    const saved = await saveArticle(server.store, editor, made.id, read.version, { ...read.draft, leadImageId: decorative.id, leadImageCrop: null });
    assert.equal(saved.draft.leadImageId, decorative.id);
    assert.deepEqual((await getImage(deps, editor, picture.id)).uses, [], 'no longer used once replaced as lead');
  });

  it('records body pictures, lists where a picture is used and refuses deleting it', async () => {
    const picture = await uploadImage(deps, editor, await upload('crowd.png', '#aa3322'), { alt: 'A crowd in the square' });
    const body = `<p>Before.</p><figure class="body-image"><img src="${picture.picture.src}" alt="The crowd" data-media-id="${picture.id}"><figcaption>Caption</figcaption></figure><p>After <img src="https://example.org/x.png" alt="x" data-media-id="888888"></p>`;
    const { id } = await createArticle(server.store, { section: 'news', headline: 'Body picture story', body, bodyFormat: 'html', leadImageId: picture.id });
    const item = await getImage(deps, editor, picture.id);
    assert.deepEqual(item.uses.map((u) => [u.articleId, u.headline, u.as]), [[id, 'Body picture story', ['lead', 'body']]]);
    await assert.rejects(deleteImage(deps, editor, picture.id), (e: unknown) => e instanceof AppError && e.code === 'conflict' && /Body picture story/.test(e.fields.image ?? ''));
    assert.equal((await server.store.db.selectFrom('article_images').selectAll().where('article_id', '=', id).execute()).length, 1, 'an unknown id is not recorded');
  });
});
