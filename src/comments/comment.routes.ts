// HTTP for comments: POST /comments (then 303 back to the article, or a private page that keeps what
// the reader typed), GET /comments/token (a per-reader form token for the form's script), the
// per-article comments feed, and unsubscribe links. Routes only translate HTTP to the comment service
// and the theme's pages, and keep the commenter cookie (decision 0014). This plugin parses only
// HTML-form bodies, with its own size limit.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { ChangeFeed } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import { HTTP_STATUS } from '../errors.ts';
import { commentPagePath, withParam } from '../lib/paths.ts';
import { commentStrings } from '../web/i18n/comments.ts';
import type { QueryParam } from '../web/plugins/pages.ts';
import type { Site } from '../web/site.ts';
import type { CommentNotice, CommentsSectionView, FormValues, UnsubscribeState } from '../web/theme.ts';
import { CommentRejected, REJECTION_CODE, type RejectionProblem } from './comment.errors.ts';
import { commentsRss } from './comment.feed.ts';
import type { ArticleRef, CommentLocation, CommentService, CommentSubmission, PostResult, ThreadView } from './comment.service.ts';

const FIELDS = ['article_id', 'author', 'email', 'url', 'comment', 'comment_parent', 'notify', 'homepage', 'token'] as const;
const NOT_A_FORM = Symbol('not a form');

/** Form fields by name, first value wins; anything else is dropped. */
function parseForm(body: string): CommentSubmission {
  const params = new URLSearchParams(body);
  const out: CommentSubmission = {};
  for (const name of FIELDS) {
    const value = params.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

const NOTICE = /^(?:held|approved)$/;
const COMMENT_ID = /^[1-9]\d{0,12}$/;
/** A comment page number as the site writes it; whether that page exists is the service's answer. */
const COMMENT_PAGE = /^[1-9]\d{0,5}$/;

/**
 * The query parameters readArticleQuery() reads, with the values it understands: the page cache keeps
 * only these in its key, so ?comment=anything-else shares the page without a notice. A malformed
 * ?cpage= is answered 301 to the address without it (decision 0016).
 */
const ARTICLE_QUERY: readonly QueryParam[] = [
  { name: 'comment', accept: NOTICE },
  { name: 'replytocom', accept: COMMENT_ID },
  { name: 'cpage', accept: COMMENT_PAGE, otherwise: 'redirect' },
];

/** Reads the comment parts of an article URL's query: ?comment=held|approved, ?replytocom=<id> and ?cpage=<n>. */
function readArticleQuery(query: unknown): { notice: CommentNotice | null; replyTo: number | null; page: number | null } {
  const q = (query ?? {}) as Record<string, unknown>;
  const notice = typeof q.comment === 'string' && NOTICE.test(q.comment) ? (q.comment as CommentNotice) : null;
  const replyTo = typeof q.replytocom === 'string' && COMMENT_ID.test(q.replytocom) ? Number(q.replytocom) : null;
  const page = typeof q.cpage === 'string' && COMMENT_PAGE.test(q.cpage) ? Number(q.cpage) : null;
  return { notice, replyTo, page };
}

/**
 * What the head of an article page says about the comment page it shows: the default page is the
 * article's canonical address; the others are their own, kept out of search indexes (decision 0016).
 * rel=prev/next follow the reading order.
 */
function commentPageHead(articlePath: string, view: ThreadView): CommentsSectionView['head'] {
  const { current, count, default: first, order } = view.pages;
  const at = (page: number) => commentPagePath(articlePath, page, first);
  const older = current > 1 ? at(current - 1) : null;
  const newer = current < count ? at(current + 1) : null;
  return {
    path: at(current),
    noindex: current !== first,
    prev: order === 'oldest-first' ? older : newer,
    next: order === 'oldest-first' ? newer : older,
  };
}

/** The article page's comment section, built from the comment service (the app hands it to the article routes). */
export function articleComments(service: CommentService, config: Config, formScript: string) {
  return {
    query: ARTICLE_QUERY,
    async sectionFor(article: ArticleRef, query: unknown): Promise<CommentsSectionView> {
      const { notice, replyTo, page } = readArticleQuery(query);
      const view = await service.threadFor(
        { id: article.id, path: article.path, language: article.language, commentsOpen: article.commentsOpen, publishedAt: article.publishedAt, commentTotals: article.commentTotals },
        { page, replyTo },
      );
      return { articleId: article.id, articlePath: article.path, language: article.language, view, notice, mail: config.mail !== null, formScript, head: commentPageHead(article.path, view) };
    },
  };
}

/** The address of the page showing a comment, with its fragment; `notice` adds ?comment=. */
function commentHref(at: CommentLocation, notice?: CommentNotice): string {
  const page = commentPagePath(at.articlePath, at.page, at.defaultPage);
  return `${notice ? withParam(page, 'comment', notice) : page}#comment-${at.id}`;
}

/**
 * True when the request comes from another site's page. Browsers send Origin (or at least Referer) on
 * form posts; the site's own origin is PUBLIC_URL's, or the host the request was addressed to.
 */
function isCrossSite(request: FastifyRequest, publicUrl: string): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  let origin = request.headers.origin;
  if (origin === undefined && typeof request.headers.referer === 'string') {
    try {
      origin = new URL(request.headers.referer).origin;
    } catch {
      return true;
    }
  }
  if (origin === undefined) return false;
  const own = new Set([new URL(publicUrl).origin, `${request.protocol}://${request.host}`]);
  return !own.has(origin);
}

/** The cookie naming the comments a browser sent: how hold-first knows a returning reader (decision 0014). */
const BROWSER_COOKIE = 'gazette_commenter';
const BROWSER_COOKIE_SECONDS = 365 * 86_400;

/** One cookie's value from a Cookie header. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The Set-Cookie line for the commenter cookie. Path=/comments: browsers send it with comment posts only,
 * never with a page request, so pages stay the same for everyone and the page cache never sees it.
 */
function browserCookie(value: string, publicUrl: string): string {
  const secure = publicUrl.startsWith('https:') ? '; Secure' : '';
  return `${BROWSER_COOKIE}=${value}; Max-Age=${BROWSER_COOKIE_SECONDS}; Path=/comments; HttpOnly; SameSite=Lax${secure}`;
}

/** How often articles whose comments closed by age are looked for, so their cached pages drop the form. */
const CLOSE_SWEEP_MS = 3_600_000;

export interface CommentRoutesOptions {
  comments: CommentService;
  site: Site;
  config: Config;
  changes: ChangeFeed;
}

export async function commentRoutes(app: FastifyInstance, { comments, site, config, changes }: CommentRoutesOptions): Promise<void> {
  // Percent-encoding makes one character up to 12 bytes; the rest of the form is small.
  const bodyLimit = config.comments.maxLength * 12 + 16 * 1024;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_request, body, done) => done(null, parseForm(body as string)));
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, NOT_A_FORM));

  // Pages carry no form token (each reader fetches one), so nothing in them expires. Comments that close
  // by age (COMMENTS_CLOSE_AFTER_DAYS) change no row, so no write says so: an hourly look drops the
  // cached pages of articles that closed since the last look.
  if (config.comments.closeAfterDays > 0) {
    let since = new Date();
    const sweep = async () => {
      const now = new Date();
      const closed = await comments.closedBetween(since, now);
      since = now;
      if (closed.length) changes.announce(closed.map((id) => key.comments(id)));
    };
    const timer = setInterval(() => sweep().catch((err: unknown) => app.log.warn({ err }, 'looking for articles whose comments closed failed')), CLOSE_SWEEP_MS);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  async function refuse(reply: FastifyReply, problem: RejectionProblem, params: Readonly<Record<string, number>>, sub: CommentSubmission | null, rejection?: CommentRejected) {
    const article = await comments.formArticle(sub?.article_id);
    const language = article?.language ?? site.language;
    const parentProblem = rejection?.issues.comment_parent !== undefined;
    const values: FormValues | null = sub && {
      author: sub.author ?? '',
      email: sub.email ?? '',
      url: sub.url ?? '',
      comment: sub.comment ?? '',
      comment_parent: parentProblem ? '0' : (sub.comment_parent ?? '0'),
      notify: ['on', '1', 'yes', 'true'].includes(sub.notify ?? ''),
    };
    // After "too fast" the reader's own token goes back: the wait runs on from when it was issued.
    const token = problem === 'too_fast' && sub?.token ? sub.token : (article?.token ?? '');
    const form =
      article && article.open && problem !== 'closed'
        ? { articleId: article.id, token, language, replyTo: null, cancelHref: null, values, issues: rejection?.issues ?? {}, mail: config.mail !== null }
        : null;
    const ct = commentStrings(language);
    const message = ct.problem(problem, params);
    const body = await site.render(
      { language, title: ct.notPostedTitle, description: message, path: '/comments', noindex: true },
      site.theme.rejectionPage({ language, problem, params, article: article && { path: article.path, headline: article.headline }, form, typed: sub?.comment ?? '' }),
    );
    const status = HTTP_STATUS[REJECTION_CODE[problem]];
    // The form may hold the reader's own address: it is for this reader only, never for a cache.
    reply.code(status).header('cache-control', 'no-store, private').type('text/html; charset=utf-8');
    if (params.wait) reply.header('retry-after', String(params.wait));
    return reply.send(body);
  }

  app.setErrorHandler(async (error, _request, reply) => {
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') return refuse(reply, 'too_large', { bytes: bodyLimit }, null);
    throw error;
  });

  /** Where the reader of a published comment is sent: the page that shows it (post() has just found its article published). */
  async function approvedHref(result: PostResult): Promise<string> {
    const at = await comments.locate(result.id, { id: result.articleId, path: result.articlePath });
    // Trashed in the meantime: the article will say nothing of it, but its address is still right.
    return at ? commentHref(at, 'approved') : `${result.articlePath}?comment=approved#comment-${result.id}`;
  }

  app.post('/comments', async (request, reply) => {
    const sub = request.body;
    if (typeof sub !== 'object' || sub === null) return refuse(reply, 'wrong_content_type', {}, null);
    const form = sub as CommentSubmission;
    try {
      if (isCrossSite(request, config.publicUrl)) throw new CommentRejected('cross_site', 'The form was sent from another site.');
      const browserComments = comments.browserCommentsOf(cookieValue(request.headers.cookie, BROWSER_COOKIE));
      const result = await comments.post(form, { ip: request.ip, userAgent: request.headers['user-agent'] ?? '', now: new Date(), browserComments });
      const target = result.status === 'approved' ? await approvedHref(result) : `${result.articlePath}?comment=held#respond`;
      return reply
        .header('cache-control', 'no-store')
        .header('set-cookie', browserCookie(comments.browserCookieValue(result.browserComments), config.publicUrl))
        .redirect(target, 303);
    } catch (error) {
      if (error instanceof CommentRejected) return refuse(reply, error.problem, error.params, form, error);
      throw error;
    }
  });

  // A missing article's feed appears with any article write.
  app.get<{ Params: { section: string; slug: string } }>('/:section/:slug/comments.xml', { config: { pageCache: { query: [], missing: [key.articles] } } }, async (request, reply) => {
    const feed = await comments.feed(request.params.section, request.params.slug);
    reply.dependsOn(key.article(feed.articleId), key.comments(feed.articleId));
    return reply.cachedBody(commentsRss(feed, { name: site.name, publicUrl: site.publicUrl }), 'application/rss+xml; charset=utf-8');
  });

  // A comment's lasting address (feeds and mail link here): the page that holds it moves as threads are
  // added, trashed or reordered, so this answers where it is now.
  app.get<{ Params: { id: string } }>('/comments/:id', async (request, reply) => {
    const at = COMMENT_ID.test(request.params.id) ? await comments.locate(Number(request.params.id)) : undefined;
    if (!at) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').redirect(commentHref(at), 302);
  });

  // The form's script asks for a token when the reader starts on the form: the minimum age then counts
  // from that reader's request, not from when a cached page was rendered.
  app.get('/comments/token', async (request, reply) => {
    const article = (request.query as Record<string, unknown>).article;
    const result = await comments.readerToken(typeof article === 'string' ? article : undefined);
    reply.header('cache-control', 'no-store, private').type('application/json; charset=utf-8');
    if (result.ok) return reply.send(JSON.stringify({ token: result.token }));
    const status = HTTP_STATUS[REJECTION_CODE[result.problem]];
    return reply.code(status).send(JSON.stringify({ problem: result.problem, message: commentStrings(site.language).problem(result.problem, {}) }));
  });

  async function unsubscribePage(reply: FastifyReply, status: number, key: string, state: UnsubscribeState, wait = 0) {
    const ct = commentStrings(site.language);
    const body = await site.render(
      { language: site.language, title: ct.unsubscribeTitle, description: ct.unsubscribeTitle, path: '/', noindex: true },
      site.theme.unsubscribePage({ language: site.language, key, state, wait }),
    );
    if (wait) reply.header('retry-after', String(wait));
    return reply.code(status).header('cache-control', 'no-store, private').type('text/html; charset=utf-8').send(body);
  }

  // Asking costs nothing and writes nothing: mail scanners follow links, so only the button's POST acts.
  app.get<{ Params: { key: string } }>('/comments/unsubscribe/:key', (request, reply) =>
    comments.isOptoutLink(request.params.key) ? unsubscribePage(reply, 200, request.params.key, 'ask') : unsubscribePage(reply, HTTP_STATUS.not_found, request.params.key, 'invalid'),
  );
  // Mail clients' one-click posts (RFC 8058) come from their servers without an Origin; a browser on another site is refused.
  app.post<{ Params: { key: string } }>('/comments/unsubscribe/:key', async (request, reply) => {
    const key = request.params.key;
    if (isCrossSite(request, config.publicUrl)) return unsubscribePage(reply, HTTP_STATUS.forbidden, key, 'cross_site');
    const outcome = await comments.unsubscribe(key, request.ip);
    if (outcome.ok) return unsubscribePage(reply, 200, key, 'done');
    if (outcome.problem === 'rate_limited') return unsubscribePage(reply, HTTP_STATUS.rate_limited, key, 'rate_limited', outcome.wait);
    return unsubscribePage(reply, HTTP_STATUS.not_found, key, 'invalid');
  });
}
