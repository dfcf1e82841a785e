// Old WordPress addresses answered 301 to where their content is now (issue 14 part 3, decision 0031).
// Registered into the public site's context (fastify-plugin), before the routes it watches over. It costs
// nothing on pages that exist: it is asked only when the site is about to answer 404 (errorPages'
// rescueNotFound), and for "/?p=ID" and the other WordPress query links on the home page's address,
// which the home page's cache key keeps apart so the cache never answers them with the home page.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { isLocalAddress, legacyTarget } from './legacy-links.ts';

/**
 * A day: browsers and shared caches keep the redirect and spare the database, and an address that an
 * editor later unpublishes or a new import remaps is followed anew by the next day. A 301 with no
 * freshness is kept indefinitely by browsers, which would make a wrong mapping unfixable.
 */
export const LEGACY_CACHE_CONTROL = 'public, max-age=86400';

/** "/?p=…", "/?page_id=…" and the other WordPress query links on the site's root. */
const ROOT_QUERY_LINK = /^\/\?(?:.*&)?(?:p|page_id|cat|tag|author)=[^&]/;

export interface LegacyLinkRoutesOptions {
  store: Store;
}

export const legacyLinkRoutes = fp<LegacyLinkRoutesOptions>(
  async (app, { store }) => {
    // A request looked up once is not looked up again on its way to the 404 page.
    const looked = new WeakSet<FastifyRequest>();

    async function redirect(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
      if (looked.has(request)) return false;
      looked.add(request);
      const target = await legacyTarget(store.db, request.url);
      if (target === null || !isLocalAddress(target)) return false;
      await reply.header('cache-control', LEGACY_CACHE_CONTROL).redirect(target, 301);
      return true;
    }

    app.rescueNotFound(redirect);

    app.addHook('onRequest', async (request, reply) => {
      if (request.url.charCodeAt(1) !== 63 /* ? */ || (request.method !== 'GET' && request.method !== 'HEAD') || !ROOT_QUERY_LINK.test(request.url)) return;
      if (await redirect(request, reply)) return reply;
      // An unknown post: as on WordPress, no page is there (rather than the home page under many addresses).
      throw new AppError('not_found', 'There is no page at this address.');
    });
  },
  { name: 'gazette-legacy-links', dependencies: ['gazette-error-pages'] },
);
