// The Admin API's routes, registered by the /api context under /api/admin after its auth hooks, so every
// handler here finds request.account set (an admin token or a staff session) and passes it to the
// services, which enforce the newsroom's permissions. See src/api/README.md for how to add an endpoint.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../accounts/permissions.ts';
import type { AdminApiOptions } from '../api-deps.ts';
import { errorResponses } from '../api-schemas.ts';

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

export async function adminApiRoutes(app: FastifyInstance, _options: AdminApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/me',
    {
      schema: {
        tags: ['admin'],
        summary: 'Who the token or session acts as',
        security: [{ adminToken: [] }, { session: [] }],
        response: { 200: MeSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      const { id, name, email, role, personId } = request.account;
      return { id, name, email, role, personId, via: request.apiAuth!.via };
    },
  );
}
