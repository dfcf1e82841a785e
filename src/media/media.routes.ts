// GET /media/<key>: the files of the media library's pictures (renditions and originals). Every name
// carries the SHA-256 of the original and a key of its crop, so a name never changes meaning: answers are
// cacheable for a year by browsers and a CDN. Only Gazette's own key shapes are looked up.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { isKey, type MediaStorage } from './media.storage.ts';

const TYPES: Readonly<Record<string, string>> = { avif: 'image/avif', webp: 'image/webp', jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif' };
/** images/ab/<sha256>/<name>.<ext> */
const PICTURE_KEY = /^images\/[0-9a-f]{2}\/[0-9a-f]{64}\/[a-z0-9-]+\.(avif|webp|jpg|png|gif)$/;

export async function mediaRoutes(app: FastifyInstance, { storage }: { storage: MediaStorage }): Promise<void> {
  app.get<{ Params: { '*': string } }>('/media/*', async (request, reply) => {
    const name = request.params['*'];
    const match = PICTURE_KEY.exec(name);
    if (!match || !isKey(name)) throw new AppError('not_found', 'There is no such file.');
    const etag = `"${name.slice(name.lastIndexOf('/', name.lastIndexOf('/') - 1) + 1).replace('/', '-')}"`;
    if (request.headers['if-none-match'] === etag) return reply.code(304).header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable').send();
    const file = await storage.get(name);
    if (!file) throw new AppError('not_found', 'There is no such file.');
    reply
      .type(TYPES[match[1]!]!)
      .header('content-length', String(file.size))
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox");
    return reply.send(file.stream());
  });
}
