// Reads for `gazette export` (decision 0032): primary documents a page at a time, in id order.
import type { Db } from '../db/store.ts';

export function documentRowsAfter(db: Db, afterId: number, limit: number) {
  return db
    .selectFrom('documents')
    .select(['id', 'title', 'file_path', 'file_name', 'media_type', 'sha256', 'size_bytes', 'created_at'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}
