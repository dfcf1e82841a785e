// The newsroom's media library under /admin/media: the grid of pictures (searched, a page at a time, with
// the documents one tab away), uploads (multipart, the CSRF token read as the first field before any
// file; several files are several requests), a picture's screen (text, focal point, crops, where it is
// used, replace, delete) and the JSON the article form's picker and the body editor read. Every rule is
// the image service's; refusals come back next to the field that caused them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { listDocuments, uploadDocument, type DocumentFiles } from '../documents/document.service.ts';
import { AppError } from '../errors.ts';
import { idParam } from '../web/admin/params.ts';
import { can } from '../accounts/permissions.ts';
import { libraryPage, imagePage, type LibraryTab, type PickerItem } from '../web/admin/media.ts';
import { deleteImage, editImage, getImage, listImages, replaceImage, uploadImage, type ImageEdit, type ImageItem, type MediaDeps } from './image.service.ts';

export interface MediaAdminOptions {
  media: MediaDeps;
  /** Where documents go: a PDF dropped into the library is stored as a document, as under Documents. */
  documents: DocumentFiles;
  /** Public paths of the library's script (drag and drop, progress, focal point). */
  script: string;
}

const PER_PAGE = 24;
const PICKER_PAGE = 18;
/** Refusals of an upload, answered next to the file field with their own status. */
const UPLOAD_REFUSALS = new Set(['invalid_input', 'payload_too_large', 'unsupported_media_type']);

const wantsJson = (request: FastifyRequest) => {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
};

const str = (q: unknown, name: string): string => {
  const v = (q as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};
const pageNumber = (text: string) => (/^[1-9][0-9]{0,5}$/.test(text) ? Number(text) : 1);

/** What the picker and the body editor need of a picture. */
function pickerItem(item: ImageItem): PickerItem {
  return {
    id: item.id,
    fileName: item.fileName,
    alt: item.alt,
    decorative: item.decorative,
    caption: item.caption,
    credit: item.credit,
    width: item.width,
    height: item.height,
    src: item.picture.src,
    thumb: { src: item.card.src, srcset: item.card.srcset, width: item.card.width, height: item.card.height },
    editUrl: `/admin/media/${item.id}`,
  };
}

/** Text fields of the upload or edit form, as typed (thousandths for the focal point). */
interface TextFields {
  alt?: string;
  caption?: string;
  credit?: string;
  decorative?: string;
  focal_x?: string;
  focal_y?: string;
}

/** The focal point typed as a percentage (one decimal), in thousandths; undefined keeps the current one. */
function thousandthsOf(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text.trim().replace(',', '.'));
  return Number.isFinite(n) ? Math.round(n * 10) : Number.NaN;
}

function editFrom(form: TextFields, current: { focal: { x: number; y: number } }): ImageEdit {
  return {
    alt: form.alt ?? '',
    caption: form.caption ?? '',
    credit: form.credit ?? '',
    decorative: form.decorative !== undefined && form.decorative !== '',
    focalX: thousandthsOf(form.focal_x) ?? current.focal.x,
    focalY: thousandthsOf(form.focal_y) ?? current.focal.y,
  };
}

/** The service's field names as the form's. */
const FORM_NAMES: Record<string, string> = { focalX: 'focal_x', focalY: 'focal_y', image: 'delete' };
/** The form asks for the focal point in percent (the service counts thousandths): its own words. */
const FORM_MESSAGES: Record<string, string> = {
  focal_x: 'Give a number from 0 to 100: how far from the left edge the subject is, in percent.',
  focal_y: 'Give a number from 0 to 100: how far from the top edge the subject is, in percent.',
};
const formFields = (fields: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [FORM_NAMES[k] ?? k, FORM_MESSAGES[FORM_NAMES[k] ?? k] ?? v]));

const statusOf = (error: AppError) => (error.code === 'invalid_input' ? 422 : error.code === 'payload_too_large' ? 413 : error.code === 'unsupported_media_type' ? 415 : 409);

/** A file the browser says is a PDF (the documents service judges its content again). */
const isPdf = (part: MultipartFile) => part.mimetype === 'application/pdf' || /\.pdf$/i.test(part.filename);

export async function mediaAdminRoutes(app: FastifyInstance, { media, documents, script }: MediaAdminOptions): Promise<void> {
  const maxMegabytes = Math.round(media.settings.maxBytes / 1024 / 1024);

  async function library(request: FastifyRequest, reply: FastifyReply, extra: { fields?: Record<string, string>; status?: number } = {}) {
    const q = str(request.query, 'q').slice(0, 100);
    const tab: LibraryTab = str(request.query, 'type') === 'documents' ? 'documents' : 'images';
    const page = pageNumber(str(request.query, 'page'));
    const common = { csrfToken: request.csrfToken, query: q, maxMegabytes, fields: extra.fields ?? {} };
    let main;
    if (tab === 'documents') {
      const message = str(request.query, 'done') === 'document' ? 'The PDF was stored as a document, byte for byte, with its SHA-256: cite it from an article’s sources.' : '';
      main = libraryPage({ ...common, tab, documents: await listDocuments(media.store, request.account, q), images: [], page: 1, more: false, message });
    } else {
      const found = await listImages(media, request.account, { contains: q, limit: PER_PAGE + 1, offset: (page - 1) * PER_PAGE });
      main = libraryPage({ ...common, tab, images: found.slice(0, PER_PAGE), documents: [], page, more: found.length > PER_PAGE, message: str(request.query, 'done') === 'deleted' ? 'The picture was deleted.' : '' });
    }
    return reply.adminPage({ title: 'Media', nav: 'media', main, scripts: [script], status: extra.status ?? 200 });
  }

  async function itemScreen(request: FastifyRequest, reply: FastifyReply, id: number, extra: { form?: TextFields; fields?: Record<string, string>; message?: string; status?: number } = {}) {
    const item = await getImage(media, request.account, id);
    return reply.adminPage({
      title: `Picture: ${item.fileName}`,
      nav: 'media',
      main: imagePage({ csrfToken: request.csrfToken, item, form: extra.form ?? null, fields: extra.fields ?? {}, message: extra.message ?? '', maxMegabytes, mayReplace: can(request.account, 'media.replace', { ownerId: item.uploadedBy }) }),
      scripts: [script],
      status: extra.status ?? 200,
    });
  }

  /**
   * Reads a multipart upload: text fields (the token first), then one file handed to `take`. A form
   * with no file gets `missing` as the file field's error.
   */
  async function readUpload<T>(request: FastifyRequest, take: (file: MultipartFile, fields: TextFields) => Promise<T>): Promise<{ result: T } | { fields: TextFields; missing: true }> {
    const fields: Record<string, string> = {};
    let tokenSeen = false;
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === '_csrf') {
          request.verifyCsrf(part.value);
          tokenSeen = true;
        } else if (['alt', 'caption', 'credit', 'decorative', 'focal_x', 'focal_y'].includes(part.fieldname)) fields[part.fieldname] = String(part.value);
        continue;
      }
      if (!tokenSeen) request.verifyCsrf(request.headers['x-csrf-token']);
      tokenSeen = true;
      if (part.fieldname !== 'file') {
        part.file.resume();
        continue;
      }
      try {
        return { result: await take(part, fields) };
      } finally {
        // Whatever the service did not read (a refusal before the end) is drained, so the answer can go out.
        part.file.resume();
      }
    }
    if (!tokenSeen) request.verifyCsrf(request.headers['x-csrf-token']);
    return { fields, missing: true };
  }

  const asUpload = (part: MultipartFile) => ({ fileName: part.filename, stream: part.file, truncated: () => part.file.truncated });

  // ---- the library ----

  app.get('/media', async (request, reply) => library(request, reply));

  app.get('/media.json', async (request, reply) => {
    const q = str(request.query, 'q').slice(0, 100);
    const page = pageNumber(str(request.query, 'page'));
    const found = await listImages(media, request.account, { contains: q, limit: PICKER_PAGE + 1, offset: (page - 1) * PICKER_PAGE });
    return reply.header('cache-control', 'no-store').send({ images: found.slice(0, PICKER_PAGE).map(pickerItem), page, more: found.length > PICKER_PAGE });
  });

  app.post('/media', { config: { upload: true } }, async (request, reply) => {
    let read;
    try {
      read = await readUpload(request, async (part, fields) =>
        isPdf(part)
          ? { document: await uploadDocument(media.store, documents, request.account, { title: '', ...asUpload(part) }) }
          : { image: await uploadImage(media, request.account, asUpload(part), { alt: fields.alt ?? '', caption: fields.caption ?? '', credit: fields.credit ?? '', decorative: !!fields.decorative }) },
      );
    } catch (error) {
      if (!(error instanceof AppError) || !UPLOAD_REFUSALS.has(error.code) || wantsJson(request)) throw error;
      return library(request, reply, { fields: { ...error.fields }, status: statusOf(error) });
    }
    if ('missing' in read) {
      const error = new AppError('invalid_input', 'Choose a file.', { file: 'Choose the picture to upload.' });
      if (wantsJson(request)) throw error;
      return library(request, reply, { fields: { ...error.fields }, status: 422 });
    }
    if ('document' in read.result) {
      const document = read.result.document;
      if (wantsJson(request)) return reply.code(201).header('cache-control', 'no-store').send({ document });
      return reply.redirect('/admin/media?type=documents&done=document', 303);
    }
    const item = read.result.image;
    if (wantsJson(request)) return reply.code(201).header('cache-control', 'no-store').send({ image: pickerItem(item) });
    return reply.redirect(`/admin/media/${item.id}?done=uploaded`, 303);
  });

  // ---- one picture ----

  const MESSAGES: Record<string, string> = { uploaded: 'Uploaded. Describe the picture for readers who cannot see it, and give its caption and credit.', saved: 'Saved.', replaced: 'The file was replaced. Pages that show the picture now show the new one.' };

  app.get<{ Params: { id: string } }>('/media/:id', async (request, reply) => {
    const id = idParam(request.params.id);
    if (wantsJson(request)) return reply.header('cache-control', 'no-store').send({ image: pickerItem(await getImage(media, request.account, id)) });
    return itemScreen(request, reply, id, { message: MESSAGES[str(request.query, 'done')] ?? '' });
  });

  app.post<{ Params: { id: string } }>('/media/:id', async (request, reply) => {
    const id = idParam(request.params.id);
    const form = (request.body ?? {}) as TextFields;
    const current = await getImage(media, request.account, id);
    let saved: ImageItem;
    try {
      saved = await editImage(media, request.account, id, editFrom(form, current));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid_input' || wantsJson(request)) throw error;
      return itemScreen(request, reply, id, { form, fields: formFields(error.fields), status: 422 });
    }
    if (wantsJson(request)) return reply.header('cache-control', 'no-store').send({ image: pickerItem(saved) });
    return reply.redirect(`/admin/media/${id}?done=saved`, 303);
  });

  app.post<{ Params: { id: string } }>('/media/:id/replace', { config: { upload: true } }, async (request, reply) => {
    const id = idParam(request.params.id);
    let read;
    try {
      read = await readUpload(request, (part) => replaceImage(media, request.account, id, asUpload(part)));
    } catch (error) {
      if (!(error instanceof AppError) || !UPLOAD_REFUSALS.has(error.code) || wantsJson(request)) throw error;
      return itemScreen(request, reply, id, { fields: { replace: error.fields.file ?? error.message }, status: statusOf(error) });
    }
    if ('missing' in read) {
      if (wantsJson(request)) throw new AppError('invalid_input', 'Choose a file.', { file: 'Choose the new file.' });
      return itemScreen(request, reply, id, { fields: { replace: 'Choose the new file.' }, status: 422 });
    }
    if (wantsJson(request)) return reply.header('cache-control', 'no-store').send({ image: pickerItem(read.result) });
    return reply.redirect(`/admin/media/${id}?done=replaced`, 303);
  });

  app.post<{ Params: { id: string } }>('/media/:id/delete', async (request, reply) => {
    const id = idParam(request.params.id);
    try {
      await deleteImage(media, request.account, id);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'conflict' || wantsJson(request)) throw error;
      return itemScreen(request, reply, id, { fields: formFields(error.fields), status: 409 });
    }
    if (wantsJson(request)) return reply.code(204).send();
    return reply.redirect('/admin/media?done=deleted', 303);
  });
}
