// The library's pictures as `gazette export` writes them (decision 0032): what is known of each and the
// address of its original; the files themselves stay in MEDIA_DIR.
import type { Db } from '../db/store.ts';
import { MEDIA_PREFIX } from './image.service.ts';
import * as repo from './image.export.repository.ts';

export interface ExportedImage {
  id: number;
  fileName: string;
  mediaType: string;
  width: number;
  height: number;
  sizeBytes: number;
  sha256: string;
  /** The original's address on this site (under /media/). */
  originalPath: string;
  alt: string;
  decorative: boolean;
  caption: string;
  credit: string;
  focal: { x: number; y: number };
  createdAt: string;
  updatedAt: string;
}

/** Up to `limit` pictures after the id `afterId`, in id order. */
export async function imagesForExport(db: Db, afterId: number, limit: number): Promise<ExportedImage[]> {
  return (await repo.imageRowsAfter(db, afterId, limit)).map((r) => ({
    id: r.id,
    fileName: r.file_name,
    mediaType: r.media_type,
    width: r.width,
    height: r.height,
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256,
    originalPath: `${MEDIA_PREFIX}${r.original_path}`,
    alt: r.alt,
    decorative: Boolean(Number(r.decorative)),
    caption: r.caption,
    credit: r.credit,
    focal: { x: r.focal_x, y: r.focal_y },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
