// The Admin API (/api/admin/*, issue 13): everything the web editor does, through the same services with
// the acting account (request.account, set by the /api context from an admin token or a session with its
// CSRF token), so every permission rule is the editor's. Each area's routes are in a file of their own;
// their zod schemas (schemas.ts) validate requests and make the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../accounts/permissions.ts';
import { errorResponses } from '../api-schemas.ts';
import type { AdminApiOptions } from '../api-deps.ts';
import { articleRoutes } from './articles.ts';
import { commentRoutes } from './comments.ts';
import type { AdminApiDeps } from './deps.ts';
import { mediaRoutes } from './media.ts';
import { structureRoutes } from './structure.ts';
import { userRoutes } from './users.ts';

const MeSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    email: z.string(),
    role: z.enum(ROLES as ['admin', 'editor', 'author', 'contributor']),
    personId: z.number().int().nullable(),
    via: z.enum(['token', 'session']).meta({ description: 'How the caller signed this request.' }),
  })
  .meta({ id: 'Me' });

/** The services' parts the routes call, from what the /api context is given. */
export function adminApiDeps(options: AdminApiOptions): AdminApiDeps {
  const { config } = options;
  return {
    store: options.store,
    accounts: options.accounts,
    comments: options.comments,
    media: options.media,
    documents: { dir: config.mediaDir, maxBytes: config.documentMaxBytes },
    settings: config,
  };
}

export async function adminApiRoutes(app: FastifyInstance, options: AdminApiOptions): Promise<void> {
  const deps = adminApiDeps(options);
  // Said once for all routes: each takes an admin token or a session (with x-csrf-token for changes), and
  // one with a body may refuse it as too large (413), of the wrong type (415) or with failing fields (422).
  app.addHook('onRoute', (route) => {
    const schema = route.schema;
    if (!schema) return;
    schema.security ??= [{ adminToken: [] }, { session: [] }];
    if (schema.body && schema.response && typeof schema.response === 'object') schema.response = { ...errorResponses(413, 415, 422), ...schema.response };
  });
  // Uploads: one file per request, cut off just past the larger size limit (the service then refuses it whole).
  if (!app.hasRequestDecorator('isMultipart')) {
    await app.register(multipart, { limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize: Math.max(options.config.documentMaxBytes, options.config.images.maxBytes) + 1 } });
  }
  app.withTypeProvider<ZodTypeProvider>().get(
    '/me',
    { schema: { tags: ['admin'], summary: 'Who the token or session acts as', response: { 200: MeSchema, ...errorResponses(401) } } },
    async (request) => {
      const { id, name, email, role, personId } = request.account;
      return { id, name, email, role, personId, via: request.apiAuth!.via };
    },
  );
  await app.register(articleRoutes, deps);
  await app.register(mediaRoutes, deps);
  await app.register(structureRoutes, deps);
  await app.register(commentRoutes, deps);
  await app.register(userRoutes, deps);
}
