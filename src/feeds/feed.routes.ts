// Feed endpoints (paths in feed-paths.ts). Each answers with ETag and Last-Modified and honours
// If-None-Match / If-Modified-Since with 304, so feed readers polling every few minutes cost little.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import { AppError } from '../errors.ts';
import { httpDate, notModifiedSince } from '../web/conditional-get.ts';
import { findMovedSection, findSection } from '../sections/section.service.ts';
import { FEED_MEDIA_TYPES, feedPath, parseFeedFile, type FeedFormat, type FeedScope } from './feed-paths.ts';
import { renderAtom, renderJsonFeed, renderRss } from './feed.render.ts';
import { buildFeed, type FeedSite } from './feed.service.ts';
import type { MediaStorage } from '../media/media.storage.ts';
import type { CardColours } from '../media/social-card.ts';

export interface FeedRoutesOptions {
  store: Store;
  config: Config;
  /** The site's name and language as its settings have them now, and its theme's colours (src/web/site.ts). */
  settings: { readonly name: string; readonly language: string; readonly theme: { readonly colours: CardColours } };
  /** Where the items' pictures are (enclosures state their size). */
  storage: MediaStorage;
}

const RENDER = { rss: renderRss, atom: renderAtom, json: renderJsonFeed } as const;

export async function feedRoutes(app: FastifyInstance, { store, config, settings, storage }: FeedRoutesOptions): Promise<void> {
  // Read per feed: an admin may rename the site (which announces `feeds`).
  const feedSite = (): FeedSite => ({ name: settings.name, publicUrl: config.publicUrl, language: settings.language, feedContent: config.feedContent, colours: settings.theme.colours });

  async function send(request: FastifyRequest, reply: FastifyReply, scope: FeedScope, format: FeedFormat) {
    const feed = await buildFeed(store.db, feedSite(), scope, storage);
    reply.dependsOn(...feed.keys);
    reply.header('last-modified', httpDate(feed.updated));
    reply.header('cache-control', 'public, max-age=300');
    if (notModifiedSince(request.headers, feed.updated)) return reply.code(304).send();
    return reply.cachedBody(RENDER[format](feed), `${FEED_MEDIA_TYPES[format]}; charset=utf-8`);
  }

  // Kept in the page cache, Last-Modified and all; a feed read no query parameter. A missing scope
  // appears when a section is defined, an article write makes a tag, or a person is added.
  const cached = { config: { pageCache: { query: [], missing: [key.sections, key.articles, key.people] } } };
  app.get('/feed.xml', cached, (request, reply) => send(request, reply, { kind: 'site' }, 'rss'));
  app.get('/feed.atom', cached, (request, reply) => send(request, reply, { kind: 'site' }, 'atom'));
  app.get('/feed.json', cached, (request, reply) => send(request, reply, { kind: 'site' }, 'json'));

  app.get<{ Params: { kind: string; file: string } }>('/feeds/:kind/:file', cached, async (request, reply) => {
    const { kind, file } = request.params;
    const parsed = parseFeedFile(file);
    if (!parsed || (kind !== 'section' && kind !== 'tag' && kind !== 'author'))
      throw new AppError('not_found', 'There is no feed at this address. Feeds end in .xml (RSS), .atom or .json.');
    if (kind === 'section') {
      // A renamed section's feed moves with it: readers' subscriptions follow the 301.
      const section = await findSection(store.db, parsed.slug);
      const moved = section ? null : await findMovedSection(store.db, parsed.slug);
      if (moved) return reply.redirect(feedPath({ kind, slug: moved.slug }, parsed.format), 301);
    }
    return send(request, reply, { kind, slug: parsed.slug }, parsed.format);
  });
}
