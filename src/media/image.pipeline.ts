// The work sharp does on an uploaded picture: judge what the bytes are, refuse what is not a picture or
// is too big to decode, keep an original without the photographer's location and camera serials (unless
// the site keeps all metadata), and make every rendition once. One picture is worked on at a time, by one
// libvips thread, so ten uploads at once stay within a few hundred megabytes.
import fs from 'node:fs';
import type { Metadata, OutputInfo, Sharp } from 'sharp';
import { exifReader, sharp } from '../lib/on-demand.ts';
import { AppError } from '../errors.ts';
import type { MediaStorage } from './media.storage.ts';
import {
  boxPixels,
  cardFormats,
  CARD_ASPECT,
  fileKey,
  focalRegion,
  socialKey,
  SOCIAL_SIZE,
  type FocalPoint,
  type OutputFormat,
  type RenditionSet,
  type Renditions,
} from './image.renditions.ts';


/**
 * A limit on how many callers run at once; the others wait their turn in order. A finishing caller hands
 * its place straight to the next, so a newcomer can never slip in between and make one too many.
 */
function gate(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (fn) => {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await fn();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}

/**
 * Pictures worked on at once, whatever the number of uploads: one, by one libvips thread, so image work
 * never takes more than one core from the readers and ten 24-megapixel uploads at once stay under 400 MB
 * (bench/media.bench.ts). Two at a time measured about 420 MB (the AVIF encoder alone takes about 80 MB
 * at 1920 pixels, and glibc's per-thread arenas keep what two threads freed) and was no faster on two
 * busy cores. An edit that makes files (a focal point, a crop) waits for the upload before it.
 */
const JOBS = 1;
const pictureGate = gate(JOBS);

/** Runs fn when fewer than JOBS pictures are being worked on. */
export function imageJob<T>(fn: () => Promise<T>): Promise<T> {
  return pictureGate(fn);
}

/** Types accepted as pictures, judged by content. */
export const IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif'];

export const ORIGINAL_EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/gif': 'gif',
};

const refuse = (message: string) => new AppError('unsupported_media_type', message, { file: message });

/** The first bytes of a file, as text, to recognise markup that file-type leaves unnamed. */
async function head(file: string, bytes = 512): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** What an upload is, by its content; a clear refusal for anything that is not an accepted picture. */
export async function imageTypeOf(file: string, fileName: string): Promise<string> {
  const { fileTypeFromFile } = await import('file-type');
  const type = (await fileTypeFromFile(file))?.mime;
  if (type && IMAGE_TYPES.includes(type)) return type;
  const name = fileName || 'The file';
  if (type === 'image/heic' || type === 'image/heif') throw refuse(`${name} is a HEIC photo, which this server's image library cannot read. Export it as JPEG and upload that.`);
  if (type === 'application/pdf') throw refuse(`${name} is a PDF. Upload it as a document (Media → Documents) to cite it as a source.`);
  if (type) throw refuse(`${name} is of type ${type}, not a picture. Upload JPEG, PNG, WebP, AVIF or GIF.`);
  const text = (await head(file)).trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg')))
    throw refuse(`${name} is an SVG drawing. SVG files can carry scripts, so they are not accepted; export it as PNG.`);
  if (text.startsWith('<')) throw refuse(`${name} is a web page or other markup, not a picture (whatever its name says).`);
  throw refuse(`${name} is not a picture we recognise. Upload JPEG, PNG, WebP, AVIF or GIF.`);
}

export interface ImageFacts {
  /** Width and height as shown, after the camera's orientation is applied. */
  width: number;
  height: number;
  animated: boolean;
  /** The upload carries EXIF, XMP or IPTC metadata. */
  hasMetadata: boolean;
}

/** Reads the header only: size (refused over maxPixels before anything is decoded), frames, metadata. */
export async function inspectImage(file: string, fileName: string, maxPixels: number): Promise<ImageFacts> {
  let meta: Metadata;
  try {
    meta = await sharp()(file, { limitInputPixels: false, animated: true }).metadata();
  } catch {
    throw refuse(`${fileName || 'The file'} could not be read as a picture: it is damaged or incomplete.`);
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.pageHeight ?? meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw refuse(`${fileName || 'The file'} has no readable size.`);
  const pixels = (meta.width ?? width) * (meta.height ?? height);
  if (pixels > maxPixels) {
    const mp = (n: number) => `${Math.round(n / 100_000) / 10} megapixels`;
    throw new AppError('payload_too_large', 'The picture has too many pixels.', {
      file: `${fileName || 'The picture'} is ${meta.width}×${meta.height} (${mp(pixels)}); the largest accepted is ${mp(maxPixels)} (IMAGE_MAX_MEGAPIXELS).`,
    });
  }
  return { width, height, animated: (meta.pages ?? 1) > 1, hasMetadata: Boolean(meta.exif || meta.xmp || meta.iptc) };
}

/** The copyright and artist fields of an upload's EXIF, which the stripped original keeps. */
function creditFields(exif: Buffer | undefined): Record<string, string> {
  if (!exif) return {};
  try {
    const image = exifReader()(exif).Image ?? {};
    const kept: Record<string, string> = {};
    for (const name of ['Copyright', 'Artist'] as const) {
      const value = image[name];
      if (typeof value === 'string' && value.trim()) kept[name] = value.trim();
    }
    return kept;
  } catch {
    return {};
  }
}

/**
 * The file to keep as the original. With metadata kept, or when the upload has none, it is the upload
 * itself, byte for byte. Otherwise it is written again without EXIF location, maker notes, serials, XMP
 * and IPTC: turned upright (so orientation needs no tag), its colour profile kept, its copyright and
 * artist kept. Animated pictures keep their frames.
 */
export async function privateOriginal(file: string, mediaType: string, facts: ImageFacts, keepMetadata: boolean, scratch: string, maxPixels: number): Promise<string> {
  if (keepMetadata || !facts.hasMetadata) return file;
  const meta = await sharp()(file, { limitInputPixels: maxPixels }).metadata();
  const credits = creditFields(meta.exif);
  let image = sharp()(file, { limitInputPixels: maxPixels, animated: facts.animated }).autoOrient().keepIccProfile();
  if (Object.keys(credits).length) image = image.withExif({ IFD0: credits });
  await encode(image, formatOf(mediaType), 'original').toFile(scratch);
  return scratch;
}

function formatOf(mediaType: string): OutputFormat {
  return ({ 'image/png': 'png', 'image/webp': 'webp', 'image/avif': 'avif', 'image/gif': 'gif' } as Record<string, OutputFormat>)[mediaType] ?? 'jpeg';
}

/** Encoder settings: renditions for the web, or a near-lossless original. */
function encode(image: Sharp, format: OutputFormat, use: 'web' | 'original'): Sharp {
  const best = use === 'original';
  switch (format) {
    case 'avif':
      return image.avif({ quality: best ? 80 : 50, effort: best ? 4 : 2 });
    case 'webp':
      return image.webp({ quality: best ? 92 : 78, effort: 4 });
    case 'png':
      return image.png({ compressionLevel: 9, effort: best ? 7 : 4 });
    case 'gif':
      return image.gif();
    default:
      // The original is written in one streaming pass: optimised Huffman tables and mozjpeg's progressive
      // scans hold every coefficient of the picture in memory (about 170 MB more for 24 megapixels, and
      // ten times slower), which ten uploads at once cannot afford; the file is about a fifth larger.
      // Renditions are small, so they get mozjpeg's smaller files.
      return best ? image.jpeg({ quality: 92, optimiseCoding: false }) : image.jpeg({ quality: 80, mozjpeg: true });
  }
}

interface Source {
  file: string;
  width: number;
  height: number;
  animated: boolean;
  maxPixels: number;
}

/** The picture upright, as a starting point for one rendition. */
function upright(source: Source): Sharp {
  return sharp()(source.file, { limitInputPixels: source.maxPixels, animated: source.animated }).autoOrient();
}

/**
 * A picture decoded once, upright and reduced to the largest size any rendition needs, kept raw in
 * memory: every rendition is then cut from it instead of decoding a 24-megapixel JPEG twenty times.
 */
async function master(source: Source, widest: number): Promise<Source & { raw: { data: Buffer; info: OutputInfo } | null }> {
  if (source.animated) return { ...source, raw: null };
  const width = Math.min(source.width, widest);
  const { data, info } = await upright(source).resize({ width, withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  return { ...source, width: info.width, height: info.height, raw: { data, info } };
}

/** A copy to cut one rendition from; crops of an animated picture use its first frame. */
function fromMaster(m: Awaited<ReturnType<typeof master>>, still = false): Sharp {
  if (!m.raw) return upright({ ...m, animated: m.animated && !still });
  const { info, data } = m.raw;
  return sharp()(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
}

/** Makes every file of the plan that storage does not hold yet; returns the keys written. */
export async function makeRenditions(storage: MediaStorage, original: Source, plan: Renditions, focal: FocalPoint): Promise<string[]> {
  const widest = Math.max(plan.full.widths.at(-1) ?? 0, SOCIAL_SIZE.width, ...plan.crops.map((c) => Math.round((c.width * 1000) / Math.max(1, c.box.w))));
  const m = await master(original, widest);
  const written: string[] = [];
  const write = async (key: string, image: Sharp, format: OutputFormat) => {
    if (await storage.exists(key)) return;
    await storage.putBytes(key, await encode(image, format, 'web').toBuffer());
    written.push(key);
  };

  for (const w of plan.full.widths)
    for (const f of plan.formats) await write(fileKey(plan, 'full', plan.full, w, f), fromMaster(m).resize({ width: w, withoutEnlargement: true }), f);

  const card = focalRegion(m.width, m.height, CARD_ASPECT, focal);
  for (const w of plan.card.widths)
    for (const f of cardFormats(plan)) await write(fileKey(plan, 'card', plan.card, w, f), fromMaster(m, true).extract(card).resize({ width: w, height: Math.round((w * CARD_ASPECT.h) / CARD_ASPECT.w) }), f);

  for (const crop of plan.crops) await writeCrop(plan, crop, m, write);

  const social = focalRegion(m.width, m.height, { w: SOCIAL_SIZE.width, h: SOCIAL_SIZE.height }, focal);
  await write(socialKey(plan), fromMaster(m, true).extract(social).resize(SOCIAL_SIZE.width, SOCIAL_SIZE.height).flatten({ background: '#ffffff' }), 'jpeg');
  return written;
}

async function writeCrop(
  plan: Renditions,
  crop: RenditionSet & { box: { x: number; y: number; w: number; h: number } },
  m: Awaited<ReturnType<typeof master>>,
  write: (key: string, image: Sharp, format: OutputFormat) => Promise<void>,
): Promise<void> {
  const region = boxPixels(crop.box, m.width, m.height);
  for (const w of crop.widths)
    for (const f of plan.formats) await write(fileKey(plan, 'crop', crop, w, f), fromMaster(m, true).extract(region).resize({ width: w }), f);
}

export type { Source as ImageSource };
