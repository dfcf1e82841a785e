// The media library's pictures: upload (judged by content, refused whole when any check fails), the
// editorial text every use starts from (alt or decorative, caption, credit), the focal point automatic
// crops keep, replacing the file, deleting an unused picture, and what pages need to show one
// (<picture> sources, card, social image). Which articles use a picture is the articles capability's
// knowledge, asked through ImageUsage; pages that show a picture record its change key, so an edit or a
// replaced file reaches them without the library knowing which they are.
import type { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { ImageSettings } from '../config.ts';
import { ensureCan, type Account } from '../accounts/permissions.ts';
import { recordAudit } from '../accounts/audit.service.ts';
import { key } from '../db/change-keys.ts';
import type { Db, Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { escapeHtml } from '../lib/html.ts';
import { imageJob, imageTypeOf, inspectImage, makeRenditions, ORIGINAL_EXTENSIONS, privateOriginal } from './image.pipeline.ts';
import {
  allKeys,
  cardFormats,
  cropSet,
  FORMAT_TYPES,
  parseRenditions,
  planRenditions,
  socialKey,
  srcset,
  type CropBox,
  type FocalPoint,
  type OutputFormat,
  type RenditionSet,
  type Renditions,
} from './image.renditions.ts';
import type { MediaStorage } from './media.storage.ts';
import * as repo from './image.repository.ts';
import { recordEvent } from '../webhooks/webhook.events.ts';

export type { CropBox, FocalPoint } from './image.renditions.ts';

/** An article that shows a picture, for the library's "used in" list. */
export interface ImageUse {
  articleId: number;
  headline: string;
  status: string;
  /** As lead image, in the body, or both. */
  as: ('lead' | 'body')[];
}

/** What the articles capability tells the library (wired in app.ts and the CLI). */
export interface ImageUsage {
  uses(db: Db, imageId: number): Promise<ImageUse[]>;
  /** Editors' crops of the picture that articles use (kept through a replacement or regeneration). */
  crops(db: Db, imageId: number): Promise<CropBox[]>;
}

export interface MediaDeps {
  store: Store;
  storage: MediaStorage;
  settings: ImageSettings;
  usage: ImageUsage;
}

/** One format's files for <source srcset>. */
export interface PictureSource {
  type: string;
  srcset: string;
}

/** Everything a <picture> needs: sources best first, the fallback <img>, and its intrinsic size. */
export interface Picture {
  sources: PictureSource[];
  src: string;
  srcset: string;
  width: number;
  height: number;
}

/** A picture as pages show it. Addresses are paths (/media/…); pages add the site's origin where needed. */
export interface ImageView {
  id: number;
  alt: string;
  decorative: boolean;
  caption: string;
  credit: string;
  /** The whole picture, or the article's crop of it. */
  picture: Picture;
  /** 3:2 around the focal point, for listings. */
  card: Picture;
  social: { src: string; width: number; height: number };
}

/** A picture as the newsroom's library shows it. */
export interface ImageItem extends ImageView {
  fileName: string;
  mediaType: string;
  width: number;
  height: number;
  sizeBytes: number;
  sha256: string;
  focal: FocalPoint;
  metadataKept: boolean;
  /** The account that uploaded it (null when that account is gone). */
  uploadedBy: number | null;
  createdAt: string;
  updatedAt: string;
  /** The stored original (location and serials removed unless the site keeps metadata). */
  originalSrc: string;
}

export const MEDIA_PREFIX = '/media/';

function pictureOf(r: Renditions, kind: 'full' | 'card' | 'crop', set: RenditionSet): Picture {
  const formats: OutputFormat[] = kind === 'card' ? cardFormats(r) : r.formats;
  const fallback = formats[formats.length - 1]!;
  const middle = set.widths.find((w) => w >= 960) ?? set.widths[set.widths.length - 1]!;
  return {
    sources: formats.slice(0, -1).map((f) => ({ type: FORMAT_TYPES[f], srcset: srcset(r, kind, set, f, MEDIA_PREFIX) })),
    src: `${MEDIA_PREFIX}${r.folder}/${kind === 'full' ? `full-${middle}` : `${kind}-${set.key}-${middle}`}.${fallback === 'jpeg' ? 'jpg' : fallback}`,
    srcset: srcset(r, kind, set, fallback, MEDIA_PREFIX),
    width: set.width,
    height: set.height,
  };
}

function viewOf(row: repo.ImageRow, crop: CropBox | null = null): ImageView {
  const r = parseRenditions(row.renditions);
  const cropped = crop ? r.crops.find((c) => c.box.x === crop.x && c.box.y === crop.y && c.box.w === crop.w && c.box.h === crop.h) : undefined;
  return {
    id: Number(row.id),
    alt: row.alt,
    decorative: row.decorative === 1,
    caption: row.caption,
    credit: row.credit,
    picture: cropped ? pictureOf(r, 'crop', cropped) : pictureOf(r, 'full', r.full),
    card: pictureOf(r, 'card', r.card),
    social: { src: `${MEDIA_PREFIX}${socialKey(r)}`, width: r.social.width, height: r.social.height },
  };
}

function itemOf(row: repo.ImageRow): ImageItem {
  return {
    ...viewOf(row),
    fileName: row.file_name,
    mediaType: row.media_type,
    width: row.width,
    height: row.height,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    focal: { x: row.focal_x, y: row.focal_y },
    metadataKept: row.metadata_kept === 1,
    uploadedBy: row.uploaded_by === null ? null : Number(row.uploaded_by),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    originalSrc: `${MEDIA_PREFIX}${row.original_path}`,
  };
}

// ---------------------------------------------------------------------------------------------------
// Reading

/** Pictures as pages show them, by id; with an article's crop where one is given. Missing ids are left out. */
export async function imageViews(db: Db, wanted: readonly { id: number; crop?: CropBox | null }[]): Promise<Map<number, ImageView>> {
  const rows = await repo.imagesByIds(db, [...new Set(wanted.map((w) => w.id))]);
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const views = new Map<number, ImageView>();
  for (const w of wanted) {
    const row = byId.get(w.id);
    if (row && !views.has(w.id)) views.set(w.id, viewOf(row, w.crop ?? null));
  }
  return views;
}

export async function getImage(deps: MediaDeps, actor: Account, id: number): Promise<ImageItem & { uses: ImageUse[] }> {
  ensureCan(actor, 'article.create');
  const row = await repo.imageById(deps.store.db, id);
  if (!row) throw new AppError('not_found', 'There is no such picture.');
  return { ...itemOf(row), uses: await deps.usage.uses(deps.store.db, id) };
}

export interface ImageQuery {
  contains?: string;
  limit?: number;
  offset?: number;
}

/** The library, newest first, searched by file name, alt text, caption or credit. */
export async function listImages(deps: MediaDeps, actor: Account, query: ImageQuery = {}): Promise<ImageItem[]> {
  ensureCan(actor, 'article.create');
  const limit = Math.min(200, Math.max(1, query.limit ?? 60));
  const rows = await repo.findImages(deps.store.db, (query.contains ?? '').trim().slice(0, 100), limit, Math.max(0, query.offset ?? 0));
  return rows.map(itemOf);
}

/** Whether a picture exists (article writers check lead images with it). */
export async function imageExists(db: Db, id: number): Promise<boolean> {
  return (await repo.imageById(db, id)) !== undefined;
}

// ---------------------------------------------------------------------------------------------------
// Uploading

export interface ImageUpload {
  fileName: string;
  stream: Readable;
  /** The upload was cut off at the multipart limit. */
  truncated(): boolean;
}

const text = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);
const editSchema = z
  .object({
    alt: text(500).default(''),
    decorative: z.boolean().default(false),
    caption: text(1000).default(''),
    credit: text(300).default(''),
    focalX: z.number().int().min(0).max(1000).default(500),
    focalY: z.number().int().min(0).max(1000).default(500),
  })
  .refine((d) => d.decorative || d.alt !== '', { path: ['alt'], message: 'Describe the picture for readers who cannot see it, or mark it decorative.' });

export type ImageEdit = z.input<typeof editSchema>;

function checkEdit(input: ImageEdit) {
  const parsed = editSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? 'file')] ??= issue.message;
    throw new AppError('invalid_input', 'Some fields need attention.', fields);
  }
  return parsed.data;
}

class TooLarge extends Error {}

/** Streams an upload to scratch space, counting and hashing; nothing is kept if it is too large or empty. */
async function receive(deps: ImageFileDeps, upload: ImageUpload): Promise<{ file: string; size: number }> {
  const file = await deps.storage.scratchPath();
  let size = 0;
  const limit = deps.settings.maxBytes;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      done(size > limit ? new TooLarge() : null, chunk);
    },
  });
  try {
    await pipeline(upload.stream, counter, fs.createWriteStream(file, { flags: 'wx' }));
    if (upload.truncated()) throw new TooLarge();
    if (size === 0) throw new AppError('invalid_input', 'The file is empty.', { file: `${upload.fileName || 'The file'} is empty (0 bytes). Choose the picture again.` });
    return { file, size };
  } catch (error) {
    await fs.promises.rm(file, { force: true });
    if (error instanceof TooLarge) {
      throw new AppError('payload_too_large', 'The file is too large.', {
        file: `${upload.fileName || 'The file'} is larger than ${Math.round(limit / 1024 / 1024)} MB, the largest picture accepted (IMAGE_MAX_MB).`,
      });
    }
    throw error;
  }
}

const sha256Of = async (file: string) => {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
};

interface Ingested {
  sha256: string;
  mediaType: string;
  width: number;
  height: number;
  sizeBytes: number;
  originalPath: string;
  renditions: Renditions;
  metadataKept: boolean;
  /** Keys written by this ingest (removed again when the row cannot be written). */
  written: string[];
}

/** The columns that describe a picture's stored file, for a new row or a replaced file. */
function fileColumns(fileName: string, done: Ingested) {
  return {
    file_name: fileName.normalize('NFC').slice(0, 255),
    media_type: done.mediaType,
    width: done.width,
    height: done.height,
    size_bytes: done.sizeBytes,
    sha256: done.sha256,
    original_path: done.originalPath,
    renditions: JSON.stringify(done.renditions),
    metadata_kept: done.metadataKept ? 1 : 0,
  };
}

/** Judges, strips, stores and renders an upload; throws a field-named AppError, leaving nothing, on any failure. */
async function ingest(deps: ImageFileDeps, upload: ImageUpload, focal: FocalPoint, crops: readonly CropBox[] = []): Promise<Ingested> {
  const received = await receive(deps, upload);
  const scratch = await deps.storage.scratchPath('.orig');
  const written: string[] = [];
  try {
    return await imageJob(async () => {
      const mediaType = await imageTypeOf(received.file, upload.fileName);
      const { maxPixels, keepMetadata, widths } = deps.settings;
      const facts = await inspectImage(received.file, upload.fileName, maxPixels);
      const kept = await privateOriginal(received.file, mediaType, facts, keepMetadata, scratch, maxPixels);
      const sha256 = await sha256Of(kept);
      const sizeBytes = (await fs.promises.stat(kept)).size;
      const renditions = planRenditions({ sha256, mediaType, animated: facts.animated, width: facts.width, height: facts.height, focal, widths, crops });
      const originalPath = `${renditions.folder}/original.${ORIGINAL_EXTENSIONS[mediaType]}`;
      const existed = await deps.storage.exists(originalPath);
      const source = { file: kept, width: facts.width, height: facts.height, animated: facts.animated, maxPixels };
      try {
        written.push(...(await makeRenditions(deps.storage, source, renditions, focal)));
      } catch (error) {
        throw new AppError('unsupported_media_type', 'The picture could not be processed.', {
          file: `${upload.fileName || 'The picture'} could not be processed (${error instanceof Error ? error.message : 'unknown error'}).`,
        });
      }
      if (!existed) {
        await deps.storage.putFile(originalPath, kept);
        written.push(originalPath);
      }
      return { sha256, mediaType, width: facts.width, height: facts.height, sizeBytes, originalPath, renditions, metadataKept: keepMetadata, written };
    });
  } catch (error) {
    await Promise.all(written.map((k) => deps.storage.remove(k)));
    throw error;
  } finally {
    await fs.promises.rm(received.file, { force: true });
    await fs.promises.rm(scratch, { force: true });
  }
}

/**
 * Adds a picture to the library. Its alt text (or "decorative"), caption and credit may come with the
 * upload or be set afterwards; pages refuse to show it as a lead image without one or the other.
 */
export async function uploadImage(deps: MediaDeps, actor: Account, upload: ImageUpload, fields: Partial<ImageEdit> = {}, now = new Date()): Promise<ImageItem> {
  ensureCan(actor, 'article.create');
  if (!upload.fileName) {
    upload.stream.resume();
    throw new AppError('invalid_input', 'Choose a file.', { file: 'Choose the picture to upload.' });
  }
  const text = pick(fields);
  const focal = { x: thousandths(fields.focalX), y: thousandths(fields.focalY) };
  const done = await ingest(deps, upload, focal);
  try {
    const id = await deps.store.writeTransaction(async (trx) => {
      const id = await repo.insertImage(trx, {
        ...fileColumns(upload.fileName, done),
        alt: text.alt,
        decorative: text.decorative ? 1 : 0,
        caption: text.caption,
        credit: text.credit,
        focal_x: focal.x,
        focal_y: focal.y,
        uploaded_by: actor.id,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
      await recordAudit(trx, { actorId: actor.id, action: 'image.upload', subject: `image:${id}`, details: { sha256: done.sha256, bytes: done.sizeBytes } }, now);
      return id;
    });
    return itemOf((await repo.imageById(deps.store.db, id))!);
  } catch (error) {
    await Promise.all(done.written.map((k) => deps.storage.remove(k)));
    throw error;
  }
}

const thousandths = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1000 ? v : 500);

/** Text fields of a partial, invalid edit, kept as typed (an upload is not refused for a missing alt). */
function pick(fields: Partial<ImageEdit>) {
  const s = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');
  return { alt: s(fields.alt, 500), caption: s(fields.caption, 1000), credit: s(fields.credit, 300), decorative: fields.decorative === true };
}

// ---------------------------------------------------------------------------------------------------
// Editing, replacing, deleting

async function rowOrMissing(db: Db, id: number): Promise<repo.ImageRow> {
  const row = await repo.imageById(db, id);
  if (!row) throw new AppError('not_found', 'There is no such picture.');
  return row;
}

/**
 * Keys of a picture's old plan that neither its new plan nor another item holding the same bytes (same
 * folder, so possibly the same card or social names) still uses: what to remove after a change.
 */
export async function leftBehind(db: Db, row: Pick<repo.ImageRow, 'id' | 'sha256'>, before: Renditions, after: Renditions): Promise<string[]> {
  const twins = (await repo.twinRenditions(db, row.sha256, Number(row.id))).map(parseRenditions);
  const keep = new Set([...allKeys(after), ...twins.flatMap(allKeys)]);
  return allKeys(before).filter((k) => !keep.has(k));
}

/** Changes the text and focal point; a moved focal point makes new card and social files. */
export async function editImage(deps: MediaDeps, actor: Account, id: number, input: ImageEdit, now = new Date()): Promise<ImageItem> {
  ensureCan(actor, 'article.create');
  const edit = checkEdit(input);
  const row = await rowOrMissing(deps.store.db, id);
  const before = parseRenditions(row.renditions);
  const focal = { x: edit.focalX, y: edit.focalY };
  let after = before;
  if (focal.x !== row.focal_x || focal.y !== row.focal_y) {
    after = planRenditions({ sha256: row.sha256, mediaType: row.media_type, animated: before.formats.includes('gif'), width: row.width, height: row.height, focal, widths: before.full.widths, crops: before.crops.map((c) => c.box) });
    after = { ...after, full: before.full };
    await imageJob(async () => {
      const original = await localCopy(deps, row.original_path);
      try {
        await makeRenditions(deps.storage, { file: original, width: row.width, height: row.height, animated: after.formats.includes('gif'), maxPixels: deps.settings.maxPixels }, after, focal);
      } finally {
        await fs.promises.rm(original, { force: true });
      }
    });
  }
  await deps.store.writeTransaction(async (trx) => {
    await repo.updateImage(trx, id, {
      alt: edit.alt,
      decorative: edit.decorative ? 1 : 0,
      caption: edit.caption,
      credit: edit.credit,
      focal_x: focal.x,
      focal_y: focal.y,
      renditions: JSON.stringify(after),
      updated_at: now.toISOString(),
    });
    await recordAudit(trx, { actorId: actor.id, action: 'image.edit', subject: `image:${id}` }, now);
  });
  deps.store.changes.announce([key.image(id)]);
  await Promise.all((await leftBehind(deps.store.db, row, before, after)).map((k) => deps.storage.remove(k)));
  return itemOf(await rowOrMissing(deps.store.db, id));
}

/** The original's bytes in a local scratch file, for sharp to read (storage may be remote). */
async function localCopy(deps: MediaDeps, originalPath: string): Promise<string> {
  const file = await deps.storage.scratchPath('.src');
  await fs.promises.writeFile(file, await deps.storage.read(originalPath));
  return file;
}

/**
 * Puts a new file in a picture's place: its text, focal point and the articles' crops stay; every
 * address changes (new folder), and pages showing it are dropped from the cache.
 */
export async function replaceImage(deps: MediaDeps, actor: Account, id: number, upload: ImageUpload, now = new Date()): Promise<ImageItem> {
  const row = await rowOrMissing(deps.store.db, id);
  ensureCan(actor, 'media.replace', { ownerId: row.uploaded_by });
  const before = parseRenditions(row.renditions);
  const crops = await deps.usage.crops(deps.store.db, id);
  const done = await ingest(deps, upload, { x: row.focal_x, y: row.focal_y }, crops);
  try {
    await deps.store.writeTransaction(async (trx) => {
      await repo.updateImage(trx, id, {
        ...fileColumns(upload.fileName, done),
        updated_at: now.toISOString(),
      });
      await recordAudit(trx, { actorId: actor.id, action: 'image.replace', subject: `image:${id}`, details: { sha256: done.sha256, was: row.sha256 } }, now);
      await recordEvent(trx, { type: 'media.replaced', data: { id, mediaType: done.mediaType, width: done.width, height: done.height, sha256: done.sha256 } }, now);
    });
  } catch (error) {
    await Promise.all(done.written.map((k) => deps.storage.remove(k)));
    throw error;
  }
  deps.store.changes.announce([key.image(id)]);
  if (before.folder !== done.renditions.folder && !(await folderShared(deps.store.db, row.sha256))) await deps.storage.remove(before.folder);
  return itemOf(await rowOrMissing(deps.store.db, id));
}

/** Whether another library item holds the same bytes (and so the same folder). */
async function folderShared(db: Db, sha256: string): Promise<boolean> {
  return (await db.selectFrom('media_images').select('id').where('sha256', '=', sha256).executeTakeFirst()) !== undefined;
}

/** Deletes a picture no article uses, with its files. */
export async function deleteImage(deps: MediaDeps, actor: Account, id: number, now = new Date()): Promise<void> {
  const row = await rowOrMissing(deps.store.db, id);
  ensureCan(actor, 'media.replace', { ownerId: row.uploaded_by });
  const uses = await deps.usage.uses(deps.store.db, id);
  if (uses.length) {
    throw new AppError('conflict', 'The picture is in use.', {
      image: `This picture is used by ${uses.length === 1 ? 'an article' : `${uses.length} articles`} (${uses.map((u) => `“${u.headline}”`).join(', ')}); remove it there first.`,
    });
  }
  await deps.store.writeTransaction(async (trx) => {
    await repo.deleteImage(trx, id);
    await recordAudit(trx, { actorId: actor.id, action: 'image.delete', subject: `image:${id}`, details: { sha256: row.sha256, file: row.file_name } }, now);
  });
  deps.store.changes.announce([key.image(id)]);
  if (!(await folderShared(deps.store.db, row.sha256))) await deps.storage.remove(parseRenditions(row.renditions).folder);
}

/**
 * Makes the files of an editor's crop of a picture for an article (before the article is saved with it).
 * Crops are kept in the picture's plan, so the library can regenerate them.
 */
export async function ensureCrop(deps: MediaDeps, imageId: number, box: CropBox, now = new Date()): Promise<void> {
  const row = await repo.imageById(deps.store.db, imageId);
  if (!row) throw new AppError('invalid_input', 'There is no such picture.', { lead_image: 'That picture is no longer in the library.' });
  const plan = parseRenditions(row.renditions);
  if (plan.crops.some((c) => c.box.x === box.x && c.box.y === box.y && c.box.w === box.w && c.box.h === box.h)) return;
  const set = cropSet(box, row.width, row.height, deps.settings.widths);
  const after: Renditions = { ...plan, crops: [...plan.crops, set] };
  await imageJob(async () => {
    const original = await localCopy(deps, row.original_path);
    try {
      await makeRenditions(deps.storage, { file: original, width: row.width, height: row.height, animated: plan.formats.includes('gif'), maxPixels: deps.settings.maxPixels }, after, { x: row.focal_x, y: row.focal_y });
    } finally {
      await fs.promises.rm(original, { force: true });
    }
  });
  await deps.store.writeTransaction(async (trx) => {
    const current = await repo.imageById(trx, imageId);
    if (!current) return;
    const latest = parseRenditions(current.renditions);
    if (latest.folder !== plan.folder || latest.crops.some((c) => c.key === set.key)) return;
    await repo.updateImage(trx, imageId, { renditions: JSON.stringify({ ...latest, crops: [...latest.crops, set] }), updated_at: now.toISOString() });
  });
}

// ---------------------------------------------------------------------------------------------------
// Bodies

const BODY_IMG = /<img\b[^>]*\bdata-media-id="(\d+)"[^>]*>/g;
const ATTR = (name: string) => new RegExp(`\\b${name}="([^"]*)"`);

/** The library ids an article body's images name (data-media-id). */
export function bodyImageIds(bodyHtml: string): number[] {
  return [...new Set([...bodyHtml.matchAll(BODY_IMG)].map((m) => Number(m[1])))];
}

const attr = (name: string, value: string | number) => ` ${name}="${escapeHtml(String(value))}"`;

/** A <picture> element: AVIF and WebP sources, then the fallback <img> with its size (no layout shift). */
export function pictureHtml(p: Picture, img: { alt: string; sizes: string; lazy: boolean; priority?: boolean; className?: string }): string {
  const sources = p.sources.map((s) => `<source type="${s.type}" srcset="${escapeHtml(s.srcset)}" sizes="${escapeHtml(img.sizes)}">`).join('');
  const loading = img.lazy ? `${attr('loading', 'lazy')}${attr('decoding', 'async')}` : img.priority ? attr('fetchpriority', 'high') : '';
  return `<picture${img.className ? attr('class', img.className) : ''}>${sources}<img${attr('src', p.src)}${attr('srcset', p.srcset)}${attr('sizes', img.sizes)}${attr('width', p.width)}${attr('height', p.height)}${attr('alt', img.alt)}${loading}></picture>`;
}

/**
 * The body's library images as <picture> elements with the current files' addresses (so a replaced file
 * shows at once); the alt text the article gives is kept. Images whose picture is gone keep their tag.
 */
export function bodyPictures(bodyHtml: string, views: ReadonlyMap<number, ImageView>, sizes = '(min-width: 48rem) 42rem, 100vw'): string {
  return bodyHtml.replace(BODY_IMG, (tag, id: string) => {
    const view = views.get(Number(id));
    if (!view) return tag;
    const alt = (ATTR('alt').exec(tag)?.[1] ?? '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    return pictureHtml(view.picture, { alt, sizes, lazy: true });
  });
}

// ---------------------------------------------------------------------------------------------------
// Imports (src/import/): pictures from files on this machine, inside the importer's transaction

/** What an import needs of the library: where files go and how pictures are made. */
export interface ImageFileDeps {
  storage: MediaStorage;
  settings: ImageSettings;
}

export interface ImportedPicture {
  id: number;
  /** The keys this call stored (the importer removes them again when its transaction rolls back). */
  written: string[];
}

/**
 * Adds the picture in a local file to the library inside the caller's transaction, through the same
 * pipeline as an upload (judged by content, metadata stripped, renditions made). A refused file throws
 * a field-named AppError and leaves nothing; if the caller's transaction rolls back later, it must
 * remove `written` itself. No account uploaded it, so none is recorded (uploaded_by null, no audit line).
 */
export async function importImageFileIn(trx: Db, deps: ImageFileDeps, file: string, fileName: string, text: { alt: string; caption: string; credit?: string }, now = new Date()): Promise<ImportedPicture> {
  const upload: ImageUpload = { fileName, stream: fs.createReadStream(file), truncated: () => false };
  const done = await ingest(deps, upload, { x: 500, y: 500 });
  const fields = pick({ alt: text.alt, caption: text.caption, credit: text.credit ?? '' });
  const stamp = now.toISOString();
  try {
    const id = await repo.insertImage(trx, {
      ...fileColumns(fileName, done),
      alt: fields.alt,
      decorative: 0,
      caption: fields.caption,
      credit: fields.credit,
      focal_x: 500,
      focal_y: 500,
      uploaded_by: null,
      created_at: stamp,
      updated_at: stamp,
    });
    return { id, written: done.written };
  } catch (error) {
    await Promise.all(done.written.map((k) => deps.storage.remove(k)));
    throw error;
  }
}

/**
 * Checks a local file as an upload would be checked (type by content, size and pixel limits read from
 * its header), storing nothing: what a dry run of an import says about it. Throws the upload's AppError.
 */
export async function checkImageFile(deps: ImageFileDeps, file: string, fileName: string): Promise<void> {
  const size = (await fs.promises.stat(file)).size;
  if (size > deps.settings.maxBytes) throw new AppError('payload_too_large', 'The file is too large.', { file: `${fileName} is larger than ${Math.round(deps.settings.maxBytes / 1024 / 1024)} MB, the largest picture accepted (IMAGE_MAX_MB).` });
  if (size === 0) throw new AppError('invalid_input', 'The file is empty.', { file: `${fileName} is empty (0 bytes).` });
  await imageTypeOf(file, fileName);
  await inspectImage(file, fileName, deps.settings.maxPixels);
}

/** Fills a picture's alt text and caption where they are still empty (an import learning them later). */
export async function fillImageTextIn(trx: Db, id: number, text: { alt: string; caption: string }, now = new Date()): Promise<void> {
  const row = await repo.imageById(trx, id);
  if (!row) return;
  const fields = pick(text);
  const changes = { ...(row.alt === '' && !row.decorative && fields.alt && { alt: fields.alt }), ...(row.caption === '' && fields.caption && { caption: fields.caption }) };
  if (Object.keys(changes).length) await repo.updateImage(trx, id, { ...changes, updated_at: now.toISOString() });
}

/** Marks a picture that says nothing of itself decorative, so it may lead an article (an import's choice). */
export async function markDecorativeIn(trx: Db, id: number, now = new Date()): Promise<void> {
  await repo.updateImage(trx, id, { decorative: 1, updated_at: now.toISOString() });
}
