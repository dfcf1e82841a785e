// Every one-segment address, /<slug>: a published static page (About, Contact…) is served there; a
// section's address without its slash, in capitals or under an old slug answers 301 to the section's
// page; anything else is the site's 404 page, kept in the cache until a page or section could fill it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { key } from '../db/change-keys.ts';
import type { Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { findMovedSection, findSection } from '../sections/section.service.ts';
import type { Site } from '../web/site.ts';
import { findPublishedPage } from './page.service.ts';

export interface PageRoutesOptions {
  store: Store;
  site: Site;
}

/** Answers 301 to `path`, keeping the query string of the request. */
function moved(request: FastifyRequest, reply: FastifyReply, path: string) {
  const query = request.url.indexOf('?');
  return reply.redirect(query === -1 ? path : path + request.url.slice(query), 301);
}

export async function pageRoutes(app: FastifyInstance, { store, site }: PageRoutesOptions): Promise<void> {
  const { db } = store;

  // A missing page appears when a page is published or a section defined or renamed.
  const cached = { config: { pageCache: { query: [], missing: [key.pages, key.sections] } } };

  app.get<{ Params: { slug: string } }>('/:slug', cached, async (request, reply) => {
    reply.dependsOn(...site.keys);
    const { slug } = request.params;
    const page = await findPublishedPage(db, slug);
    if (page) {
      reply.dependsOn(...page.keys);
      const body = await site.render(
        { language: page.language, title: page.title, description: page.title, path: page.path },
        site.theme.staticPage(page),
      );
      return reply.page(body);
    }
    // "/news" (or "/News", or a renamed section's old slug) -> "/news/": one canonical address per section.
    const section = (await findSection(db, slug)) ?? (await findMovedSection(db, slug));
    if (section) return moved(request, reply, section.path);
    throw new AppError('not_found', 'There is no page at this address.');
  });
}
