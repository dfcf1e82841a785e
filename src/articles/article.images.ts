// Which library pictures articles use: the lead image (with the article's crop) and the images its body
// shows, recorded in article_images when the article is written. The media library asks through
// ImageUsage (src/media/image.service.ts), wired in app.ts and the CLI.
import { z } from 'zod';
import type { Db } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { bodyImageIds, imageViews, type CropBox, type ImageUsage, type ImageUse } from '../media/image.service.ts';
import * as repo from './article.repository.ts';

/** Parses a stored crop (JSON thousandths), or null for none or anything malformed. */
export function parseCrop(json: string | null | undefined): CropBox | null {
  if (!json) return null;
  try {
    const c = JSON.parse(json) as Partial<CropBox>;
    const ok = [c.x, c.y, c.w, c.h].every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1000);
    return ok && c.w! > 0 && c.h! > 0 ? { x: c.x!, y: c.y!, w: c.w!, h: c.h! } : null;
  } catch {
    return null;
  }
}

/** Records which library images an article's body shows (replacing what was recorded). */
export async function recordBodyImages(db: Db, articleId: number, imageIds: readonly number[]): Promise<void> {
  await repo.replaceBodyImages(db, articleId, [...new Set(imageIds)]);
}

/** The library images each article's body shows, by article id. */
export async function bodyImagesOf(db: Db, articleIds: readonly number[]): Promise<Map<number, number[]>> {
  const byArticle = new Map<number, number[]>();
  if (!articleIds.length) return byArticle;
  for (const r of await repo.bodyImageRows(db, articleIds)) byArticle.set(r.articleId, [...(byArticle.get(r.articleId) ?? []), r.imageId]);
  return byArticle;
}

async function uses(db: Db, imageId: number): Promise<ImageUse[]> {
  const { lead, body } = await repo.articlesShowingImage(db, imageId);
  const byId = new Map<number, ImageUse>();
  for (const [rows, as] of [[lead, 'lead'], [body, 'body']] as const)
    for (const r of rows) {
      const id = Number(r.id);
      const use: ImageUse = byId.get(id) ?? { articleId: id, headline: r.headline, status: r.status, as: [] };
      use.as.push(as);
      byId.set(id, use);
    }
  return [...byId.values()].sort((a, b) => b.articleId - a.articleId);
}

async function crops(db: Db, imageId: number): Promise<CropBox[]> {
  const seen = new Map<string, CropBox>();
  for (const stored of await repo.leadImageCrops(db, imageId)) {
    const c = parseCrop(stored);
    if (c) seen.set(`${c.x},${c.y},${c.w},${c.h}`, c);
  }
  return [...seen.values()];
}

/** What the media library asks of the articles. */
export const articleImageUsage: ImageUsage = { uses, crops };

/** A crop of the lead image for one article, in thousandths of the picture, inside it. */
export const cropBoxSchema = z
  .object({ x: z.number().int().min(0).max(999), y: z.number().int().min(0).max(999), w: z.number().int().min(1).max(1000), h: z.number().int().min(1).max(1000) })
  .refine((c) => c.x + c.w <= 1000 && c.y + c.h <= 1000, 'the crop must lie inside the picture');

/**
 * Checks an article's lead image: it is in the library and says what it shows (alt text) or is marked
 * decorative. Field errors name leadImageId.
 */
export async function checkLeadImage(db: Db, id: number | null): Promise<void> {
  if (id === null) return;
  const view = (await imageViews(db, [{ id }])).get(id);
  if (!view) throw new AppError('invalid_input', 'The lead image is not in the media library.', { leadImageId: 'That picture is no longer in the media library; choose another.' });
  if (!view.decorative && view.alt.trim() === '')
    throw new AppError('invalid_input', 'The lead image has no description.', { leadImageId: 'This picture has no alt text yet: describe what it shows in the media library, or mark it decorative.' });
}

/** The library ids the body shows that exist (an id typed by hand or of a deleted picture is left out). */
export async function bodyImagesToRecord(db: Db, bodyHtml: string): Promise<number[]> {
  const ids = bodyImageIds(bodyHtml);
  return ids.length ? [...(await imageViews(db, ids.map((id) => ({ id })))).keys()] : [];
}
