// /robots.txt, /sitemap.xml (index), /sitemaps/pages.xml, /sitemaps/articles-<n>.xml, /news-sitemap.xml.
// Each carries an ETag (and Last-Modified where one time dates it) and answers conditional GETs with 304.
import { createHash } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Store } from '../db/store.ts';
import { key } from '../db/change-keys.ts';
import { AppError } from '../errors.ts';
import { httpDate, notModifiedSince } from '../web/conditional-get.ts';
import { etagMatches, negotiateEncoding } from '../web/page-cache.ts';
import { EVERYTHING } from '../db/store.ts';
import { articleSitemap, newsSitemap, pagesSitemap, robotsTxt, sitemapIndex, type RenderedSitemap, type SitemapSite, type StreamedSitemap } from './sitemap.service.ts';

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
  // The index and the pages sitemap are small: they are kept in the page cache (with their Last-Modified)
  // until a write announces `sitemaps`. The news sitemap also depends on the time of day, so it is always
  // written afresh (it is small). Article files (up to 50,000 URLs, about 10 MB each) are written as they
  // are sent and never held whole: see sendStreamed.
  const cached = { config: { pageCache: { query: [], missing: [key.sitemaps] } } };
  const articleFiles = articleFileVersions(store);
  app.addHook('onClose', async () => articleFiles.close());

  function send(request: FastifyRequest, reply: FastifyReply, sitemap: RenderedSitemap) {
    reply.dependsOn(key.sitemaps);
    reply.header('cache-control', 'public, max-age=600');
    if (sitemap.lastModified) {
      reply.header('last-modified', httpDate(sitemap.lastModified));
      if (notModifiedSince(request.headers, sitemap.lastModified)) return reply.code(304).send();
    }
    return reply.cachedBody(sitemap.xml, XML);
  }

  /**
   * An article file, gzipped as it is written when the client takes gzip. Its ETag names the sitemaps'
   * version (articleFileVersions) rather than a hash of bytes not yet written; its Last-Modified is the
   * newest change among its articles.
   */
  function sendStreamed(request: FastifyRequest, reply: FastifyReply, etag: string, sitemap: StreamedSitemap) {
    reply.dependsOn(key.sitemaps);
    reply.header('cache-control', 'public, max-age=600');
    reply.header('last-modified', httpDate(sitemap.lastModified));
    reply.header('etag', etag);
    reply.header('vary', 'Accept-Encoding');
    const inm = request.headers['if-none-match'];
    if (inm !== undefined ? etagMatches(inm, etag) : notModifiedSince(request.headers, sitemap.lastModified)) return reply.code(304).send();
    reply.type(XML);
    if (request.method === 'HEAD') return reply.send();
    const body = Readable.from(sitemap.chunks);
    if (!negotiateEncoding(request.headers['accept-encoding']).gzip) return reply.send(body);
    reply.header('content-encoding', 'gzip');
    // pipeline ends the writer too when the client goes away (Fastify then destroys the gzip stream).
    return reply.send(pipeline(body, createGzip(), () => {}));
  }

  app.get('/robots.txt', async (_request, reply) => reply.cachedBody(robotsTxt(site), 'text/plain; charset=utf-8'));
  app.get('/sitemap.xml', cached, async (request, reply) => send(request, reply, await sitemapIndex(db, site)));
  app.get('/news-sitemap.xml', async (request, reply) => send(request, reply, await newsSitemap(db, site)));
  app.get('/sitemaps/pages.xml', cached, async (request, reply) => send(request, reply, await pagesSitemap(db, site)));
  app.get<{ Params: { file: string } }>('/sitemaps/:file', async (request, reply) => {
    const m = /^articles-([1-9]\d{0,5})\.xml$/.exec(request.params.file);
    if (!m || Number(m[1]) > MAX_SITEMAP_PAGE) throw new AppError('not_found', 'There is no sitemap at this address; /sitemap.xml lists them all.');
    const n = Number(m[1]);
    // The version is taken before any row is read, so the bytes are never older than the ETag names.
    const etag = articleFiles.etag(n);
    return sendStreamed(request, reply, etag, await articleSitemap(db, site, n));
  });
}

/**
 * The version of the article sitemap files, for their ETags: a number this process started with (its
 * start time) and how many times `sitemaps` (or everything) was announced since. Everything that
 * changes an article file announces `sitemaps`, as for the cached sitemaps; another process's change
 * is heard when the feed is asked (current()). A restart or another server names the same bytes
 * differently, which costs a crawler one full download, never a stale 304.
 */
function articleFileVersions(store: Store): { etag(n: number): string; close(): void } {
  const started = `${process.pid}-${Date.now()}`;
  let changes = 0;
  const close = store.changes.subscribe((keys) => {
    if (keys.includes(key.sitemaps) || keys.includes(EVERYTHING)) changes++;
  });
  return {
    close,
    etag(n: number) {
      store.changes.current();
      return `W/"${createHash('sha1').update(`${started}:${changes}:${n}`).digest('base64url').slice(0, 22)}"`;
    },
  };
}
