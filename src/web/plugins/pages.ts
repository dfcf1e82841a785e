// Serving rendered pages: reply.page() stores a rendered body in the page cache and sends it; an
// onRequest hook answers later GET/HEAD requests for the same URL from the cache, with ETag/304 and
// brotli/gzip, before any route handler or database query runs.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CachedBody, PageCache, chooseEncoding, etagMatches } from '../page-cache.ts';

declare module 'fastify' {
  interface FastifyReply {
    /** Sends an HTML page; cacheable pages (GET, 200/404) are kept until content changes. */
    page(html: string, status?: number): FastifyReply;
    /** Sends any body through the same ETag/compression path, cached like a page. */
    cachedBody(body: string | Buffer, contentType: string, status?: number): FastifyReply;
  }
  interface FastifyContextConfig {
    /** Set on routes whose responses may be cached (they depend only on the URL and stored content). */
    pageCache?: boolean;
  }
}

const HTML = 'text/html; charset=utf-8';

/** Sends a cached body with its ETag, answering 304 or picking the best encoding. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, entry: CachedBody): FastifyReply {
  reply.header('etag', entry.etag);
  reply.header('vary', 'Accept-Encoding');
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-cache');
  if (entry.status === 200 && etagMatches(request.headers['if-none-match'], entry.etag)) {
    return reply.code(304).send();
  }
  const { encoding, bytes } = entry.body(chooseEncoding(request.headers['accept-encoding']));
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.code(entry.status).type(entry.contentType).send(bytes);
}

export interface PagesOptions {
  clock: { current(): string };
}

export const pagesPlugin = fp<PagesOptions>(
  async (app, opts) => {
    const cache = new PageCache(opts.clock);

    app.addHook('onRequest', async (request, reply) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || !request.routeOptions.config.pageCache) return;
      const hit = cache.get(request.url);
      if (hit) return sendCached(request, reply, hit);
    });

    function store(request: FastifyRequest, reply: FastifyReply, body: string | Buffer, contentType: string, status: number) {
      const entry = new CachedBody(status, contentType, Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
      const cacheable = (request.method === 'GET' || request.method === 'HEAD') && request.routeOptions.config.pageCache && (status === 200 || status === 404);
      if (cacheable) cache.set(request.url, entry);
      return sendCached(request, reply, entry);
    }

    app.decorateReply('page', function (this: FastifyReply, html: string, status = 200) {
      return store(this.request, this, html, HTML, status);
    });
    app.decorateReply('cachedBody', function (this: FastifyReply, body: string | Buffer, contentType: string, status = 200) {
      return store(this.request, this, body, contentType, status);
    });
  },
  { name: 'gazette-pages' },
);
