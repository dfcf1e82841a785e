// Comment moderation by staff accounts (issue 11, part 6): the queue by state with counts, bulk moves,
// corrections, staff replies and opening or closing an article's comments. Every action takes the acting
// Account, checks `comment.moderate`, writes and records its audit entry in one write transaction, and
// announces what changed after the commit. Readers' addresses reach staff views through StaffComment
// only; audit entries and log lines never carry one. No Fastify here: /admin and any later API share it.
import type { Account } from '../accounts/account.service.ts';
import { recordAudit } from '../accounts/audit.service.ts';
import { ensureCan } from '../accounts/permissions.ts';
import { commentTarget, pathsOf, setCommentsOpen, type CommentTarget } from '../articles/article.lookups.ts';
import { key } from '../db/change-keys.ts';
import type { CommentRow, CommentStatus } from '../db/schema.ts';
import type { Db, Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { CommentRejected, type FieldIssue, type FieldName } from './comment.errors.ts';
import * as repo from './comment.repository.ts';

/** The queue's states, in the order its tabs show them. */
export const QUEUE_STATES: readonly CommentStatus[] = ['pending', 'approved', 'spam', 'trash'];

/** What staff can do to several comments at once. `unapprove` and `restore` both put comments back in the pending queue. */
export type BulkAction = 'approve' | 'unapprove' | 'spam' | 'trash' | 'restore';
export const BULK_ACTIONS: readonly BulkAction[] = ['approve', 'unapprove', 'spam', 'trash', 'restore'];
const ACTION_STATUS: Record<BulkAction, CommentStatus> = { approve: 'approved', unapprove: 'pending', spam: 'spam', trash: 'trash', restore: 'pending' };

/** Comments per queue page unless asked otherwise, and the most a page may hold. */
export const QUEUE_PER_PAGE = 20;
const QUEUE_PER_PAGE_MAX = 100;
/** The most comments one bulk action moves (a queue page holds at most QUEUE_PER_PAGE_MAX). */
const BULK_MAX = 500;
/** How many articles the queue's article filter offers (the most commented). */
const ARTICLE_CHOICES = 200;

/** A comment with everything staff may see, the reader's address included. */
export interface StaffComment {
  id: number;
  status: CommentStatus;
  articleId: number;
  articlePath: string;
  parentId: number | null;
  depth: number;
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  ip: string;
  /** Why it was held or marked spam. */
  note: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  /** Written by a staff account. */
  staff: boolean;
}

/** An article staff can filter the queue by. */
export interface ArticleChoice {
  id: number;
  path: string;
  /** Comments in any state. */
  comments: number;
}

/** The article the queue is filtered by, with what its open/close form needs. */
export interface QueueArticle {
  id: number;
  path: string;
  /** Null when the article is not published (no headline or comment state to show). */
  headline: string | null;
  commentsOpen: boolean | null;
}

export interface QueueQuery {
  status: CommentStatus;
  articleId?: number;
  /** 1 is the newest comments; a page past the last shows the last. */
  page?: number;
  perPage?: number;
}

export interface QueueView {
  status: CommentStatus;
  /** Comments in each state, on the filtered article or on the whole site. */
  counts: Record<CommentStatus, number>;
  article: QueueArticle | null;
  items: StaffComment[];
  page: number;
  pageCount: number;
  perPage: number;
  articles: ArticleChoice[];
}

/** What staff may change in a comment, as typed. */
export interface ShownFields {
  body: string;
  authorName: string;
  authorUrl: string;
}

/** The comment service's own parts moderation works through (comment.service.ts hands them over). */
export interface ModerationParts {
  store: Store;
  /** Moves comments to a state in the caller's transaction (the CLI's path too). */
  applyStatus(trx: Db, ids: readonly number[], status: CommentStatus, now: Date): Promise<StatusMove>;
  /** After the commit of applyStatus: announces and sends first-approval reply notices. */
  announceStatusChange(change: StatusMove): void;
  /** Checks a comment's shown fields under readers' rules; throws CommentRejected. */
  checkShownFields(fields: { author: string; email: string; url: string; text: string }): { author: string; url: string | null; text: string };
  /** Validates and stores an approved staff reply in the caller's transaction; throws CommentRejected. */
  insertStaffReply(trx: Db, article: CommentTarget, reply: { parentId: number; name: string; email: string; text: string; accountId: number }, now: Date): Promise<number>;
  /** Tells the parent's author of an approved reply, when they asked to be told. */
  noticeReply(commentId: number): void;
}

export interface StatusMove {
  moved: { id: number; articleId: number; from: CommentStatus }[];
  firstApprovals: number[];
  shownOn: Set<number>;
}

/** Form field names of the staff forms, and the words for what is wrong in them. */
type StaffField = 'body' | 'author_name' | 'author_url';
const FIELD_OF: Record<FieldName, StaffField> = { comment: 'body', author: 'author_name', url: 'author_url', email: 'body', comment_parent: 'body' };

function issueMessage(field: FieldName, issue: FieldIssue): string {
  const p = issue.params;
  switch (issue.problem) {
    case 'required':
      return field === 'author' ? 'Enter a name.' : 'Enter the text.';
    case 'too_long':
      return `Use at most ${p.max} characters (this has ${p.length}).`;
    case 'invisible':
      return 'Use at least one visible character.';
    case 'control_chars':
      return field === 'author' ? 'Use one line without control characters.' : 'Remove the control characters.';
    case 'url_invalid':
      return 'Enter a web address starting with http:// or https://, or leave it empty.';
    case 'email_invalid':
      return 'The account’s email address cannot sign a comment.';
    case 'parent_invalid':
      return 'The comment replied to is not published on this article.';
    case 'too_deep':
      return `Replies nest at most ${p.max} levels deep; reply to a comment higher up.`;
  }
}

/** A refusal under readers' rules, as a staff form's per-field error. */
function asFormError(error: unknown): unknown {
  if (!(error instanceof CommentRejected)) return error;
  if (error.problem === 'duplicate') return new AppError('invalid_input', 'The same text is already published on this article.', { body: 'The same text is already published on this article.' });
  const fields: Record<string, string> = {};
  for (const [field, issue] of Object.entries(error.issues) as [FieldName, FieldIssue][]) fields[FIELD_OF[field]] ??= issueMessage(field, issue);
  return new AppError('invalid_input', error.message, fields);
}

function toStaff(row: CommentRow, paths: Map<number, string>): StaffComment {
  return {
    id: row.id,
    status: row.status,
    articleId: row.article_id,
    articlePath: paths.get(row.article_id) ?? '',
    parentId: row.parent_id,
    depth: row.depth,
    authorName: row.author_name,
    authorEmail: row.author_email,
    authorUrl: row.author_url,
    ip: row.ip,
    note: row.moderation_note,
    body: row.body,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    staff: row.staff_account_id !== null,
  };
}

/** Reads comment ids as staff forms send them; anything else is a 422 on the `ids` field. */
export function commentIds(values: readonly string[]): number[] {
  const ids = new Set<number>();
  for (const v of values) {
    if (!/^[1-9]\d{0,12}$/.test(v)) throw new AppError('invalid_input', `"${v}" is not a comment id.`, { ids: 'Choose comments from the list.' });
    ids.add(Number(v));
  }
  if (!ids.size) throw new AppError('invalid_input', 'No comment was chosen.', { ids: 'Choose at least one comment.' });
  if (ids.size > BULK_MAX) throw new AppError('invalid_input', `${ids.size} comments were chosen.`, { ids: `Choose at most ${BULK_MAX} comments at a time.` });
  return [...ids];
}

/** The moderation methods of the comment service. */
export function createModeration(parts: ModerationParts) {
  const { store } = parts;
  const { db } = store;

  const allowed = (actor: Account) => ensureCan(actor, 'comment.moderate');

  async function queueArticle(articleId: number): Promise<QueueArticle> {
    const target = await commentTarget(db, articleId);
    if (target) return { id: target.id, path: target.path, headline: target.headline, commentsOpen: target.commentsOpen };
    const path = (await pathsOf(db, [articleId])).get(articleId);
    if (path === undefined) throw new AppError('not_found', `There is no article ${articleId}.`);
    return { id: articleId, path, headline: null, commentsOpen: null };
  }

  async function articleChoices(): Promise<ArticleChoice[]> {
    const commented = await repo.commentedArticles(db, ARTICLE_CHOICES);
    const paths = await pathsOf(db, commented.map((c) => c.articleId));
    return commented.map((c) => ({ id: c.articleId, path: paths.get(c.articleId) ?? '', comments: c.comments })).sort((a, b) => a.path.localeCompare(b.path));
  }

  return {
    /** How many comments wait for moderation on the whole site (the admin navigation's badge). */
    pendingCount(): Promise<number> {
      return repo.pendingTotal(db);
    },

    /** One page of the moderation queue in one state, newest first, with the counts of every state. */
    async moderationQueue(actor: Account, query: QueueQuery): Promise<QueueView> {
      allowed(actor);
      const perPage = Math.min(Math.max(1, query.perPage ?? QUEUE_PER_PAGE), QUEUE_PER_PAGE_MAX);
      const article = query.articleId !== undefined ? await queueArticle(query.articleId) : null;
      const byState = await repo.statusCounts(db, article?.id);
      const counts = Object.fromEntries(QUEUE_STATES.map((s) => [s, byState.get(s) ?? 0])) as Record<CommentStatus, number>;
      const pageCount = Math.max(1, Math.ceil(counts[query.status] / perPage));
      // After a bulk move empties the last page, the form returns to a page that no longer exists: show the last one.
      const page = Math.min(Math.max(1, query.page ?? 1), pageCount);
      const rows = await repo.queueSlice(db, { status: query.status, articleId: article?.id, offset: (page - 1) * perPage, limit: perPage });
      const paths = await pathsOf(db, rows.map((r) => r.article_id));
      return { status: query.status, counts, article, items: rows.map((r) => toStaff(r, paths)), page, pageCount, perPage, articles: await articleChoices() };
    },

    /** One comment for staff (its edit and reply forms). */
    async staffComment(actor: Account, id: number): Promise<StaffComment> {
      allowed(actor);
      const row = await repo.findComment(db, id);
      if (!row) throw new AppError('not_found', `There is no comment ${id}.`);
      return toStaff(row, await pathsOf(db, [row.article_id]));
    },

    /**
     * Moves comments to another state: all of them or, when one id is unknown, none. Approving sends the
     * reply notices approval sends from the CLI (first approval only).
     */
    async bulkModerate(actor: Account, ids: readonly number[], action: BulkAction, now = new Date()): Promise<{ moved: number; status: CommentStatus }> {
      allowed(actor);
      const status = ACTION_STATUS[action];
      const change = await store.writeTransaction(async (trx) => {
        const moved = await parts.applyStatus(trx, ids, status, now);
        for (const m of moved.moved) {
          await recordAudit(trx, { actorId: actor.id, action: `comment.${action}`, subject: `comment:${m.id}`, details: { article: m.articleId, from: m.from, to: status } });
        }
        return moved;
      });
      parts.announceStatusChange(change);
      return { moved: change.moved.length, status };
    },

    /** A staff correction of a comment's text, name and website, under the rules readers' comments meet. */
    async editComment(actor: Account, id: number, fields: ShownFields, now = new Date()): Promise<StaffComment> {
      allowed(actor);
      const row = await store.writeTransaction(async (trx) => {
        const c = await repo.findComment(trx, id);
        if (!c) throw new AppError('not_found', `There is no comment ${id}.`);
        let checked: ReturnType<ModerationParts['checkShownFields']>;
        try {
          checked = parts.checkShownFields({ author: fields.authorName, email: c.author_email, url: fields.authorUrl.trim(), text: fields.body });
        } catch (error) {
          throw asFormError(error);
        }
        await repo.setShownFields(trx, id, { body: checked.text, authorName: checked.author, authorUrl: checked.url }, now.toISOString());
        const changed = [c.body !== checked.text && 'body', c.author_name !== checked.author && 'name', c.author_url !== checked.url && 'website'].filter(Boolean);
        await recordAudit(trx, { actorId: actor.id, action: 'comment.edit', subject: `comment:${id}`, details: { article: c.article_id, changed } });
        return (await repo.findComment(trx, id))!;
      });
      // Only an approved comment is on a public page (its thread and the comment feed).
      if (row.status === 'approved') store.changes.announce([key.comments(row.article_id)]);
      return toStaff(row, await pathsOf(db, [row.article_id]));
    },

    /**
     * A reply by a staff account, published at once and marked as staff on the page (the account's
     * address is stored like a reader's, never shown). A held parent is approved with it.
     */
    async replyAsStaff(actor: Account, parentId: number, text: string, now = new Date()): Promise<{ id: number; articleId: number; articlePath: string }> {
      allowed(actor);
      const parent = await repo.findComment(db, parentId);
      if (!parent) throw new AppError('not_found', `There is no comment ${parentId}.`);
      const article = await commentTarget(db, parent.article_id);
      if (!article) throw new AppError('invalid_input', 'The article of this comment is not published.', { body: 'The article of this comment is not published, so a reply cannot be shown.' });
      const done = await store.writeTransaction(async (trx) => {
        let approval: StatusMove | null = null;
        if (parent.status !== 'approved') {
          approval = await parts.applyStatus(trx, [parentId], 'approved', now);
          await recordAudit(trx, { actorId: actor.id, action: 'comment.approve', subject: `comment:${parentId}`, details: { article: article.id, from: parent.status, to: 'approved', reason: 'replied to' } });
        }
        let id: number;
        try {
          id = await parts.insertStaffReply(trx, article, { parentId, name: actor.name, email: actor.email, text, accountId: actor.id }, now);
        } catch (error) {
          throw asFormError(error);
        }
        await recordAudit(trx, { actorId: actor.id, action: 'comment.reply', subject: `comment:${id}`, details: { article: article.id, parent: parentId } });
        return { id, approval };
      });
      if (done.approval) parts.announceStatusChange(done.approval);
      store.changes.announce([key.comments(article.id)]);
      parts.noticeReply(done.id);
      return { id: done.id, articleId: article.id, articlePath: article.path };
    },

    /** Opens or closes an article to new comments (the article capability keeps the flag). */
    async setArticleCommentsOpen(actor: Account, articleId: number, open: boolean): Promise<QueueArticle> {
      allowed(actor);
      const path = (await pathsOf(db, [articleId])).get(articleId);
      if (path === undefined) throw new AppError('not_found', `There is no article ${articleId}.`);
      await store.writeTransaction(async (trx) => {
        await setCommentsOpen(trx, articleId, open);
        await recordAudit(trx, { actorId: actor.id, action: open ? 'comment.open' : 'comment.close', subject: `article:${articleId}` });
      });
      // Whether an article takes comments shows in its comment section only.
      store.changes.announce([key.comments(articleId)]);
      return queueArticle(articleId);
    },
  };
}
