// Comments as `gazette export` writes them (decision 0032): readers' addresses and IPs are read only
// for a private export, so a public one cannot leak them.
import type { Db } from '../db/store.ts';
import type { CommentStatus } from '../db/schema.ts';
import * as repo from './comment.export.repository.ts';

export interface ExportedComment {
  id: number;
  articleId: number;
  parentId: number | null;
  authorName: string;
  authorUrl: string | null;
  /** Only in a private export; absent otherwise. */
  authorEmail?: string;
  ip?: string;
  /** As the reader typed it (plain text). */
  body: string;
  status: CommentStatus;
  createdAt: string;
  updatedAt: string;
  /** Written by a staff member in /admin. */
  staff: boolean;
}

function toComment(r: repo.ExportCommentRow): ExportedComment {
  return {
    id: r.id,
    articleId: r.article_id,
    parentId: r.parent_id,
    authorName: r.author_name,
    authorUrl: r.author_url,
    body: r.body,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    staff: r.staff_account_id !== null,
  };
}

/** The comments of these articles by article, threads in id order; `withEmails` only for a private export. */
export async function commentsForExport(db: Db, articleIds: readonly number[], withEmails: boolean): Promise<Map<number, ExportedComment[]>> {
  const out = new Map<number, ExportedComment[]>();
  if (!articleIds.length) return out;
  const add = (c: ExportedComment) => {
    const list = out.get(c.articleId) ?? [];
    list.push(c);
    out.set(c.articleId, list);
  };
  if (withEmails) for (const r of await repo.privateCommentRowsOf(db, articleIds)) add({ ...toComment(r), authorEmail: r.author_email, ip: r.ip });
  else for (const r of await repo.commentRowsOf(db, articleIds)) add(toComment(r));
  return out;
}
