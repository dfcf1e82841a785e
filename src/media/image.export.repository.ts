// Reads for `gazette export` (decision 0032): the library's pictures a page at a time, in id order.
import type { Db } from '../db/store.ts';

export function imageRowsAfter(db: Db, afterId: number, limit: number) {
  return db
    .selectFrom('media_images')
    .select(['id', 'file_name', 'media_type', 'width', 'height', 'size_bytes', 'sha256', 'original_path', 'alt', 'decorative', 'caption', 'credit', 'focal_x', 'focal_y', 'created_at', 'updated_at'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}
