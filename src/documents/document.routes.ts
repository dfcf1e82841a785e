// GET /documents/<id>/<name>: a primary document for readers, once a published article cites it; served
// byte for byte as stored, so its SHA-256 matches the one the article shows.
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import type { Store } from '../db/store.ts';
import { downloadName, publicDocument, type DocumentFiles } from './document.service.ts';

/** A Content-Disposition that downloads under the uploaded name (ASCII fallback plus RFC 5987 UTF-8). */
export function contentDisposition(fileName: string, id: number): string {
  const name = downloadName(fileName, id);
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function documentRoutes(app: FastifyInstance, { store, files }: { store: Store; files: DocumentFiles }): Promise<void> {
  app.get<{ Params: { id: string; name: string } }>('/documents/:id/:name', async (request, reply) => {
    if (!/^[1-9][0-9]{0,15}$/.test(request.params.id)) throw new AppError('not_found', 'There is no such document.');
    const doc = await publicDocument(store, files, Number(request.params.id));
    const etag = `"${doc.sha256}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=3600').header('content-disposition', contentDisposition(doc.fileName, doc.id));
    // Whatever the file holds, it never runs as a page of this site.
    reply.header('content-security-policy', 'sandbox');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(doc.mediaType).header('content-length', String(doc.sizeBytes)).send(fs.createReadStream(doc.absolutePath));
  });
}
