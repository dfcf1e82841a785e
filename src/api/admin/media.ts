// /api/admin/documents and /api/admin/media: uploads (multipart/form-data: text fields first, then the one
// file part named `file`), lists, and the media library's edits, replacement and deletion, through the
// document and image services the /admin screens use. A file that fails any check leaves nothing behind.
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import type { MultipartFile } from '@fastify/multipart';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';
import { listDocuments, staffDocument, uploadDocument, type StoredDocument } from '../../documents/document.service.ts';
import { deleteImage, editImage, getImage, listImages, replaceImage, uploadImage, type ImageEdit } from '../../media/image.service.ts';
import { AppError } from '../../errors.ts';
import type { AdminApiDeps } from './deps.ts';
import * as s from './schemas.ts';

const DOCUMENTS = 'Admin: documents';
const MEDIA = 'Admin: media';

/** Multipart routes: the body is a stream the route reads itself, so its schema only documents it; the path is still checked. */
const multipart = {
  validatorCompiler: ((route) => (route.httpPart === 'body' ? () => true : validatorCompiler(route as FastifyRouteSchemaDef<$ZodType>))) satisfies FastifySchemaCompiler<unknown>,
};

/**
 * Reads a multipart upload: the named text fields, then the file part called `file`, handed to `take`
 * while it streams. An unknown field, a second file or no file at all is a 422 naming the field.
 */
async function readUpload<T>(request: FastifyRequest, accepted: readonly string[], take: (fields: Record<string, string>, file: MultipartFile) => Promise<T>): Promise<T> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'Send the upload as multipart/form-data.', { file: 'send the file as multipart/form-data' });
  const fields: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (!accepted.includes(part.fieldname)) throw new AppError('invalid_input', `This upload takes no field "${part.fieldname}".`, { [part.fieldname]: `unknown field; expected ${[...accepted, 'file'].join(', ')}` });
      fields[part.fieldname] = String(part.value);
      continue;
    }
    if (part.fieldname !== 'file') {
      part.file.resume();
      throw new AppError('invalid_input', `Send the file as the field named "file", not "${part.fieldname}".`, { [part.fieldname]: 'send the file as the field named file' });
    }
    try {
      return await take(fields, part);
    } finally {
      part.file.resume();
    }
  }
  throw new AppError('invalid_input', 'No file was sent.', { file: 'choose the file to upload' });
}

const upload = (part: MultipartFile) => ({ fileName: part.filename, stream: part.file, truncated: () => part.file.truncated });

/** The picture's text fields as a form sends them, checked: a bad one is a 422 naming it. */
function imageFields(form: Record<string, string>): Partial<ImageEdit> {
  const out: Partial<ImageEdit> = {};
  for (const name of ['alt', 'caption', 'credit'] as const) if (form[name] !== undefined) out[name] = form[name];
  if (form.decorative !== undefined) {
    if (form.decorative !== 'true' && form.decorative !== 'false') throw new AppError('invalid_input', 'Some fields need attention.', { decorative: 'expected true or false' });
    out.decorative = form.decorative === 'true';
  }
  for (const name of ['focalX', 'focalY'] as const) {
    const v = form[name];
    if (v === undefined) continue;
    if (!/^[0-9]{1,4}$/.test(v) || Number(v) > 1000) throw new AppError('invalid_input', 'Some fields need attention.', { [name]: 'expected a whole number from 0 to 1000' });
    out[name] = Number(v);
  }
  return out;
}

const withoutPath = ({ absolutePath: _path, ...doc }: StoredDocument & { absolutePath: string }): StoredDocument => doc;

export async function mediaRoutes(parent: FastifyInstance, deps: AdminApiDeps): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { store } = deps;

  // ---- documents ----

  app.get(
    '/documents',
    { schema: { tags: [DOCUMENTS], summary: 'Held documents, newest first', querystring: s.documentListQuery, response: { 200: s.documentListSchema, ...s.refusals() } } },
    async (request) => ({ items: await listDocuments(store, request.account, request.query.q ?? '', request.query.limit ?? 100) }),
  );

  app.post(
    '/documents',
    {
      ...multipart,
      schema: {
        tags: [DOCUMENTS],
        summary: 'Upload a primary document (multipart/form-data: title, then file)',
        description: 'Its SHA-256 is computed from the bytes stored; the type is judged by content. Sources cite it by `documentId`.',
        consumes: ['multipart/form-data'],
        body: s.documentUploadForm,
        response: { 201: s.documentSchema, ...s.refusals(413, 415, 422) },
      },
    },
    async (request, reply) => {
      const stored = await readUpload(request, ['title'], (fields, part) => uploadDocument(store, deps.documents, request.account, { title: fields.title ?? '', ...upload(part) }));
      return reply.code(201).header('location', `/api/admin/documents/${stored.id}`).send(stored);
    },
  );

  app.get(
    '/documents/:id',
    { schema: { tags: [DOCUMENTS], summary: 'One document', params: s.idParams, response: { 200: s.documentSchema, ...s.refusals(404) } } },
    async (request) => withoutPath(await staffDocument(store, deps.documents, request.account, request.params.id)),
  );

  // ---- media library ----

  app.get(
    '/media',
    { schema: { tags: [MEDIA], summary: 'The picture library, newest first, searched by file name, alt text, caption or credit', querystring: s.imageListQuery, response: { 200: s.imageListSchema, ...s.refusals() } } },
    async (request) => {
      const { q, limit, offset } = request.query;
      return { items: await listImages(deps.media, request.account, { contains: q ?? '', ...(limit ? { limit } : {}), ...(offset ? { offset } : {}) }) };
    },
  );

  app.post(
    '/media',
    {
      ...multipart,
      schema: {
        tags: [MEDIA],
        summary: 'Upload a picture (multipart/form-data: alt, decorative, caption, credit, focalX, focalY, then file)',
        description: 'Judged by content and refused whole when any check fails; renditions are made at once. Alt text (or decorative) may come later, but a lead image needs one.',
        consumes: ['multipart/form-data'],
        body: s.imageUploadForm,
        response: { 201: s.imageSchema, ...s.refusals(413, 415, 422) },
      },
    },
    async (request, reply) => {
      const accepted = ['alt', 'decorative', 'caption', 'credit', 'focalX', 'focalY'];
      const image = await readUpload(request, accepted, (fields, part) => uploadImage(deps.media, request.account, upload(part), imageFields(fields)));
      return reply.code(201).header('location', `/api/admin/media/${image.id}`).send(image);
    },
  );

  app.get(
    '/media/:id',
    { schema: { tags: [MEDIA], summary: 'One picture, with the articles that use it', params: s.idParams, response: { 200: s.imageWithUsesSchema, ...s.refusals(404) } } },
    async (request) => getImage(deps.media, request.account, request.params.id),
  );

  app.patch(
    '/media/:id',
    {
      schema: {
        tags: [MEDIA],
        summary: "Change a picture's text or focal point",
        description: 'Fields left out keep their value. A moved focal point makes new card and social files; pages showing the picture change on the next request.',
        params: s.idParams,
        body: s.imageEdit,
        response: { 200: s.imageSchema, ...s.refusals(404, 422) },
      },
    },
    async (request) => {
      const current = await getImage(deps.media, request.account, request.params.id);
      const kept = { alt: current.alt, decorative: current.decorative, caption: current.caption, credit: current.credit, focalX: current.focal.x, focalY: current.focal.y };
      const changed = Object.fromEntries(Object.entries(request.body).filter(([, v]) => v !== undefined));
      return editImage(deps.media, request.account, request.params.id, { ...kept, ...changed });
    },
  );

  app.put(
    '/media/:id/file',
    {
      ...multipart,
      schema: {
        tags: [MEDIA],
        summary: "Replace a picture's file (multipart/form-data: file)",
        description: 'Its text, focal point and the articles’ crops stay; every file address changes.',
        consumes: ['multipart/form-data'],
        params: s.idParams,
        body: s.imageReplaceForm,
        response: { 200: s.imageSchema, ...s.refusals(404, 413, 415, 422) },
      },
    },
    async (request) => {
      await getImage(deps.media, request.account, request.params.id);
      return readUpload(request, [], (_fields, part) => replaceImage(deps.media, request.account, request.params.id, upload(part)));
    },
  );

  app.delete(
    '/media/:id',
    {
      schema: {
        tags: [MEDIA],
        summary: 'Delete a picture no article uses',
        description: 'A picture in use is refused with 409, naming the articles.',
        params: s.idParams,
        response: { 204: s.noContent, ...s.refusals(404, 409) },
      },
    },
    async (request, reply) => {
      await deleteImage(deps.media, request.account, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
