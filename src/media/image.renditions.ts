// What is made of an uploaded picture, and where each file lives: every width of the configured set in
// AVIF, WebP and a format every browser reads; a 3:2 card and the 1200×630 social image cropped around
// the focal point; and an editor's crop for one article. Names carry the stored original's SHA-256 (its
// folder) and a short key of the crop, so a replaced file or a moved focal point gets new addresses and
// every address can be cached for a year.
import { createHash } from 'node:crypto';

export type OutputFormat = 'avif' | 'webp' | 'jpeg' | 'png' | 'gif';

export const FORMAT_TYPES: Readonly<Record<OutputFormat, string>> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
};

export const FORMAT_EXTENSIONS: Readonly<Record<OutputFormat, string>> = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png', gif: 'gif' };

/** A rectangle of the picture in thousandths of its width and height, from the top-left corner. */
export interface CropBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A point of the picture in thousandths, from the top-left corner. */
export interface FocalPoint {
  x: number;
  y: number;
}

export const CARD_ASPECT = { w: 3, h: 2 } as const;
export const CARD_WIDTHS: readonly number[] = [320, 640];
export const SOCIAL_SIZE = { width: 1200, height: 630 } as const;

/** One set of same-shaped files in several widths and formats. */
export interface RenditionSet {
  /** '' for the whole picture; otherwise the crop's key. */
  key: string;
  /** Pixel size of the widest file; the others keep its aspect ratio. */
  width: number;
  height: number;
  widths: number[];
}

export interface Renditions {
  v: 1;
  /** Folder of every file: images/ab/<sha256>. */
  folder: string;
  /** Formats of the responsive sets, best first; the last is the fallback every browser reads. */
  formats: OutputFormat[];
  full: RenditionSet;
  card: RenditionSet;
  social: { key: string; width: number; height: number };
  /** Editors' crops for particular articles. */
  crops: (RenditionSet & { box: CropBox })[];
}

export function folderFor(sha256: string): string {
  return `images/${sha256.slice(0, 2)}/${sha256}`;
}

const shortKey = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 10);

export const cropKey = (box: CropBox) => shortKey(['crop', box.x, box.y, box.w, box.h]);
export const focalKey = (focal: FocalPoint, kind: 'card' | 'social') => shortKey([kind, focal.x, focal.y]);

/** The formats made of an upload: AVIF and WebP, then its own format where browsers read it. */
export function formatsFor(mediaType: string, animated: boolean): OutputFormat[] {
  if (animated) return ['webp', 'gif'];
  if (mediaType === 'image/png' || mediaType === 'image/gif') return ['avif', 'webp', 'png'];
  if (mediaType === 'image/webp') return ['avif', 'webp'];
  return ['avif', 'webp', 'jpeg'];
}

/**
 * The widths made for a picture (or crop) this wide: the configured ones narrower than it, and its own
 * width when it is narrower than the widest configured (never enlarged).
 */
export function widthsFor(sourceWidth: number, configured: readonly number[]): number[] {
  const below = configured.filter((w) => w < sourceWidth);
  const widest = configured[configured.length - 1] ?? sourceWidth;
  if (sourceWidth <= widest || below.length === 0) below.push(Math.min(sourceWidth, widest));
  return [...new Set(below)].sort((a, b) => a - b);
}

/** The region (in pixels) a crop box covers of a picture this size, at least one pixel each way. */
export function boxPixels(box: CropBox, width: number, height: number) {
  const left = Math.min(width - 1, Math.round((box.x / 1000) * width));
  const top = Math.min(height - 1, Math.round((box.y / 1000) * height));
  return {
    left,
    top,
    width: Math.max(1, Math.min(width - left, Math.round((box.w / 1000) * width))),
    height: Math.max(1, Math.min(height - top, Math.round((box.h / 1000) * height))),
  };
}

/**
 * The largest region of the given aspect ratio that fits the picture, placed so the focal point is as
 * near its centre as the edges allow: what automatic crops (cards, the social image) keep.
 */
export function focalRegion(width: number, height: number, aspect: { w: number; h: number }, focal: FocalPoint) {
  const wanted = aspect.w / aspect.h;
  const regionWidth = width / height > wanted ? Math.max(1, Math.round(height * wanted)) : width;
  const regionHeight = width / height > wanted ? height : Math.max(1, Math.round(width / wanted));
  const centre = (size: number, region: number, at: number) => Math.round(Math.min(size - region, Math.max(0, (at / 1000) * size - region / 2)));
  return { left: centre(width, regionWidth, focal.x), top: centre(height, regionHeight, focal.y), width: regionWidth, height: regionHeight };
}

/** The plan of files for a new or replaced picture, its focal point and the editors' crops it keeps. */
export function planRenditions(input: {
  sha256: string;
  mediaType: string;
  animated: boolean;
  width: number;
  height: number;
  focal: FocalPoint;
  widths: readonly number[];
  crops?: readonly CropBox[];
}): Renditions {
  const { width, height } = input;
  const fullWidths = widthsFor(width, input.widths);
  const widest = fullWidths[fullWidths.length - 1]!;
  const cardWidths = CARD_WIDTHS.filter((w) => w <= Math.max(widest, CARD_WIDTHS[0]!));
  const crops = (input.crops ?? []).map((box) => cropSet(box, width, height, input.widths));
  return {
    v: 1,
    folder: folderFor(input.sha256),
    formats: formatsFor(input.mediaType, input.animated),
    full: { key: '', width: widest, height: Math.max(1, Math.round((height * widest) / width)), widths: fullWidths },
    card: { key: focalKey(input.focal, 'card'), width: cardWidths[cardWidths.length - 1]!, height: Math.round((cardWidths[cardWidths.length - 1]! * CARD_ASPECT.h) / CARD_ASPECT.w), widths: cardWidths },
    social: { key: focalKey(input.focal, 'social'), ...SOCIAL_SIZE },
    crops,
  };
}

/** The set made for an editor's crop of a picture this size. */
export function cropSet(box: CropBox, width: number, height: number, configured: readonly number[]): RenditionSet & { box: CropBox } {
  const region = boxPixels(box, width, height);
  const widths = widthsFor(region.width, configured);
  const widest = widths[widths.length - 1]!;
  return { key: cropKey(box), box, width: widest, height: Math.max(1, Math.round((region.height * widest) / region.width)), widths };
}

/** The storage key of one file of a set. */
export function fileKey(r: Renditions, kind: 'full' | 'card' | 'crop', set: RenditionSet, width: number, format: OutputFormat): string {
  const name = kind === 'full' ? `full-${width}` : `${kind}-${set.key}-${width}`;
  return `${r.folder}/${name}.${FORMAT_EXTENSIONS[format]}`;
}

export function socialKey(r: Renditions): string {
  return `${r.folder}/social-${r.social.key}.jpg`;
}

/** Every storage key of a plan (to check that each file exists, or to remove them). */
export function allKeys(r: Renditions): string[] {
  const keys: string[] = [];
  const add = (kind: 'full' | 'card' | 'crop', set: RenditionSet) => {
    for (const w of set.widths) for (const f of kind === 'card' ? cardFormats(r) : r.formats) keys.push(fileKey(r, kind, set, w, f));
  };
  add('full', r.full);
  add('card', r.card);
  for (const c of r.crops) add('crop', c);
  keys.push(socialKey(r));
  return keys;
}

/** Cards are small and many: WebP and the fallback only (AVIF's gain is slight at 320 pixels). */
export function cardFormats(r: Renditions): OutputFormat[] {
  return r.formats.filter((f) => f !== 'avif');
}

export function parseRenditions(json: string): Renditions {
  return JSON.parse(json) as Renditions;
}

/** A width descriptor list for srcset: "/media/…/full-320.webp 320w, …". */
export function srcset(r: Renditions, kind: 'full' | 'card' | 'crop', set: RenditionSet, format: OutputFormat, prefix = '/media/'): string {
  return set.widths.map((w) => `${prefix}${fileKey(r, kind, set, w, format)} ${w}w`).join(', ');
}
