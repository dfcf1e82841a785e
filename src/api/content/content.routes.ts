// The Content API's endpoints. Each asks the owning capability's service (articles, sections, tags,
// people, pages, search) and answers with reply.sendContent(body, keys): the keys are what the answer
// shows, so the response cache drops it when one of them changes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../../db/store.ts';
import { key } from '../../db/change-keys.ts';
import { allSections } from '../../sections/section.service.ts';
import type { SearchRunner } from '../../search/search.pool.ts';
import type { ApiSettings } from '../api-deps.ts';
import { errorResponses } from '../api-schemas.ts';

export interface ContentRoutesOptions {
  store: Store;
  settings: ApiSettings;
  runSearch: SearchRunner;
}

const SectionSchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    language: z.string().meta({ description: 'BCP 47 language tag.' }),
    path: z.string().meta({ description: 'The section page on the site.' }),
  })
  .meta({ id: 'Section' });

const NoQuery = z.strictObject({ key: z.string().optional().meta({ description: 'A content key, instead of the Authorization header.' }) });

export async function contentRoutes(app: FastifyInstance, { store }: ContentRoutesOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/sections',
    {
      schema: {
        tags: ['content'],
        summary: 'Every section, in navigation order',
        querystring: NoQuery,
        response: { 200: z.object({ data: z.array(SectionSchema) }), ...errorResponses(400, 401, 429) },
      },
    },
    async (_request, reply) => {
      const sections = await allSections(store.db);
      return reply.sendContent({ data: sections }, [key.sections]);
    },
  );
}
