// The /api context (issue 13, decision 0025), registered by buildApp() beside the public site and /admin,
// with its own hooks and error format: every failure is JSON (api-errors.ts), never the site's HTML pages.
//
// One source of truth for requests and for the document: each route declares zod schemas (querystring,
// params, body, response) through fastify-type-provider-zod; the same schemas validate requests here and
// become the OpenAPI 3.1 document at /api/openapi.json (@fastify/swagger), read by people at /api/docs
// (@fastify/swagger-ui, served from node_modules, no CDN). See src/api/README.md to add an endpoint.
//
// Two sub-contexts: /api/content (public content, GET only, CORS, ETag/304, optional content key, rate
// limits; content/content-context.routes.ts) and /api/admin (admin token or staff session with CSRF;
// admin-auth.ts; its routes are src/api/admin/).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { AppError } from '../errors.ts';
import type { Account } from '../accounts/permissions.ts';
import { adminApiRoutes } from './admin/index.ts';
import { adminApiAuth, adminApiCsrf } from './admin-auth.ts';
import type { ApiOptions } from './api-deps.ts';
import { sendApiError } from './api-errors.ts';
import { contentApi } from './content/content-context.routes.ts';

/** The largest JSON body the API takes (uploads are multipart, with their own limits). */
export const API_BODY_LIMIT = 1024 * 1024;

/** The document's version: bumped when an endpoint changes in a way a client must know. */
export const API_VERSION = '1.0.0';

/** The content policy of the docs page: Swagger UI sets inline styles and shows data: images. */
const DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";

export async function apiContext(app: FastifyInstance, { prefix: _prefix, ...options }: ApiOptions & { prefix?: string }): Promise<void> {
  const { config, store } = options;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(async (error, request, reply) => sendApiError(error, request, reply, store));
  app.setNotFoundHandler(async (request, reply) =>
    sendApiError(new AppError('not_found', `There is no endpoint ${request.method} ${request.url.split('?')[0]}. The endpoints are listed at /api/openapi.json.`), request, reply, store),
  );
  // Only JSON bodies (the Admin API adds multipart for uploads); anything else is 415 naming content-type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: API_BODY_LIMIT }, app.getDefaultJsonParser('error', 'error'));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `${config.siteName} API`,
        version: API_VERSION,
        description: 'The Content API (published content, no key needed) and the Admin API (an admin token or a staff session). Errors are `{ "error": { "code", "message", "fields" } }`.',
      },
      servers: [{ url: config.publicUrl }],
      tags: [
        { name: 'content', description: 'Published content: articles, sections, tags, authors, pages, search.' },
        { name: 'admin', description: 'Everything the newsroom does, with the same permissions as /admin.' },
      ],
      components: {
        securitySchemes: {
          contentKey: { type: 'http', scheme: 'bearer', description: 'An optional content key (`gazette token create --kind content`), also accepted as `?key=`.' },
          adminToken: { type: 'http', scheme: 'bearer', description: 'An admin token (`gazette token create --kind admin --role …`).' },
          session: { type: 'apiKey', in: 'cookie', name: 'gazette_session', description: 'A staff member\'s /admin session; state-changing requests also send `x-csrf-token`.' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) => reply.header('cache-control', 'no-cache').header('access-control-allow-origin', '*').send(app.swagger()));
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The page's links are absolute, and this context's prefix is not the plugin's to know.
    indexPrefix: '/api',
    uiConfig: { deepLinking: true, tryItOutEnabled: false },
    theme: { title: `${config.siteName} API` },
    uiHooks: { onRequest: async (_request: FastifyRequest, reply: FastifyReply) => void reply.header('content-security-policy', DOCS_CSP) },
  });

  await app.register(contentApi, { prefix: '/content', store, origin: config.publicUrl.replace(/\/$/, ''), settings: options.settings, runSearch: options.runSearch, trustProxy: config.http.trustProxy.length > 0 });
  await app.register(adminApi, { ...options, prefix: '/admin' });
}

/** /api/admin: who is calling (token or session), the CSRF check for sessions, then the Admin API's routes. */
async function adminApi(app: FastifyInstance, { prefix: _prefix, ...options }: ApiOptions & { prefix?: string }): Promise<void> {
  const secure = new URL(options.config.publicUrl).protocol === 'https:';
  await app.register(cookie);
  app.decorateRequest('account', null as unknown as Account);
  app.decorateRequest('apiAuth', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  app.addHook('onRequest', adminApiAuth({ accounts: options.accounts, secure }));
  // Before the body is validated: a forged request is refused whatever it carries.
  app.addHook('preValidation', adminApiCsrf(options.config.publicUrl));
  const { settings: _settings, runSearch: _runSearch, ...adminOptions } = options;
  await app.register(adminApiRoutes, adminOptions);
}
