// /robots.txt, /sitemap.xml (index), /sitemaps/pages.xml, /sitemaps/articles-<n>.xml, /news-sitemap.xml.
// Each carries an ETag (and Last-Modified where one time dates it) and answers conditional GETs with 304.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import { AppError } from '../errors.ts';
import { httpDate, notModifiedSince } from '../web/conditional-get.ts';
import { articleSitemap, newsSitemap, pagesSitemap, robotsTxt, sitemapIndex, type RenderedSitemap, type SitemapSite } from './sitemap.service.ts';

export interface SitemapRoutesOptions {
  store: Store;
  config: Config;
  /** The site's name as its settings have it now (src/web/site.ts). */
  settings: { readonly name: string };
}

const XML = 'application/xml; charset=utf-8';
const MAX_SITEMAP_PAGE = 100_000;

export async function sitemapRoutes(app: FastifyInstance, { store, config, settings }: SitemapRoutesOptions): Promise<void> {
  // The name is read when a sitemap is written: an admin may rename the site (which announces `sitemaps`).
  const site: SitemapSite = {
    get name() {
      return settings.name;
    },
    publicUrl: config.publicUrl,
  };
  const { db } = store;
  // A 50,000-URL file takes seconds to write: the index, pages and article files are kept in the page
  // cache (with their Last-Modified) until an article write announces `sitemaps`. An article file past
  // the last one may appear with the next article. The news sitemap also depends on the time of day, so
  // it is always written afresh (it is small).
  const cached = { config: { pageCache: { query: [], missing: [key.sitemaps] } } };

  function send(request: FastifyRequest, reply: FastifyReply, sitemap: RenderedSitemap) {
    reply.dependsOn(key.sitemaps);
    reply.header('cache-control', 'public, max-age=600');
    if (sitemap.lastModified) {
      reply.header('last-modified', httpDate(sitemap.lastModified));
      if (notModifiedSince(request.headers, sitemap.lastModified)) return reply.code(304).send();
    }
    return reply.cachedBody(sitemap.xml, XML);
  }

  app.get('/robots.txt', async (_request, reply) => reply.cachedBody(robotsTxt(site), 'text/plain; charset=utf-8'));
  app.get('/sitemap.xml', cached, async (request, reply) => send(request, reply, await sitemapIndex(db, site)));
  app.get('/news-sitemap.xml', async (request, reply) => send(request, reply, await newsSitemap(db, site)));
  app.get<{ Params: { file: string } }>('/sitemaps/:file', cached, async (request, reply) => {
    const { file } = request.params;
    if (file === 'pages.xml') return send(request, reply, await pagesSitemap(db, site));
    const m = /^articles-([1-9]\d{0,5})\.xml$/.exec(file);
    if (!m || Number(m[1]) > MAX_SITEMAP_PAGE) throw new AppError('not_found', 'There is no sitemap at this address; /sitemap.xml lists them all.');
    return send(request, reply, await articleSitemap(db, site, Number(m[1])));
  });
}
