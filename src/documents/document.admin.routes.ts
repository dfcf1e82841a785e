// The newsroom's documents: upload (multipart, the CSRF token read as the first field before any file),
// the list with hashes, and staff downloads of any held file.
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { AppError } from '../errors.ts';
import { idParam } from '../web/admin/params.ts';
import type { Store } from '../db/store.ts';
import { documentsPage } from '../web/admin/documents.ts';
import { listDocuments, staffDocument, uploadDocument, type DocumentFiles, type StoredDocument } from './document.service.ts';
import { contentDisposition } from './document.routes.ts';

export interface DocumentAdminOptions {
  store: Store;
  files: DocumentFiles;
}

export async function documentAdminRoutes(app: FastifyInstance, { store, files }: DocumentAdminOptions): Promise<void> {
  async function page(request: FastifyRequest, reply: FastifyReply, extra: { query?: string; title?: string; fields?: Record<string, string>; uploaded?: StoredDocument }, status = 200) {
    const query = extra.query ?? '';
    return reply.adminPage({
      title: 'Documents',
      nav: 'documents',
      status,
      main: documentsPage({
        csrfToken: request.csrfToken,
        documents: await listDocuments(store, request.account, query),
        query,
        maxMegabytes: Math.round(files.maxBytes / 1024 / 1024),
        upload: { title: extra.title ?? '', fields: extra.fields ?? {} },
        ...(extra.uploaded ? { uploaded: extra.uploaded } : {}),
      }),
    });
  }

  app.get<{ Querystring: { q?: string } }>('/documents', async (request, reply) => page(request, reply, { query: typeof request.query.q === 'string' ? request.query.q : '' }));

  app.post('/documents', { config: { upload: true } }, async (request, reply) => {
    let title = '';
    let tokenSeen = false;
    let file: MultipartFile | null = null;
    // Fields arrive in form order: _csrf and title before the file.
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === '_csrf') {
          request.verifyCsrf(part.value);
          tokenSeen = true;
        } else if (part.fieldname === 'title') title = String(part.value);
        continue;
      }
      if (!tokenSeen) request.verifyCsrf(undefined);
      if (part.fieldname !== 'file' || file) {
        part.file.resume();
        continue;
      }
      file = part;
      try {
        const uploaded = await uploadDocument(store, files, request.account, { title, fileName: part.filename, stream: part.file, truncated: () => part.file.truncated });
        return page(request, reply, { uploaded });
      } catch (error) {
        part.file.resume();
        if (!(error instanceof AppError) || !['invalid_input', 'payload_too_large', 'unsupported_media_type'].includes(error.code)) throw error;
        return page(request, reply, { title, fields: { ...error.fields } }, error.code === 'invalid_input' ? 422 : error.code === 'payload_too_large' ? 413 : 415);
      }
    }
    if (!tokenSeen) request.verifyCsrf(undefined);
    return page(request, reply, { title, fields: { file: 'Choose the file to upload.' } }, 422);
  });

  app.get<{ Params: { id: string } }>('/documents/:id/file', async (request, reply) => {
    const doc = await staffDocument(store, files, request.account, idParam(request.params.id));
    reply.header('content-disposition', contentDisposition(doc.fileName, doc.id));
    reply.header('content-security-policy', 'sandbox');
    return reply.type(doc.mediaType).header('content-length', String(doc.sizeBytes)).send(fs.createReadStream(doc.absolutePath));
  });
}
