// HTTP for comments: POST /comments (then 303 back to the article, or a private page that keeps what
// the reader typed), the per-article comments feed, and unsubscribe links. Routes only translate HTTP
// to the comment service and the theme's pages. This plugin parses only HTML-form bodies, with its own
// size limit.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Article } from '../articles/article.service.ts';
import type { Config } from '../config.ts';
import { EVERYTHING, type ChangeFeed } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import { HTTP_STATUS } from '../errors.ts';
import { commentPagePath, withParam } from '../lib/paths.ts';
import { commentStrings } from '../web/i18n/comments.ts';
import type { QueryParam } from '../web/plugins/pages.ts';
import type { Site } from '../web/site.ts';
import type { CommentNotice, CommentsSectionView, FormValues } from '../web/theme.ts';
import { CommentRejected, REJECTION_CODE, type RejectionProblem } from './comment.errors.ts';
import { commentsRss } from './comment.feed.ts';
import type { CommentLocation, CommentService, CommentSubmission, PostResult, ThreadView } from './comment.service.ts';

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
export function articleComments(service: CommentService, config: Config) {
  return {
    query: ARTICLE_QUERY,
    async sectionFor(article: Article, query: unknown): Promise<CommentsSectionView> {
      const { notice, replyTo, page } = readArticleQuery(query);
      const view = await service.threadFor(
        { id: article.id, path: article.path, language: article.language, commentsOpen: article.commentsOpen, publishedAt: article.publishedAt },
        { page, replyTo },
      );
      return { articleId: article.id, articlePath: article.path, language: article.language, view, notice, mail: config.mail !== null, head: commentPageHead(article.path, view) };
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

  // Cached article pages carry a form token stamped when the page was rendered. Dropping the page cache
  // at half the token's lifetime means no reader is handed a form that has already expired. (It also
  // bounds how long a page shows the form after COMMENTS_CLOSE_AFTER_DAYS closed it: no write says so.)
  const refresh = setInterval(() => changes.announce([EVERYTHING]), (config.comments.tokenHours * 3_600_000) / 2);
  refresh.unref();
  app.addHook('onClose', async () => clearInterval(refresh));

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
    const form =
      article && article.open && problem !== 'closed'
        ? { articleId: article.id, token: article.token, language, replyTo: null, cancelHref: null, values, issues: rejection?.issues ?? {}, mail: config.mail !== null }
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

  /** Where the reader of a published comment is sent: the page that shows it. */
  async function approvedHref(result: PostResult): Promise<string> {
    const at = await comments.locate(result.id);
    // Trashed in the meantime: the article will say nothing of it, but its address is still right.
    return at ? commentHref(at, 'approved') : `${result.articlePath}?comment=approved#comment-${result.id}`;
  }

  app.post('/comments', async (request, reply) => {
    const sub = request.body;
    if (typeof sub !== 'object' || sub === null) return refuse(reply, 'wrong_content_type', {}, null);
    const form = sub as CommentSubmission;
    try {
      if (isCrossSite(request, config.publicUrl)) throw new CommentRejected('cross_site', 'The form was sent from another site.');
      const result = await comments.post(form, { ip: request.ip, userAgent: request.headers['user-agent'] ?? '', now: new Date() });
      const target = result.status === 'approved' ? await approvedHref(result) : `${result.articlePath}?comment=held#respond`;
      return reply.header('cache-control', 'no-store').redirect(target, 303);
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

  async function unsubscribe(request: FastifyRequest<{ Params: { key: string } }>, reply: FastifyReply, done: boolean) {
    const key = request.params.key;
    if (!comments.isOptoutKey(key)) return reply.callNotFound();
    if (done) await comments.unsubscribe(key);
    const ct = commentStrings(site.language);
    const body = await site.render({ language: site.language, title: ct.unsubscribeTitle, description: ct.unsubscribeTitle, path: '/', noindex: true }, site.theme.unsubscribePage(site.language, key, done));
    return reply.header('cache-control', 'no-store, private').type('text/html; charset=utf-8').send(body);
  }
  app.get<{ Params: { key: string } }>('/comments/unsubscribe/:key', (request, reply) => unsubscribe(request, reply, false));
  app.post<{ Params: { key: string } }>('/comments/unsubscribe/:key', (request, reply) => unsubscribe(request, reply, true));
}
