// buildApp(): the HTTP application, assembled here, above the capabilities, from web/'s plugins and each
// capability's routes. Separate from listen() so tests run it on port 0.
//
// Below any context, the server's time and connection limits and the answers to requests no context
// sees (decision 0015). The root context holds what every context shares: security headers and the URL
// length limit, the page cache's reply methods, and the background work (comment mail, search index
// upkeep, publishing scheduled articles). Each audience is then one encapsulated context with its own
// hooks, body parsers and error format: the public site (HTML pages, feeds, sitemaps), the newsroom at
// /admin, and the API at /api (src/api/api-context.routes.ts: JSON errors, tokens, OpenAPI).
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { Config } from './config.ts';
import type { Store } from './db/store.ts';
import { accountAdminRoutes } from './accounts/account.admin.routes.ts';
import { apiContext } from './api/api-context.routes.ts';
import { DEFAULT_API_SETTINGS, type ApiSettings } from './api/api-deps.ts';
import { apiAwareFrameworkErrors } from './api/api-errors.ts';
import { createAccountMailer } from './accounts/account.mail.ts';
import { accountSecret, DEFAULT_RULES, pruneAccounts, type AccountDeps } from './accounts/account.service.ts';
import { adminContext, type AdminRoute } from './accounts/admin-context.routes.ts';
import { tokenAdminRoutes } from './accounts/token.admin.routes.ts';
import { articleRoutes, type ArticleComments } from './articles/article.routes.ts';
import { articleAdminRoutes } from './articles/article.admin.routes.ts';
import { DEFAULT_SCHEDULER, startScheduler } from './articles/article.scheduler.ts';
import { commentAdminRoutes } from './comments/comment.admin.routes.ts';
import { articleComments, commentRoutes } from './comments/comment.routes.ts';
import { openCommentService, type CommentService } from './comments/comment.service.ts';
import { documentAdminRoutes } from './documents/document.admin.routes.ts';
import { documentRoutes } from './documents/document.routes.ts';
import { articleImageUsage } from './articles/article.images.ts';
import type { MediaDeps } from './media/image.service.ts';
import { mediaRoutes } from './media/media.routes.ts';
import { mediaAdminRoutes } from './media/media.admin.routes.ts';
import { localStorage } from './media/media.storage.ts';
import { feedAlternates } from './feeds/feed-paths.ts';
import { feedRoutes } from './feeds/feed.routes.ts';
import { DEFAULT_UPKEEP, startIndexUpkeep } from './search/upkeep.ts';
import { searchRoutes } from './search/search.routes.ts';
import { searchRunner, searchThreads, type SearchRunner } from './search/search.pool.ts';
import { pageAdminRoutes } from './pages/page.admin.routes.ts';
import { pageRoutes } from './pages/page.routes.ts';
import { personAdminRoutes } from './people/person.admin.routes.ts';
import { sectionAdminRoutes } from './sections/section.admin.routes.ts';
import { settingsAdminRoutes } from './settings/settings.admin.routes.ts';
import { tagAdminRoutes } from './tags/tag.admin.routes.ts';
import { allSections } from './sections/section.service.ts';
import { defaultSettings, loadSettings } from './settings/settings.service.ts';
import { sitemapRoutes } from './sitemaps/sitemap.routes.ts';
import { loadAssets, type Assets } from './web/assets.ts';
import { loadAdminAssets, type AdminAssets } from './web/admin/assets.ts';
import { assetRoutes } from './web/plugins/assets.ts';
import { automaticConnectionLimit, LimitLog, limitConnections } from './web/connection-limits.ts';
import { clientErrorResponses, errorPages, frameworkErrorPages } from './web/plugins/errors.ts';
import { pagesPlugin } from './web/plugins/pages.ts';
import { legacyLinkRoutes } from './import/legacy-links.routes.ts';
import { MAX_URL_LENGTH, securityHeaders, securityPlugin } from './web/plugins/security.ts';
import { createSite, type Site } from './web/site.ts';
import { defaultTheme } from './web/theme/index.ts';
import { renderBuild } from './web/render-build.ts';
import { webhookAdminRoutes } from './webhooks/webhook.admin.routes.ts';
import { DEFAULT_WEBHOOK_WORKER, startWebhookWorker, type WorkerOptions } from './webhooks/webhook.delivery.ts';

export interface BuildOptions {
  /** Overrides the logger (tests pass false to keep output clean). */
  logger?: boolean;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: NodeJS.WritableStream;
  /** The Content API's limits and response cache (tests and the bench change them). */
  api?: Partial<ApiSettings>;
  /** Overrides of the webhook worker's timings and DNS (tests shorten the back-off and play DNS). */
  webhooks?: Partial<Omit<WorkerOptions, 'publicUrl' | 'onError'>>;
}

/**
 * How often Node looks for requests past REQUEST_TIMEOUT_MS: a tenth of it, between 0.1 s and 1 s, so a
 * stalled request is closed at most about a second late (Node's default of 30 s would double a 30 s limit).
 */
const timeoutCheckInterval = (requestTimeoutMs: number) => Math.min(1000, Math.max(100, Math.floor(requestTimeoutMs / 10)));

/** Builds the application over an open, migrated store. */
export async function buildApp(config: Config, store: Store, options: BuildOptions = {}): Promise<FastifyInstance> {
  const theme = defaultTheme;
  const assets = loadAssets(theme.assets);
  const site = createSite(config, store, {
    theme,
    assets,
    feeds: (siteName) => feedAlternates({ kind: 'site' }, siteName),
    loadSections: () => allSections(store.db),
    loadSettings: () => loadSettings(store.db, config),
    initialSettings: defaultSettings(config),
  });

  const headers = securityHeaders(new URL(config.publicUrl).protocol === 'https:');
  const limits = new LimitLog((details, message) => app.log.warn(details, message));
  const { http } = config;
  const app: FastifyInstance = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
    // Per-request lines only at debug/trace: at 25k req/s an access log costs more than the page.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(config.logLevel) }),
    // A path segment may be as long as a whole address: the only length rule is MAX_URL_LENGTH's.
    routerOptions: { maxParamLength: MAX_URL_LENGTH, ignoreDuplicateSlashes: false },
    bodyLimit: 256 * 1024,
    trustProxy: http.trustProxy.length ? [...http.trustProxy] : false,
    // Headers and body must arrive within requestTimeout (then 408); an idle keep-alive connection is closed.
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    http: { requestTimeout: http.requestTimeoutMs, headersTimeout: http.requestTimeoutMs, connectionsCheckingInterval: timeoutCheckInterval(http.requestTimeoutMs) },
    // A malformed address is refused before a context is chosen; it gets the public site's error page.
    frameworkErrors: apiAwareFrameworkErrors(frameworkErrorPages(site, headers), headers),
    clientErrorHandler: clientErrorResponses(headers, limits),
  });
  limitConnections(app.server, { perAddress: http.maxConnectionsPerAddress, total: http.maxConnections ?? automaticConnectionLimit(), exempt: http.trustProxy }, limits);
  app.addHook('onClose', async () => limits.close());
  app.addHook('onClose', async () => site.close());

  await app.register(securityPlugin, { headers });
  await app.register(pagesPlugin, { changes: store.changes, stored: store.pages && config.pageStoreMaxBytes !== null ? { pages: store.pages, maxBytes: config.pageStoreMaxBytes, build: renderBuild(config) } : null });

  const comments = await openCommentService(store, config, (message, details) => app.log.warn(details, message));
  app.addHook('onClose', () => comments.close());
  const upkeep = startIndexUpkeep(store, {
    ...DEFAULT_UPKEEP,
    onError: (err) => app.log.error({ err }, 'search index upkeep failed'),
    onRun: (slices) => app.log.debug({ slices }, 'search index merged'),
  });
  app.addHook('onClose', () => upkeep.stop());
  // Scheduled articles are published on time without any request, and at start if their time passed.
  const scheduler = startScheduler(store, {
    ...DEFAULT_SCHEDULER,
    onError: (err) => app.log.error({ err }, 'publishing scheduled articles failed'),
    onPublished: (ids) => app.log.info({ ids }, 'scheduled articles published'),
  });
  app.addHook('onClose', () => scheduler.stop());
  // Webhook events recorded by the services are delivered after commit, with retries kept in the database.
  const webhookWorker = startWebhookWorker(store, {
    ...DEFAULT_WEBHOOK_WORKER,
    ...options.webhooks,
    publicUrl: config.publicUrl,
    onError: (err) => app.log.error({ err }, 'delivering webhooks failed'),
  });
  app.addHook('onClose', () => webhookWorker.stop());

  const media: MediaDeps = { store, storage: localStorage(config.mediaDir), settings: config.images, usage: articleImageUsage };
  // One pool of search threads for the site's search page and the API's.
  const runSearch = searchRunner(store, config.database, searchThreads(store, config.searchThreads));
  app.addHook('onClose', () => runSearch.close());
  await app.register(publicSite, { config, store, site, assets, comments: comments.service, media, runSearch });

  const accounts = await openAccounts(config, store, (err) => app.log.warn({ err }, 'removing ended sessions failed'));
  app.addHook('onClose', async () => accounts.close());
  const adminRoutes: AdminRoute[] = [];
  app.decorate('adminRoutes', adminRoutes);
  const previewComments = articleComments(comments.service, config, assets.commentScriptPath);
  await app.register(adminSite, { prefix: '/admin', config, store, site, accounts: accounts.deps, assets: loadAdminAssets(), routes: adminRoutes, comments: comments.service, previewComments, media, wakeWebhooks: webhookWorker.wake });
  // The API (decision 0025): JSON only, its own auth (tokens, or the staff session with CSRF) and limits.
  const settings: ApiSettings = { ...DEFAULT_API_SETTINGS, ...config.apiRates, ...options.api };
  await app.register(apiContext, { prefix: '/api', config, store, accounts: accounts.deps, media, comments: comments.service, settings, runSearch });
  return app;
}

/** What the staff accounts need: the rules from the configuration, the mailer, the forms' key; and pruning. */
async function openAccounts(config: Config, store: Store, onError: (err: unknown) => void): Promise<{ deps: AccountDeps; close(): void }> {
  const mailer = config.mail ? createAccountMailer(config.mail, config.siteName) : null;
  const deps: AccountDeps = {
    store,
    rules: { ...DEFAULT_RULES, sessionIdleMs: config.sessions.idleMs, sessionMaxMs: config.sessions.maxMs },
    mailer,
    publicUrl: config.publicUrl,
    siteName: config.siteName,
    secret: await accountSecret(store.db, config.secret),
  };
  // Expired sessions and old failed sign-ins are removed hourly (and never block a request).
  const prune = setInterval(() => void pruneAccounts(deps).catch(onError), 3600_000);
  prune.unref();
  return {
    deps,
    close() {
      clearInterval(prune);
      mailer?.close();
    },
  };
}

interface AdminSiteOptions {
  config: Config;
  store: Store;
  site: Site;
  accounts: AccountDeps;
  assets: AdminAssets;
  routes: AdminRoute[];
  comments: CommentService;
  /** The comment section article previews show, as readers will see it. */
  previewComments: ArticleComments;
  media: MediaDeps;
  /** Tells the webhook worker to look for deliveries now. */
  wakeWebhooks(): void;
}

/**
 * The newsroom under /admin, one encapsulated context (decision 0019): who is signed in and the CSRF check
 * on every state-changing request (admin-context.routes.ts), HTML-form bodies, its own error pages. Public
 * pages never read the session cookie, so they never vary by who is signed in.
 */
async function adminSite(app: FastifyInstance, { config, store, site, accounts, assets, routes, comments, previewComments, media, wakeWebhooks }: AdminSiteOptions): Promise<void> {
  const secure = new URL(config.publicUrl).protocol === 'https:';
  await app.register(cookie);
  await app.register(formbody);
  await app.register(adminContext, { deps: accounts, assets, secure, routes, pendingComments: () => comments.pendingCount() });
  await app.register(accountAdminRoutes, { deps: accounts, secure });
  await app.register(commentAdminRoutes, { comments });
  // Uploads: one file per request, cut off just past the size limit (the service then refuses it whole).
  await app.register(multipart, { limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize: Math.max(config.documentMaxBytes, config.images.maxBytes) + 1 } });
  await app.register(documentAdminRoutes, { store, files: { dir: config.mediaDir, maxBytes: config.documentMaxBytes } });
  await app.register(mediaAdminRoutes, { media, documents: { dir: config.mediaDir, maxBytes: config.documentMaxBytes }, script: assets.path('media.js') });
  await app.register(sectionAdminRoutes, { store });
  await app.register(tagAdminRoutes, { store });
  await app.register(personAdminRoutes, { store });
  await app.register(pageAdminRoutes, { store });
  await app.register(settingsAdminRoutes, { store, defaults: config });
  await app.register(tokenAdminRoutes, { store });
  await app.register(webhookAdminRoutes, { store, wake: wakeWebhooks });
  await app.register(articleAdminRoutes, { store, site, assets, comments: previewComments, media });
}

interface PublicSiteOptions {
  config: Config;
  store: Store;
  site: Site;
  media: MediaDeps;
  assets: Assets;
  comments: CommentService;
  runSearch: SearchRunner;
}

/**
 * The public site, one encapsulated context: failures answered as HTML error pages (its not-found
 * handler serves every address no other context claims), HTML-form bodies, and the readers' routes.
 */
async function publicSite(app: FastifyInstance, { config, store, site, assets, comments, media, runSearch }: PublicSiteOptions): Promise<void> {
  // First, so the routes registered below (and their own error handlers) fall back to it.
  await app.register(errorPages, { site, isUnavailable: (error) => store.isUnavailable(error), isUniqueViolation: (error) => store.isUniqueViolation(error) });
  await app.register(formbody);
  // Pages not answered from the cache read the site's settings and navigation as they are now.
  app.addHook('onRequest', async () => site.refresh());
  // Old WordPress addresses (decision 0031): asked on the 404 path only, and for "/?p=ID" on the root.
  await app.register(legacyLinkRoutes, { store });
  await app.register(assetRoutes, { assets });
  await app.register(articleRoutes, { store, site, comments: articleComments(comments, config, assets.commentScriptPath), storage: media.storage });
  await app.register(commentRoutes, { comments, site, config, changes: store.changes });
  await app.register(searchRoutes, { store, site, runSearch });
  await app.register(feedRoutes, { store, config, settings: site, storage: media.storage });
  await app.register(sitemapRoutes, { store, config, settings: site });
  await app.register(documentRoutes, { store, files: { dir: config.mediaDir, maxBytes: config.documentMaxBytes } });
  await app.register(mediaRoutes, { storage: media.storage, store, site });
  await app.register(pageRoutes, { store, site });
}
