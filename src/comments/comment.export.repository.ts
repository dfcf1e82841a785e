// Reads for `gazette export` (decision 0032). The public read selects no private column at all; only
// the private export's read selects the reader's address and IP.
import type { Db } from '../db/store.ts';

const EXPORT_COLUMNS = ['id', 'article_id', 'parent_id', 'author_name', 'author_url', 'body', 'status', 'created_at', 'updated_at', 'staff_account_id'] as const;

/** Every comment of these articles, any status, parents before replies (id order), without private columns. */
export function commentRowsOf(db: Db, articleIds: readonly number[]) {
  return db.selectFrom('comments').select(EXPORT_COLUMNS).where('article_id', 'in', articleIds).orderBy('article_id').orderBy('id').execute();
}

export type ExportCommentRow = Awaited<ReturnType<typeof commentRowsOf>>[number];

/** The same with the reader's address and IP: for an export an administrator asked to be private. */
export function privateCommentRowsOf(db: Db, articleIds: readonly number[]) {
  return db.selectFrom('comments').select([...EXPORT_COLUMNS, 'author_email', 'ip']).where('article_id', 'in', articleIds).orderBy('article_id').orderBy('id').execute();
}
