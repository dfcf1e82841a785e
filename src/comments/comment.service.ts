// Comment domain logic: posting (every spam and abuse rule), moderation, threads for display, feeds,
// notices by mail and opt-outs. No Fastify here: the web routes and the `gazette comments` CLI share it.
import { randomBytes } from 'node:crypto';
import type { CommentOrder, CommentsConfig, Config } from '../config.ts';
import type { CommentStatus } from '../db/schema.ts';
import type { Db, Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import { AppError } from '../errors.ts';
import { identicon, type Identicon } from './comment.avatar.ts';
import { CommentRejected, type FieldIssue, type FieldName } from './comment.errors.ts';
import { createMailer, type Mailer } from './comment.mail.ts';
import { RateLimiter } from './comment.rate-limit.ts';
import { createModeration, type StatusMove } from './comment.moderation.ts';
import * as repo from './comment.repository.ts';
import { commentTarget, commentTargetAt, pathsOf, publishedIdsBetween, setCommentsOpen, type CommentTarget } from '../articles/article.lookups.ts';
import { commentParagraphs, countLinks, type Paragraph } from './comment.text.ts';
import { checkFormToken, issueFormToken, keyedDigest, optoutKey as optoutKeyOf, optoutLinkKey, readBrowserComments, readOptoutLinkKey, signBrowserComments } from './comment.token.ts';
import { commentPermalinkPath } from '../lib/paths.ts';
import { recordCommentChange } from '../webhooks/webhook.events.ts';

/** What a reader sent, field by field, as the form names them (WordPress's names). */
export interface CommentSubmission {
  article_id?: string;
  author?: string;
  email?: string;
  url?: string;
  comment?: string;
  comment_parent?: string;
  notify?: string;
  /** The honeypot: people never see it, so it stays empty. */
  homepage?: string;
  token?: string;
}

export interface PostContext {
  ip: string;
  userAgent: string;
  now: Date;
  /** The comments the posting browser sent before, from its signed cookie (readBrowserComments); none for a new browser. */
  browserComments: readonly number[];
}

export interface PostResult {
  id: number;
  status: CommentStatus;
  articleId: number;
  articlePath: string;
}

/** A reader's accepted post, and what their browser's cookie names now. */
export interface ReaderPostResult extends PostResult {
  /** The browser's comments with this one added (the newest few), for its cookie. */
  browserComments: number[];
}

/** What came of an unsubscribe request. */
export type UnsubscribeOutcome = { ok: true } | { ok: false; problem: 'link_invalid' } | { ok: false; problem: 'rate_limited'; wait: number };

/** A per-reader form token, or why there is none. */
export type ReaderToken = { ok: true; token: string } | { ok: false; problem: 'unknown_article' | 'closed' };

/** A published comment as readers see it. */
export interface PublicComment {
  id: number;
  parentId: number | null;
  depth: number;
  authorName: string;
  authorUrl: string | null;
  /** The text as the reader typed it. */
  body: string;
  /** The same text read for display: paragraphs, lines, links. */
  paragraphs: Paragraph[];
  createdAt: string;
  avatar: Identicon;
  /** False when a reply to it would go deeper than the limit. */
  canReply: boolean;
  /** Written by a staff account in /admin: the page marks it as staff (the account itself is not shown). */
  staff: boolean;
  children: PublicComment[];
}

/** A comment with everything an editor may see. */
export interface EditorComment {
  id: number;
  status: CommentStatus;
  articlePath: string;
  parentId: number | null;
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  ip: string;
  createdAt: string;
  note: string;
  body: string;
}

/** The article fields the comment section needs. */
export interface ArticleRef {
  id: number;
  path: string;
  language: string;
  commentsOpen: boolean;
  publishedAt: string;
  /** Its approved comments and threads when the caller read them already (with the article's row); read here otherwise. */
  commentTotals?: { comments: number; threads: number };
}

/**
 * Where a comment page stands among an article's comment pages. Pages hold COMMENTS_PER_PAGE top-level
 * threads each and are numbered from the oldest thread, so a thread keeps its page as threads are added.
 */
export interface CommentPages {
  /** The page shown; 1 holds the oldest threads. */
  current: number;
  /** How many pages there are (at least 1). */
  count: number;
  /** The page the article's address shows without ?cpage= (1 oldest-first, the last newest-first). */
  default: number;
  /** Order of the threads on a page; the pages are read in the same direction. */
  order: CommentOrder;
}

/** Where a comment is shown now. */
export interface CommentLocation {
  id: number;
  articleId: number;
  articlePath: string;
  page: number;
  defaultPage: number;
}

export interface ThreadView {
  /** Every approved comment of the article, on every page. */
  count: number;
  open: boolean;
  /** The threads of the page shown, in the configured order. */
  thread: PublicComment[];
  pages: CommentPages;
  /** The comment a ?replytocom= link points at, when it can take a reply. */
  replyTo: { id: number; authorName: string } | null;
}

export interface FeedView {
  articleId: number;
  headline: string;
  language: string;
  path: string;
  /** Newest first. */
  items: PublicComment[];
}

const NAME_MAX = 120;
const EMAIL_MAX = 254;
const URL_MAX = 200;
const FEED_ITEMS = 50;
const PARAGRAPHS_CACHE_ENTRIES = 20_000;
const SECRET_KEY_NAME = 'comments.hmac_secret';
/** How many of a browser's comments its cookie remembers (the newest). */
const BROWSER_COMMENTS_KEPT = 20;

// Characters XML 1.0 cannot carry (so no feed could show them) and unpaired surrogates.
const UNSHOWABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAKS = /[\t\r\n]/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

const codePoints = (s: string) => [...s].length;

/** Every comment of some threads, parents before their replies. */
const flatten = (comments: readonly PublicComment[]): PublicComment[] => comments.flatMap((c) => [c, ...flatten(c.children)]);
/**
 * Characters that show nothing by themselves: default-ignorables (zero-width spaces and joiners, the
 * Hangul fillers, soft hyphen, variation selectors, tags), other format characters (bidi controls),
 * white space, controls and combining marks, plus the blank Braille pattern, which no property covers.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{White_Space}\p{Cc}\p{M}\u2800\u115F\u1160\u3164\uFFA0]/gu;

/** True when a text has at least one character a reader can see. */
export const showsSomething = (text: string): boolean => text.replace(INVISIBLE, '') !== '';

/** A name as compared for "the same commenter": compatibility-folded, invisibles dropped, spaces and case evened out. */
const nameKey = (name: string) => name.normalize('NFKC').replace(INVISIBLE, ' ').replace(/\s+/gu, ' ').trim().toLowerCase();

/** SMTP errors quote recipients ("550 <a@b>: rejected"); log lines must not. */
const withoutAddresses = (text: string) => text.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '[address]');

/** The HMAC secret: SECRET_KEY when set, otherwise one generated on first use and kept in site_state. */
export async function resolveSecret(db: Db, config: Config): Promise<string> {
  if (config.secret) return config.secret;
  return (await repo.readState(db, SECRET_KEY_NAME)) ?? repo.insertStateOnce(db, SECRET_KEY_NAME, randomBytes(32).toString('base64url'));
}

/** A comment brought from another system (a WordPress import), already decided: no moderation, mail or webhooks. */
export interface ImportedComment {
  articleId: number;
  /** The comment it answers, already imported; null for a top-level comment. */
  parentId: number | null;
  author: string;
  /** Kept private as readers' addresses always are (never shown; exported only as a digest). */
  email: string;
  url: string | null;
  text: string;
  status: CommentStatus;
  createdAt: string;
}

/**
 * Stores an imported comment inside the importer's transaction, or updates the one imported before
 * (`existingId`) when the same export is imported again. `secret` is the server secret (resolveSecret)
 * that keys avatars, as for readers' own comments. Returns the comment's id.
 */
export async function importCommentIn(trx: Db, secret: string, c: ImportedComment, existingId: number | null): Promise<number> {
  if (existingId !== null && (await repo.findComment(trx, existingId))) {
    const { author, url } = shownAuthor(c);
    await repo.setShownFields(trx, existingId, { body: c.text, authorName: author, authorUrl: url }, c.createdAt);
    await repo.setStatus(trx, existingId, c.status, c.createdAt);
    return existingId;
  }
  const parent = c.parentId === null ? null : await repo.findComment(trx, c.parentId);
  return repo.insertComment(trx, importedRow(secret, c, parent ?? null));
}

/**
 * Before an import writes comments in `trx` (decision 0058): when the site holds none yet, the comments'
 * secondary indexes are set aside (Store.setIndexesAside) and the function returned builds them again
 * over everything imported, to be called before the transaction commits. Null when the site already has
 * comments (an index kept row by row then costs less than building it again over them all) or the engine
 * keeps its indexes. Only the import's own statements run meanwhile, and they read comments by id alone.
 */
export async function setCommentIndexesAsideForImport(store: Store, trx: Db): Promise<(() => Promise<void>) | null> {
  if (await repo.hasAnyComment(trx)) return null;
  return store.setIndexesAside(trx, 'comments');
}

/** A new imported comment for importNewCommentsIn: its parent named by key among the same call's comments. */
export interface NewImportedComment extends Omit<ImportedComment, 'parentId'> {
  /** Unique within the call (e.g. the WordPress post and comment ids). */
  key: string;
  /** The key of the comment it answers, or null; a key not among the call's comments starts a thread. */
  parentKey: string | null;
}

/**
 * Stores many new imported comments (a batch of imported posts' threads) inside the importer's
 * transaction, a statement per reply depth instead of two or three per comment, with what
 * importCommentIn stores. Parents come before their replies whatever the order given; a cycle of
 * parents is broken where it is met (that comment starts a thread). Returns the new ids by key.
 */
export async function importNewCommentsIn(trx: Db, secret: string, comments: readonly NewImportedComment[]): Promise<Map<string, number>> {
  const keys = new Set(comments.map((c) => c.key));
  const placed = new Map<string, { id: number; depth: number; root_id: number }>();
  let pending = comments;
  while (pending.length) {
    let ready = pending.filter((c) => c.parentKey === null || !keys.has(c.parentKey) || placed.has(c.parentKey));
    // Only a cycle leaves nothing ready: its first comment starts a thread.
    const cut = ready.length ? null : pending[0]!.key;
    if (cut !== null) ready = [pending[0]!];
    const rows = ready.map((c) => {
      const parent = c.key === cut || c.parentKey === null ? undefined : placed.get(c.parentKey);
      return importedRow(secret, { ...c, parentId: parent?.id ?? null }, parent ?? null);
    });
    const ids = await repo.insertComments(trx, rows);
    ready.forEach((c, i) => placed.set(c.key, { id: ids[i]!, depth: rows[i]!.depth, root_id: rows[i]!.root_id ?? ids[i]! }));
    pending = pending.filter((c) => !placed.has(c.key));
  }
  return new Map([...placed].map(([k, v]) => [k, v.id]));
}

/** The author's name and link as shown: a name always, a link only to a web page. */
function shownAuthor(c: ImportedComment): { author: string; url: string | null } {
  return { author: c.author.trim().slice(0, 200) || 'Anonymous', url: c.url && /^https?:\/\//i.test(c.url) ? c.url.slice(0, 2000) : null };
}

/** The row of a new imported comment under `parent` (null: it starts a thread, root_id is filled in after). */
function importedRow(secret: string, c: ImportedComment, parent: { id: number; depth: number; root_id: number | null } | null) {
  const { author, url } = shownAuthor(c);
  const emailLower = c.email.trim().toLowerCase();
  return {
    article_id: c.articleId,
    parent_id: parent ? parent.id : null,
    root_id: parent ? parent.root_id : null,
    depth: parent ? parent.depth + 1 : 1,
    author_name: author,
    author_email: c.email.trim(),
    author_email_lower: emailLower,
    avatar_key: keyedDigest(secret, 'avatar', emailLower),
    author_url: url,
    body: c.text,
    status: c.status,
    moderation_note: 'imported',
    notify: 0,
    ip: '',
    user_agent: '',
    created_at: c.createdAt,
    updated_at: c.createdAt,
    approved_at: c.status === 'approved' ? c.createdAt : null,
  };
}

/** True when an article takes comments now: open, and not past the auto-close age. */
export function acceptsComments(open: boolean, publishedAt: string | null, rules: CommentsConfig, now: Date): boolean {
  if (!open) return false;
  if (rules.closeAfterDays === 0 || !publishedAt) return true;
  return now.getTime() < Date.parse(publishedAt) + rules.closeAfterDays * 86_400_000;
}

export interface CommentServiceDeps {
  store: Store;
  config: Config;
  secret: string;
  mailer: Mailer | null;
  /** Where failures of background mail are reported; never given an address. */
  warn?: (message: string, details: Record<string, unknown>) => void;
}

export type CommentService = ReturnType<typeof createCommentService>;

/** Builds the comment service over a store, the configuration and the resolved secret. */
export function createCommentService(deps: CommentServiceDeps) {
  const { store, config, secret, mailer } = deps;
  const { db } = store;
  const rules = config.comments;
  const limiter = new RateLimiter(rules.rateMax, rules.rateWindowSeconds * 1000);
  // Unsubscribe posts have their own window, so opting out never uses up a reader's comments or the reverse.
  const unsubscribeLimiter = new RateLimiter(rules.rateMax, rules.rateWindowSeconds * 1000);
  const pendingMail = new Set<Promise<void>>();

  const avatarKey = (emailLower: string) => keyedDigest(secret, 'avatar', emailLower);
  const optoutKey = (emailLower: string) => optoutKeyOf(secret, emailLower);
  const unsubscribeUrl = (emailLower: string) => `${config.publicUrl}/comments/unsubscribe/${optoutLinkKey(secret, emailLower)}`;

  // Finding links is most of the cost of showing a comment; its paragraphs only change when its text does.
  const paragraphsOf = new Map<string, Paragraph[]>();
  function paragraphs(body: string): Paragraph[] {
    let out = paragraphsOf.get(body);
    if (out === undefined) {
      out = commentParagraphs(body);
      if (paragraphsOf.size >= PARAGRAPHS_CACHE_ENTRIES) paragraphsOf.delete(paragraphsOf.keys().next().value!);
      paragraphsOf.set(body, out);
    }
    return out;
  }

  function toPublic(rows: repo.PublicCommentRow[]): PublicComment[] {
    return rows.map((r) => ({
      id: r.id,
      parentId: r.parent_id,
      depth: r.depth,
      authorName: r.author_name,
      authorUrl: r.author_url,
      body: r.body,
      paragraphs: paragraphs(r.body),
      createdAt: r.created_at,
      avatar: identicon(r.avatar_key),
      canReply: r.depth < rules.maxDepth,
      staff: r.staff_account_id !== null,
      children: [],
    }));
  }

  /** Nests comments under their parents; a reply whose parent is not shown stands at the top level. */
  function thread(comments: PublicComment[]): PublicComment[] {
    const byId = new Map(comments.map((c) => [c.id, c]));
    const roots: PublicComment[] = [];
    for (const c of comments) {
      const parent = c.parentId !== null ? byId.get(c.parentId) : undefined;
      (parent ? parent.children : roots).push(c);
    }
    return roots;
  }

  /** How many comment pages `threads` threads fill, and which one an article shows first. */
  function pageLayout(threads: number): { count: number; default: number } {
    const count = Math.max(1, Math.ceil(threads / rules.perPage));
    return { count, default: rules.order === 'newest-first' ? count : 1 };
  }

  /** The threads of one page in the configured order: newest-first turns the threads round, not the replies in them. */
  function pageThreads(rows: repo.PublicCommentRow[]): PublicComment[] {
    const roots = thread(toPublic(rows));
    if (rules.order === 'oldest-first') return roots;
    // Rows come thread by thread; a thread whose top-level comment is not shown may stand as several roots.
    const threadOf = new Map(rows.map((r) => [r.id, r.root_id ?? r.id]));
    const position = new Map(roots.map((c, i) => [c.id, i]));
    return [...roots].sort((a, b) => threadOf.get(b.id)! - threadOf.get(a.id)! || position.get(a.id)! - position.get(b.id)!);
  }

  /** The comment a ?replytocom= link names, when it is an approved comment of this article that takes a reply. */
  async function replyTarget(articleId: number, id: number, shown: readonly PublicComment[]): Promise<{ id: number; authorName: string } | null> {
    const onPage = shown.find((c) => c.id === id);
    if (onPage) return onPage.canReply ? { id, authorName: onPage.authorName } : null;
    const row = await repo.findApproved(db, id);
    return row && row.article_id === articleId && row.depth < rules.maxDepth ? { id, authorName: row.author_name } : null;
  }

  function validate(sub: CommentSubmission) {
    const issues: Partial<Record<FieldName, FieldIssue>> = {};
    const issue = (field: FieldName, problem: FieldIssue['problem'], params: Record<string, number> = {}) => {
      issues[field] ??= { problem, params };
    };
    const author = sub.author ?? '';
    if (author.trim() === '') issue('author', 'required');
    else if (codePoints(author) > NAME_MAX) issue('author', 'too_long', { max: NAME_MAX, length: codePoints(author) });
    else if (UNSHOWABLE.test(author) || LINE_BREAKS.test(author)) issue('author', 'control_chars');
    else if (!showsSomething(author)) issue('author', 'invisible');

    const email = (sub.email ?? '').trim();
    if (email === '') issue('email', 'required');
    else if (email.length > EMAIL_MAX) issue('email', 'too_long', { max: EMAIL_MAX, length: email.length });
    else if (!EMAIL.test(email) || UNSHOWABLE.test(email)) issue('email', 'email_invalid');

    const url = sub.url ?? '';
    if (url !== '') {
      if (codePoints(url) > URL_MAX) issue('url', 'too_long', { max: URL_MAX, length: codePoints(url) });
      else if (!/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(url) || UNSHOWABLE.test(url) || !URL.canParse(url)) issue('url', 'url_invalid');
    }

    const text = sub.comment ?? '';
    if (text.trim() === '') issue('comment', 'required');
    else if (codePoints(text) > rules.maxLength) issue('comment', 'too_long', { max: rules.maxLength, length: codePoints(text) });
    else if (UNSHOWABLE.test(text)) issue('comment', 'control_chars');
    else if (!showsSomething(text)) issue('comment', 'invisible');

    const parentText = (sub.comment_parent ?? '').trim();
    let parentId: number | null = null;
    if (parentText !== '' && parentText !== '0') {
      if (/^[1-9]\d{0,12}$/.test(parentText)) parentId = Number(parentText);
      else issue('comment_parent', 'parent_invalid');
    }
    if (Object.keys(issues).length) {
      const summary = Object.entries(issues).map(([f, i]) => `${f}: ${i.problem}`).join(', ');
      throw new CommentRejected('invalid', `The comment is not valid (${summary}).`, issues);
    }
    return { author, email, emailLower: email.toLowerCase(), url: url === '' ? null : url, text, parentId, notify: ['on', '1', 'yes', 'true'].includes(sub.notify ?? '') };
  }
  type ValidComment = ReturnType<typeof validate>;

  /**
   * True when the posting browser sent an approved comment under this name and address: trust that
   * only this reader's browser holds, never an address anyone could type.
   */
  async function trustedBrowser(v: ReturnType<typeof validate>, browserComments: readonly number[]): Promise<boolean> {
    const mine = await repo.authorsOf(db, browserComments);
    return mine.some((c) => c.status === 'approved' && c.author_email_lower === v.emailLower && nameKey(c.author_name) === nameKey(v.author));
  }

  /** Where a new comment goes, and why, from the spam rules and the moderation mode. */
  async function decide(v: ReturnType<typeof validate>, ip: string, browserComments: readonly number[]): Promise<{ status: CommentStatus; note: string }> {
    if (rules.blockedIps.includes(ip)) return { status: 'spam', note: 'sent from a blocklisted IP address' };
    const haystack = [v.author, v.email, v.url ?? '', v.text].join('\n').toLowerCase();
    const word = rules.blocklist.find((w) => haystack.includes(w));
    if (word !== undefined) return { status: 'spam', note: `contains the blocklisted word "${word}"` };
    const links = countLinks(v.text);
    if (links > rules.maxLinks) return { status: 'pending', note: `${links} links (more than ${rules.maxLinks})` };
    switch (rules.moderation) {
      case 'hold-none':
        return { status: 'approved', note: '' };
      case 'hold-all':
        return { status: 'pending', note: 'every comment is held (COMMENTS_MODERATION=hold-all)' };
      case 'hold-first':
        if (await trustedBrowser(v, browserComments)) return { status: 'approved', note: '' };
        // For editors only: whether the address is known helps them judge a regular on a new device.
        return (await repo.hasApprovedFrom(db, v.emailLower))
          ? { status: 'pending', note: 'first comment from this browser under this name and address; the address has approved comments (a new device, or someone else using the address)' }
          : { status: 'pending', note: 'first comment from this address' };
    }
  }

  function later(job: () => Promise<void>, what: string, details: Record<string, unknown>): void {
    if (!mailer) return;
    const p = job()
      .catch((error: unknown) => deps.warn?.(`${what} failed`, { ...details, error: withoutAddresses(error instanceof Error ? error.message : String(error)) }))
      .finally(() => pendingMail.delete(p));
    pendingMail.add(p);
  }

  async function mailTo(emailLower: string, to: string, subject: string, text: string): Promise<void> {
    if (!mailer || (await repo.hasOptout(db, optoutKey(emailLower)))) return;
    await mailer.send({ to, subject, text, unsubscribeUrl: unsubscribeUrl(emailLower) });
  }

  /** Tells the parent's author about an approved reply, if they asked to be told. */
  function noticeReply(commentId: number): void {
    later(
      async () => {
        const c = await repo.findComment(db, commentId);
        if (!c || c.status !== 'approved' || c.parent_id === null) return;
        const parent = await repo.findComment(db, c.parent_id);
        if (!parent || !parent.notify || parent.status !== 'approved' || parent.author_email_lower === c.author_email_lower) return;
        const article = await commentTarget(db, c.article_id);
        if (!article) return;
        // Mail is read days later, when the reply may be on another comment page: the lasting address finds it.
        const link = config.publicUrl + commentPermalinkPath(c.id);
        await mailTo(
          parent.author_email_lower,
          parent.author_email,
          `New reply to your comment on “${article.headline}”`,
          `${c.author_name} replied to your comment on “${article.headline}”:\n\n${c.body}\n\nRead it and answer: ${link}`,
        );
      },
      'reply notice',
      { comment: commentId },
    );
  }

  /** Tells editors a comment waits for them. */
  function noticeHeld(commentId: number): void {
    if (!rules.editorEmails.length) return;
    later(
      async () => {
        const c = await repo.findComment(db, commentId);
        const article = c && (await commentTarget(db, c.article_id));
        if (!c || !article) return;
        const link = `${config.publicUrl}${article.path}`;
        const text = [
          `A comment on “${article.headline}” (${link}) is waiting for moderation: ${c.moderation_note}.`,
          '',
          `Author: ${c.author_name} <${c.author_email}>${c.author_url ? ` ${c.author_url}` : ''}`,
          `IP: ${c.ip}`,
          '',
          c.body,
          '',
          `Moderate: ${config.publicUrl}/admin/comments/${c.id}`,
          `Approve: gazette comments approve ${c.id}`,
          `Spam:    gazette comments spam ${c.id}`,
          `Trash:   gazette comments trash ${c.id}`,
        ].join('\n');
        for (const editor of rules.editorEmails) await mailTo(editor.toLowerCase(), editor, `Comment held for moderation: “${article.headline}”`, text);
      },
      'moderation notice',
      { comment: commentId },
    );
  }

  async function articleOrReject(rawId: string | undefined): Promise<CommentTarget> {
    const id = rawId !== undefined && /^[1-9]\d{0,12}$/.test(rawId.trim()) ? Number(rawId.trim()) : null;
    const article = id !== null ? await commentTarget(db, id) : undefined;
    if (!article) throw new CommentRejected('unknown_article', 'The article this comment is for does not exist or is not published.');
    return article;
  }

  async function insertChecked(article: CommentTarget, v: ValidComment, decision: { status: CommentStatus; note: string }, ctx: PostContext) {
    // The parent, the duplicate check and the insert share one transaction: no half-accepted comment.
    // Held and spam comments change no public page: keep the page cache, so a flood of them costs readers nothing.
    // An approved one changes its article's thread, comment feed and the comment count on its cards:
    // announced with the commit (decision 0055).
    const announces = decision.status === 'approved' ? [key.comments(article.id)] : undefined;
    return store.writeTransaction((trx) => insertIn(trx, article, v, decision, ctx, null), announces);
  }

  /**
   * Checks the parent and the duplicate rule and stores the comment, in the caller's write transaction;
   * the caller announces. `staffAccountId` marks a reply written by a staff account in /admin.
   */
  async function insertIn(trx: Db, article: CommentTarget, v: ValidComment, decision: { status: CommentStatus; note: string }, ctx: PostContext, staffAccountId: number | null): Promise<number> {
    const stamp = ctx.now.toISOString();
    let depth = 1;
    if (v.parentId !== null) {
      const parent = await repo.findApproved(trx, v.parentId);
      if (!parent || parent.article_id !== article.id)
        throw new CommentRejected('invalid', 'The comment being replied to does not exist here.', { comment_parent: { problem: 'parent_invalid', params: {} } });
      depth = parent.depth + 1;
      if (depth > rules.maxDepth)
        throw new CommentRejected('invalid', `Replies nest at most ${rules.maxDepth} levels deep.`, { comment_parent: { problem: 'too_deep', params: { max: rules.maxDepth } } });
    }
    // A repeat of a published comment, or of one this browser sent: never judged by the address typed,
    // so the answer tells nobody whether an address wrote anything.
    if (await repo.isRepeat(trx, article.id, v.text, ctx.browserComments))
      throw new CommentRejected('duplicate', 'The same comment was already sent to this article.');
    const id = await repo.insertComment(trx, {
      article_id: article.id,
      parent_id: v.parentId,
      depth,
      author_name: v.author,
      author_email: v.email,
      author_email_lower: v.emailLower,
      avatar_key: avatarKey(v.emailLower),
      author_url: v.url,
      body: v.text,
      status: decision.status,
      moderation_note: decision.note,
      notify: v.notify ? 1 : 0,
      ip: ctx.ip,
      user_agent: ctx.userAgent.slice(0, 500),
      created_at: stamp,
      updated_at: stamp,
      approved_at: decision.status === 'approved' ? stamp : null,
      staff_account_id: staffAccountId,
    });
    await recordCommentChange(trx, { id, articleId: article.id, parentId: v.parentId, from: null, to: decision.status }, ctx.now);
    return id;
  }

  /** True when this server issued the unsubscribe link key (it carries the server's signature). */
  const isOptoutLink = (linkKey: string): boolean => readOptoutLinkKey(secret, linkKey) !== null;

  /**
   * Moves comments to a queue state inside the caller's write transaction; an unknown id is not_found
   * and nothing moves. What it returns is for after the commit: `announceStatusChange`.
   */
  async function applyStatus(trx: Db, ids: readonly number[], status: CommentStatus, now: Date): Promise<StatusMove> {
    const change: StatusMove = { moved: [], firstApprovals: [], shownOn: new Set() };
    for (const id of ids) {
      const c = await repo.findComment(trx, id);
      if (!c) throw new AppError('not_found', `There is no comment ${id}.`);
      if (status === 'approved' && c.approved_at === null) change.firstApprovals.push(id);
      // Only a comment that was or becomes approved was or will be on a public page.
      if (c.status === 'approved' || status === 'approved') change.shownOn.add(c.article_id);
      change.moved.push({ id, articleId: c.article_id, from: c.status });
      await repo.setStatus(trx, id, status, now.toISOString());
      await recordCommentChange(trx, { id, articleId: c.article_id, parentId: c.parent_id, from: c.status, to: status }, now);
    }
    return change;
  }

  /** After the commit of applyStatus: drops the pages that showed or will show the comments, sends first-approval reply notices. */
  function announceStatusChange(change: StatusMove): void {
    if (change.shownOn.size) store.changes.announce([...change.shownOn].map((articleId) => key.comments(articleId)));
    for (const id of change.firstApprovals) noticeReply(id);
  }

  /** Moves comments to a queue state; approving sends the reply notice once. */
  async function moderate(ids: readonly number[], status: CommentStatus, now = new Date()): Promise<void> {
    announceStatusChange(await store.writeTransaction((trx) => applyStatus(trx, ids, status, now)));
  }

  // Staff moderation in /admin goes through the same status change, insert and notices as above.
  const moderation = createModeration({
    store,
    applyStatus,
    announceStatusChange,
    checkShownFields(fields) {
      const v = validate({ author: fields.author, email: fields.email, url: fields.url, comment: fields.text });
      return { author: v.author, url: v.url, text: v.text };
    },
    insertStaffReply(trx, article, reply, now) {
      const v = validate({ author: reply.name, email: reply.email, comment: reply.text, comment_parent: String(reply.parentId) });
      const ctx: PostContext = { ip: '', userAgent: 'gazette admin', now, browserComments: [] };
      return insertIn(trx, article, v, { status: 'approved', note: 'reply by staff' }, ctx, reply.accountId);
    },
    noticeReply,
  });

  return {
    ...moderation,

    /** The comments a browser sent, from its cookie's value; none when the value was not signed here. */
    browserCommentsOf(cookieValue: string | undefined): number[] {
      return readBrowserComments(secret, cookieValue);
    },

    /** The cookie value that names a browser's comments. */
    browserCookieValue(ids: readonly number[]): string {
      return signBrowserComments(secret, ids);
    },

    /** A fresh form token for an article. */
    formToken(articleId: number, now = new Date()): string {
      return issueFormToken(secret, articleId, now);
    },

    /** Accepts or refuses a reader's comment; refusals are CommentRejected and store nothing. */
    async post(sub: CommentSubmission, ctx: PostContext): Promise<ReaderPostResult> {
      const article = await articleOrReject(sub.article_id);
      if (!acceptsComments(article.commentsOpen, article.publishedAt, rules, ctx.now))
        throw new CommentRejected('closed', 'Comments are closed for this article.');
      if ((sub.homepage ?? '') !== '') throw new CommentRejected('honeypot', 'The hidden field was filled in.');
      if ((sub.token ?? '') === '') {
        // No per-reader token: the page's script did not run. Fields first, so a confirmation is asked once.
        validate(sub);
        throw new CommentRejected('confirm', 'The form carried no token of its own (no script ran); the reader is asked to confirm.');
      }
      const check = checkFormToken(secret, sub.token ?? '', article.id, ctx.now, { minSeconds: rules.minSeconds, maxSeconds: rules.tokenHours * 3600 });
      if (!check.ok) {
        const wait = check.problem === 'too_fast' ? check.waitSeconds : 0;
        throw new CommentRejected(check.problem, `The form token was refused (${check.problem}).`, {}, { wait });
      }
      const retryAfter = limiter.retryAfter(ctx.ip, ctx.now.getTime());
      if (retryAfter > 0) throw new CommentRejected('rate_limited', 'Too many comments from this address.', {}, { wait: retryAfter });
      const v = validate(sub);
      const decision = await decide(v, ctx.ip, ctx.browserComments);
      const id = await insertChecked(article, v, decision, ctx);
      limiter.hit(ctx.ip, ctx.now.getTime());
      if (decision.status === 'approved') noticeReply(id);
      else if (decision.status === 'pending') noticeHeld(id);
      const browserComments = [...ctx.browserComments.filter((c) => c !== id), id].slice(-BROWSER_COMMENTS_KEPT);
      return { id, status: decision.status, articleId: article.id, articlePath: article.path, browserComments };
    },

    /** A form token for one reader, issued now: the minimum age counts from this reader's request. */
    async readerToken(rawArticleId: string | undefined, now = new Date()): Promise<ReaderToken> {
      const id = rawArticleId !== undefined && /^[1-9]\d{0,12}$/.test(rawArticleId.trim()) ? Number(rawArticleId.trim()) : null;
      const a = id !== null ? await commentTarget(db, id) : undefined;
      if (!a) return { ok: false, problem: 'unknown_article' };
      if (!acceptsComments(a.commentsOpen, a.publishedAt, rules, now)) return { ok: false, problem: 'closed' };
      return { ok: true, token: issueFormToken(secret, a.id, now) };
    },

    /** Articles whose comments closed by age (COMMENTS_CLOSE_AFTER_DAYS) after `from` and by `to`. */
    async closedBetween(from: Date, to: Date): Promise<number[]> {
      if (rules.closeAfterDays === 0) return [];
      const shift = rules.closeAfterDays * 86_400_000;
      return publishedIdsBetween(db, new Date(from.getTime() - shift).toISOString(), new Date(to.getTime() - shift).toISOString());
    },

    /**
     * One page of an article's comment section: `page` null is the page the article shows first. A page
     * past the last is not_found (comments written later may fill it).
     */
    async threadFor(article: ArticleRef, ask: { page: number | null; replyTo: number | null }, now = new Date()): Promise<ThreadView> {
      const totals = article.commentTotals ?? (await repo.approvedTotals(db, article.id));
      const layout = pageLayout(totals.threads);
      const current = ask.page ?? layout.default;
      if (current > layout.count)
        throw new AppError('not_found', `This article's comments fill ${layout.count === 1 ? 'one page' : `${layout.count} pages`}; there is no comment page ${current}.`);
      // Most articles of an archive have no comment: their page needs no second query.
      const rows = totals.comments === 0 ? [] : await repo.approvedThreadSlice(db, article.id, (current - 1) * rules.perPage, rules.perPage);
      const shown = pageThreads(rows);
      const open = acceptsComments(article.commentsOpen, article.publishedAt, rules, now);
      const target = open && ask.replyTo !== null ? await replyTarget(article.id, ask.replyTo, flatten(shown)) : null;
      return {
        count: totals.comments,
        open,
        thread: shown,
        pages: { current, count: layout.count, default: layout.default, order: rules.order },
        replyTo: target,
      };
    },

    /**
     * The page that shows an approved comment of a published article now; undefined for any other
     * comment. `article`: the published article the caller has just found the comment on (a reader's
     * post, which checked it), so that it is not read again; a comment of another article is undefined.
     */
    async locate(id: number, article?: { id: number; path: string }): Promise<CommentLocation | undefined> {
      let place: { before: number; threads: number } | undefined;
      let on: { id: number; path: string } | undefined = article;
      if (article) place = await repo.approvedPlaceOn(db, id, article.id);
      else {
        const found = await repo.approvedPlace(db, id);
        place = found;
        on = found && (await commentTarget(db, found.articleId));
      }
      if (!place || !on) return undefined;
      return { id, articleId: on.id, articlePath: on.path, page: Math.floor(place.before / rules.perPage) + 1, defaultPage: pageLayout(place.threads).default };
    },

    /** The article a refused form belongs to, to show the form again; null when there is none. */
    async formArticle(rawId: string | undefined, now = new Date()): Promise<{ id: number; path: string; language: string; headline: string; open: boolean; token: string } | null> {
      const id = rawId !== undefined && /^[1-9]\d{0,12}$/.test(rawId.trim()) ? Number(rawId.trim()) : null;
      const a = id !== null ? await commentTarget(db, id) : undefined;
      if (!a) return null;
      return {
        id: a.id,
        path: a.path,
        language: a.language,
        headline: a.headline,
        open: acceptsComments(a.commentsOpen, a.publishedAt, rules, now),
        token: issueFormToken(secret, a.id, now),
      };
    },

    /** Approved comments of an article for its feed, newest first; not_found when no such article. */
    async feed(sectionSlug: string, slug: string): Promise<FeedView> {
      const a = await commentTargetAt(db, sectionSlug, slug);
      if (!a) throw new AppError('not_found', 'No published article has this address.');
      const items = toPublic(await repo.newestApproved(db, a.id, FEED_ITEMS));
      return { articleId: a.id, headline: a.headline, language: a.language, path: a.path, items };
    },

    isOptoutLink,

    /**
     * Records that the address behind an unsubscribe link wants no more mail. Only links this server
     * issued act; every request counts against the sender's limit, so guessing keys costs as much as using them.
     */
    async unsubscribe(linkKey: string, ip: string, now = new Date()): Promise<UnsubscribeOutcome> {
      const wait = unsubscribeLimiter.retryAfter(ip, now.getTime());
      if (wait > 0) return { ok: false, problem: 'rate_limited', wait };
      unsubscribeLimiter.hit(ip, now.getTime());
      const key = readOptoutLinkKey(secret, linkKey);
      if (key === null) return { ok: false, problem: 'link_invalid' };
      await repo.insertOptout(db, key, now.toISOString());
      return { ok: true };
    },

    // ---- editors --------------------------------------------------------------------------------

    /** The moderation queue. */
    async queue(filter: { status?: CommentStatus; article?: string; limit?: number } = {}): Promise<EditorComment[]> {
      let articleId: number | undefined;
      if (filter.article) {
        const [sectionSlug = '', slug = ''] = filter.article.replace(/^\/+/, '').split('/');
        const a = await commentTargetAt(db, sectionSlug, slug);
        if (!a) throw new AppError('not_found', `No published article at /${sectionSlug}/${slug}.`);
        articleId = a.id;
      }
      const rows = await repo.listForEditors(db, { status: filter.status, articleId, limit: filter.limit ?? 50 });
      const paths = await pathsOf(db, rows.map((r) => r.article_id));
      return rows.map((r) => ({
        id: r.id,
        status: r.status,
        articlePath: paths.get(r.article_id) ?? '',
        parentId: r.parent_id,
        authorName: r.author_name,
        authorEmail: r.author_email,
        authorUrl: r.author_url,
        ip: r.ip,
        createdAt: r.created_at,
        note: r.moderation_note,
        body: r.body,
      }));
    },

    moderate,

    /** Replaces a comment's text (an editor's correction), under the same rules as a reader's. */
    async edit(id: number, text: string, now = new Date()): Promise<void> {
      const c = await repo.findComment(db, id);
      if (!c) throw new AppError('not_found', `There is no comment ${id}.`);
      validate({ author: c.author_name, email: c.author_email, url: c.author_url ?? '', comment: text });
      await repo.setBody(db, id, text, now.toISOString());
      if (c.status === 'approved') store.changes.announce([key.comments(c.article_id)]);
    },

    /** An editor's reply, published at once; the comment replied to is approved with it. */
    async reply(parentId: number, who: { name: string; email: string }, text: string, now = new Date()): Promise<PostResult> {
      const parent = await repo.findComment(db, parentId);
      if (!parent) throw new AppError('not_found', `There is no comment ${parentId}.`);
      const article = await commentTarget(db, parent.article_id);
      if (!article) throw new AppError('not_found', 'The article of this comment is not published.');
      if (parent.status !== 'approved') await moderate([parentId], 'approved', now);
      const v = validate({ author: who.name, email: who.email, comment: text, comment_parent: String(parentId) });
      const id = await insertChecked(article, v, { status: 'approved', note: 'reply by an editor' }, { ip: '', userAgent: 'gazette cli', now, browserComments: [] });
      noticeReply(id);
      return { id, status: 'approved', articleId: article.id, articlePath: article.path };
    },

    /** Opens or closes comments on the article at section/slug. */
    async setOpen(ref: string, open: boolean): Promise<string> {
      const [sectionSlug = '', slug = ''] = ref.replace(/^\/+/, '').split('/');
      const a = await commentTargetAt(db, sectionSlug, slug);
      if (!a) throw new AppError('not_found', `No published article at /${sectionSlug}/${slug}.`);
      await setCommentsOpen(db, a.id, open);
      // Whether an article takes comments shows in its comment section only.
      store.changes.announce([key.comments(a.id)]);
      return a.path;
    },

    /** Waits for mail being sent in the background (on shutdown, and in tests). */
    async settle(): Promise<void> {
      while (pendingMail.size) await Promise.allSettled([...pendingMail]);
    },
  };
}

/** The comment service as the server runs it: secret resolved, mailer made when SMTP is configured. */
export async function openCommentService(store: Store, config: Config, warn: CommentServiceDeps['warn']): Promise<{ service: CommentService; close(): Promise<void> }> {
  const secret = await resolveSecret(store.db, config);
  const mailer = config.mail ? createMailer(config.mail, config.siteName) : null;
  const service = createCommentService({ store, config, secret, mailer, warn });
  return {
    service,
    async close() {
      await service.settle();
      mailer?.close();
    },
  };
}
