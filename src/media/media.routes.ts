// GET /media/<key>: the files of the media library's pictures (renditions and originals). Every name
// carries the SHA-256 of the original and a key of its crop, so a name never changes meaning: answers are
// cacheable for a year by browsers and a CDN. Only Gazette's own key shapes are looked up.
import type { FastifyInstance } from 'fastify';
import { cardsFor } from '../articles/article.service.ts';
import type { Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import type { Site } from '../web/site.ts';
import { isKey, type MediaStorage } from './media.storage.ts';
import { cardHash, cardKey, cardPath, ensureCard } from './social-card.ts';

const TYPES: Readonly<Record<string, string>> = { avif: 'image/avif', webp: 'image/webp', jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif' };
/** images/ab/<sha256>/<name>.<ext> */
const PICTURE_KEY = /^images\/[0-9a-f]{2}\/[0-9a-f]{64}\/[a-z0-9-]+\.(avif|webp|jpg|png|gif)$/;

export interface MediaRoutesOptions {
  storage: MediaStorage;
  store: Store;
  /** The site's name and the theme's colours, drawn on generated social cards. */
  site: Pick<Site, 'name' | 'theme'>;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

export async function mediaRoutes(app: FastifyInstance, { storage, store, site }: MediaRoutesOptions): Promise<void> {
  // A published article's generated social card (src/media/social-card.ts): made when it is first asked
  // for (pages only name it), and answered only while the article is published. An address whose headline,
  // site name or colours have changed since is sent on to the current card.
  app.get<{ Params: { id: string; file: string } }>('/media/cards/:id/:file', async (request, reply) => {
    const { id, file } = request.params;
    const match = /^([0-9a-f]{24})\.png$/.exec(file);
    if (!/^[1-9]\d{0,9}$/.test(id) || !match) throw new AppError('not_found', 'There is no such file.');
    const [article] = await cardsFor(store.db, [Number(id)]);
    if (!article) throw new AppError('not_found', 'There is no such file.');
    const text = { headline: article.headline, language: article.language, siteName: site.name };
    const colours = site.theme.colours;
    const hash = cardHash(text, colours);
    // Not cached for long: the article may be unpublished or retitled.
    if (hash !== match[1]) return reply.header('cache-control', 'public, max-age=300').redirect(cardPath(article.id, hash), 301);
    await ensureCard(storage, hash, text, colours);
    const stored = await storage.get(cardKey(hash));
    if (!stored) throw new AppError('not_found', 'There is no such file.');
    reply
      .type('image/png')
      .header('content-length', String(stored.size))
      .header('cache-control', 'public, max-age=86400')
      .header('etag', `"${hash}"`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox");
    return reply.send(stored.stream());
  });

  app.get<{ Params: { '*': string } }>('/media/*', async (request, reply) => {
    const name = request.params['*'];
    const match = PICTURE_KEY.exec(name);
    if (!match || !isKey(name)) throw new AppError('not_found', 'There is no such file.');
    const etag = `"${name.slice(name.lastIndexOf('/', name.lastIndexOf('/') - 1) + 1).replace('/', '-')}"`;
    if (request.headers['if-none-match'] === etag) return reply.code(304).header('etag', etag).header('cache-control', IMMUTABLE).send();
    const file = await storage.get(name);
    if (!file) throw new AppError('not_found', 'There is no such file.');
    reply
      .type(TYPES[match[1]!]!)
      .header('content-length', String(file.size))
      .header('cache-control', IMMUTABLE)
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox");
    return reply.send(file.stream());
  });
}
