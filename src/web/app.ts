// buildApp(): the Fastify application, separate from listen() so tests run it on port 0.
// Every failure ends as an HTML page with the right 4xx/5xx status; nothing answers with a stack trace.
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import type { Config } from '../config.ts';
import type { Store } from '../db/store.ts';
import { AppError, HTTP_STATUS } from '../errors.ts';
import { articleRoutes } from '../articles/article.routes.ts';
import { articleComments, commentRoutes } from '../comments/comment.routes.ts';
import { openCommentService } from '../comments/comment.service.ts';
import { DEFAULT_UPKEEP, startIndexUpkeep } from '../search/upkeep.ts';
import { searchRoutes } from '../search/search.routes.ts';
import { feedRoutes } from '../feeds/feed.routes.ts';
import { sitemapRoutes } from '../sitemaps/sitemap.routes.ts';
import { feedAlternates } from '../feeds/feed-paths.ts';
import { allSections } from '../sections/section.service.ts';
import { loadAssets } from './assets.ts';
import { pagesPlugin, sendCached } from './plugins/pages.ts';
import { createSite, type Site } from './site.ts';
import { defaultTheme } from './theme/index.ts';
import { stringsFor } from './i18n/site.ts';

export const MAX_URL_LENGTH = 2048;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy':
    "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
};

/** What a client-side mistake reported by Fastify itself means, in words a reader can act on. */
function frameworkMessage(code: string | undefined, status: number): string {
  switch (code) {
    case 'FST_ERR_BAD_URL':
      return 'The address is not valid: it contains a malformed percent-encoded character.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'This kind of request body is not accepted here.';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid.';
    default:
      if (status === 414) return `The address is too long: at most ${MAX_URL_LENGTH} characters are accepted.`;
      return status === 405 ? 'This method is not allowed here.' : 'This request is not valid.';
  }
}

export interface BuildOptions {
  /** Overrides the logger (tests pass false to keep output clean). */
  logger?: boolean;
}

/** Builds the application over an open, migrated store. */
export async function buildApp(config: Config, store: Store, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel },
    // Per-request lines only at debug/trace: at 25k req/s an access log costs more than the page.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(config.logLevel) }),
    routerOptions: { maxParamLength: 1000, ignoreDuplicateSlashes: false },
    bodyLimit: 256 * 1024,
    trustProxy: false,
    frameworkErrors: (error, request, reply) => {
      void renderError(request, reply, error.statusCode ?? 400, frameworkMessage(error.code, error.statusCode ?? 400));
    },
  });

  const assets = loadAssets(defaultTheme.assets);
  const site: Site = createSite(config, store, {
    theme: defaultTheme,
    assets,
    feeds: feedAlternates({ kind: 'site' }, config.siteName),
    loadSections: () => allSections(store.db),
  });

  async function renderError(request: FastifyRequest, reply: FastifyReply, status: number, message: string, heading?: string) {
    const language = site.language;
    const t = stringsFor(language);
    const title = heading ?? (status === 404 ? t.notFoundTitle : status >= 500 ? t.errorTitle : t.badRequestTitle);
    // An error page names the address asked for, unless that address is itself the problem.
    const asked = request.url.split('?')[0] ?? '/';
    const path = asked.length <= 300 && status !== 400 && status !== 414 ? asked : '/';
    const body = await site.render({ language, title, description: message, path, noindex: true }, site.theme.errorPage(language, title, message));
    if (status === 404 && request.routeOptions.config?.pageCache) return reply.dependsOn(...site.keys).page(body, 404);
    return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  }

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (request.url.length > MAX_URL_LENGTH) {
      return renderError(request, reply, HTTP_STATUS.uri_too_long, `The address is too long: at most ${MAX_URL_LENGTH} characters are accepted.`);
    }
  });

  await app.register(formbody);
  await app.register(pagesPlugin, { changes: store.changes });

  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof AppError) return renderError(request, reply, HTTP_STATUS[error.code], error.message);
    if (store.isUnavailable(error)) {
      request.log.warn({ url: request.url.split('?')[0], reason: (error as Error).message }, 'database unavailable');
      const t = stringsFor(site.language);
      reply.header('retry-after', '5');
      return renderError(request, reply, HTTP_STATUS.service_unavailable, t.unavailableText, t.unavailableTitle);
    }
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    if (status >= 400 && status < 500) return renderError(request, reply, status, frameworkMessage((error as { code?: string }).code, status));
    request.log.error({ err: error, url: request.url.split('?')[0] }, 'request failed');
    return renderError(request, reply, 500, 'The page could not be produced. The error has been logged.');
  });

  app.setNotFoundHandler(async (request, reply) => {
    const t = stringsFor(site.language);
    return renderError(request, reply, HTTP_STATUS.not_found, t.notFoundText);
  });

  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const asset = assets.get(`/assets/${request.params.file}`);
    if (!asset) throw new AppError('not_found', 'There is no such file.');
    reply.header('cache-control', asset.path === assets.stylesheetPath ? 'public, max-age=31536000, immutable' : 'public, max-age=86400');
    return sendCached(request, reply, asset.body);
  });

  const comments = await openCommentService(store, config, (message, details) => app.log.warn(details, message));
  app.addHook('onClose', () => comments.close());
  await app.register(articleRoutes, { store, site, comments: articleComments(comments.service, config) });
  await app.register(commentRoutes, { comments: comments.service, site, config, changes: store.changes });
  await app.register(searchRoutes, { store, site });
  const upkeep = startIndexUpkeep(store, {
    ...DEFAULT_UPKEEP,
    onError: (err) => app.log.error({ err }, 'search index upkeep failed'),
    onRun: (slices) => app.log.debug({ slices }, 'search index merged'),
  });
  app.addHook('onClose', () => upkeep.stop());
  await app.register(feedRoutes, { store, config });
  await app.register(sitemapRoutes, { store, config });
  return app;
}
