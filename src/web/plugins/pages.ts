// Serving rendered pages: reply.page() stores a rendered body in the page cache and sends it; an
// onRequest hook answers later GET/HEAD requests for the same normalised URL from the cache, with
// ETag/304 and brotli/gzip, before any route handler or database query runs. Routes record what a
// response is built from with reply.dependsOn(); an entry is dropped when one of those keys is
// announced on the store's change feed. The keys go out as Surrogate-Key (the header CDNs purge by),
// and responses of cached routes say in Server-Timing whether the cache served them.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChangeFeed, ChangeKey } from '../../db/store.ts';
import { notModifiedSince } from '../conditional-get.ts';
import type { PageStore, PageToStore } from '../../db/page-store.ts';
import { CachedBody, PageCache, etagMatches, negotiateEncoding } from '../page-cache.ts';

/**
 * A query parameter a cached route reads: its name (any value is kept), or its name with the values the
 * route understands. Any other value is removed, as if the parameter were absent, or, with `otherwise:
 * 'redirect'`, answered with a 301 to the same address without it (for a parameter that names a page:
 * one address per page, and no route work for junk).
 */
export type QueryParam = string | { readonly name: string; readonly accept: RegExp; readonly otherwise?: 'ignore' | 'redirect' };

/** How a route's responses are cached. */
export interface PageCacheRoute {
  /**
   * Every query parameter the route reads. The others (utm_*, fbclid, anything unknown) are removed
   * before the route sees the request and are not part of the cache key, so they share one entry.
   */
  query: readonly QueryParam[];
  /** What could make a missing page (a 404) of this route exist; a cached 404 depends on these too. */
  missing: readonly ChangeKey[];
}

declare module 'fastify' {
  interface FastifyReply {
    /** Sends an HTML page; cacheable pages (GET, 200/404) are kept until what they depend on changes. */
    page(html: string, status?: number): FastifyReply;
    /** Sends any body through the same ETag/compression path, cached like a page. */
    cachedBody(body: string | Buffer, contentType: string, status?: number): FastifyReply;
    /** Records content this response is built from; a cached copy is dropped when one of these keys is announced. */
    dependsOn(...keys: readonly ChangeKey[]): FastifyReply;
  }
  interface FastifyInstance {
    /** The rendered-page cache (read by tests and diagnostics). */
    pageCache: PageCache;
    /** Resolves when the pages rendered so far are written to the page store (decision 0038). */
    flushStoredPages(): Promise<void>;
  }
  interface FastifyContextConfig {
    /** Set on routes whose responses may be cached: they depend only on the path, these query parameters and stored content. */
    pageCache?: PageCacheRoute;
  }
}

const HTML = 'text/html; charset=utf-8';
/** Headers a route sets that every cached copy must carry again. */
const REPLAYED = ['cache-control', 'last-modified'] as const;
/** Statuses whose responses a shared cache may keep, and so may purge by key. */
const keyedStatus = (status: number) => (status >= 200 && status < 300) || status === 304 || status === 404;
const surrogateKey = (keys: ReadonlySet<ChangeKey>) => [...keys].sort().join(' ');

/** Sends a cached body with its ETag, answering 304 or picking the best encoding. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, entry: CachedBody): FastifyReply {
  for (const [name, value] of Object.entries(entry.headers)) reply.header(name, value);
  reply.header('etag', entry.etag);
  reply.header('vary', 'Accept-Encoding');
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-cache');
  const lastModified = entry.headers['last-modified'];
  if (entry.status === 200 && (etagMatches(request.headers['if-none-match'], entry.etag) || (lastModified !== undefined && notModifiedSince(request.headers, lastModified)))) {
    return reply.code(304).send();
  }
  const accepted = negotiateEncoding(request.headers['accept-encoding']);
  const { encoding, bytes } = entry.body(accepted.best, accepted.gzip);
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.code(entry.status).type(entry.contentType).send(bytes);
}

const byName = (a: QueryParam, b: QueryParam) => {
  const x = typeof a === 'string' ? a : a.name;
  const y = typeof b === 'string' ? b : b.name;
  return x < y ? -1 : x > y ? 1 : 0;
};
const sortedParams = new WeakMap<PageCacheRoute, readonly QueryParam[]>();

/**
 * The cache key of a request (its path, then the route's parameters in name order) and the query the
 * route may read. Built from the parsed query the route would read, so one key always means one page.
 */
export function normalise(url: string, query: Record<string, unknown>, route: PageCacheRoute): { key: string; query: Record<string, unknown>; refused: string[] } {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  let params = sortedParams.get(route);
  if (!params) sortedParams.set(route, (params = [...route.query].sort(byName)));
  const kept: Record<string, unknown> = {};
  const parts: string[] = [];
  const refused: string[] = [];
  for (const p of params) {
    const name = typeof p === 'string' ? p : p.name;
    const value = query[name];
    if (value === undefined) continue;
    if (typeof p !== 'string' && !(typeof value === 'string' && p.accept.test(value))) {
      if (p.otherwise === 'redirect') refused.push(name);
      continue;
    }
    kept[name] = value;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`);
  }
  return { key: parts.length ? `${path}?${parts.join('&')}` : path, query: kept, refused };
}

/** `url` without the query parameters named, every other parameter kept as it was written. */
export function withoutParams(url: string, names: readonly string[]): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const nameOf = (part: string) => {
    const raw = part.split('=', 1)[0]!.replace(/\+/g, ' ');
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  };
  const rest = url.slice(q + 1).split('&').filter((part) => part !== '' && !names.includes(nameOf(part)));
  return rest.length ? `${url.slice(0, q)}?${rest.join('&')}` : url.slice(0, q);
}

/** What one request's response depends on, and how the page cache saw it. */
interface ResponseState {
  keys: Set<ChangeKey>;
  cache: { key: string; hit: boolean; since: number; storeSince?: number; stored?: boolean } | null;
  /** When the request arrived (performance.now()), for the server time a miss took. */
  started: number;
}

export interface PagesOptions {
  changes: Pick<ChangeFeed, 'current' | 'subscribe'>;
  /**
   * The stored rendered pages, read on a miss and written after a render (decision 0038); null: off.
   * `build` is this process's (web/render-build.ts): it reads only pages of its build, and deletes the
   * others' when it starts (decision 0073).
   */
  stored?: { pages: PageStore; maxBytes: number; build: string } | null;
}

/** A page rendered on a miss, waiting to be written to the page store: its body as stored is being made. */
type QueuedPage = Promise<PageToStore>;

/**
 * A page for the store. Its gzip form, when no client asked for it, is made on a later turn of
 * the event loop: after the response is sent, and one page per turn, between other requests' work.
 */
async function toStore(urlKey: string, since: number, build: string, entry: CachedBody, keys: ChangeKey[]): QueuedPage {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const { encoding, bytes } = entry.forStore();
  return { urlKey, since, build, page: { status: entry.status, contentType: entry.contentType, headers: { ...entry.headers }, etag: entry.etag, encoding, body: bytes, keys } };
}

/** Pages waiting to be written to the store, at most; more are not kept (a flood of misses). */
const STORE_QUEUE = 1000;
/** Pages written in one transaction. */
const STORE_BATCH = 200;
/** How long fewer pages than a batch wait for more before they are written. */
const STORE_DELAY_MS = 1000;

/** Deletes the pages other builds stored, after start-up and in the store's own order (decision 0073). */
function dropOtherBuilds(app: FastifyInstance, pages: PageStore, build: string): void {
  pages.dropOtherBuilds(build).then(
    (deleted) => {
      if (deleted) app.log.info({ deleted, build }, 'stored pages of another build deleted');
    },
    (err: unknown) => app.log.warn({ err }, 'stored pages of another build could not be deleted'),
  );
}

export const pagesPlugin = fp<PagesOptions>(
  async (app, opts) => {
    const cache = new PageCache(opts.changes);
    const stored = opts.stored ?? null;
    app.decorate('pageCache', cache);
    if (stored) dropOtherBuilds(app, stored.pages, stored.build);
    app.addHook('onClose', async () => cache.close());
    const states = new WeakMap<FastifyRequest, ResponseState>();
    const stateOf = (request: FastifyRequest): ResponseState => {
      let state = states.get(request);
      if (!state) states.set(request, (state = { keys: new Set(), cache: null, started: performance.now() }));
      return state;
    };

    app.addHook('onRequest', async (request, reply) => {
      const route = request.routeOptions.config.pageCache;
      if (!route || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      const { key, query, refused } = normalise(request.url, (request.query ?? {}) as Record<string, unknown>, route);
      if (refused.length) return reply.redirect(withoutParams(request.url, refused), 301);
      request.query = query;
      const state = stateOf(request);
      const hit = cache.get(key);
      if (hit) {
        // Its Surrogate-Key is among the headers it was stored with.
        state.cache = { key, hit: true, since: 0 };
        return sendCached(request, reply, hit.body);
      }
      const since = cache.mark();
      if (stored) {
        const storeSince = stored.pages.mark();
        const page = await stored.pages.get(key, stored.build);
        if (page) {
          const body = CachedBody.fromStored(page);
          cache.set(key, body, page.keys, since);
          state.cache = { key, hit: true, since: 0, stored: true };
          return sendCached(request, reply, body);
        }
        state.cache = { key, hit: false, since, storeSince };
        return;
      }
      state.cache = { key, hit: false, since };
    });

    // Pages rendered on a miss, written to the store off the response path, a batch at a time.
    let queued: QueuedPage[] = [];
    let flushing: Promise<void> | null = null;
    const flush = async (): Promise<void> => {
      while (stored && queued.length) {
        const waiting = queued.slice(0, STORE_BATCH);
        queued = queued.slice(STORE_BATCH);
        try {
          await stored.pages.put(await Promise.all(waiting), stored.maxBytes);
        } catch (err) {
          app.log.warn({ err }, 'rendered pages could not be stored');
        }
      }
    };
    // A write is a transaction of its own (and a commit): pages read one at a time (a crawler) would each
    // pay one. Fewer than a batch wait up to STORE_DELAY_MS for others; a full batch goes at once.
    let timer: NodeJS.Timeout | null = null;
    const startFlush = (now = false) => {
      if (flushing) return;
      if (!now && queued.length < STORE_BATCH) {
        timer ??= setTimeout(() => {
          timer = null;
          startFlush(true);
        }, STORE_DELAY_MS).unref();
        return;
      }
      if (timer) clearTimeout(timer);
      timer = null;
      flushing = new Promise<void>((resolve) => setImmediate(resolve)).then(flush).finally(() => {
        flushing = null;
        if (queued.length) startFlush();
      });
    };
    const flushAll = async () => {
      while (flushing || queued.length) {
        startFlush(true);
        await flushing;
      }
    };
    app.decorate('flushStoredPages', flushAll);
    app.addHook('onClose', flushAll);

    // Responses that did not go through store() (a 304 a route answered itself) get their headers here.
    app.addHook('onSend', async (request, reply, payload) => {
      const state = states.get(request);
      if (!state) return payload;
      if (state.keys.size && !reply.hasHeader('surrogate-key') && keyedStatus(reply.statusCode)) reply.header('surrogate-key', surrogateKey(state.keys));
      if (state.cache) {
        // A miss also says how long the page took to make (rendering and compressing included).
        const timing = state.cache.stored ? 'cache;desc=store' : state.cache.hit ? 'cache;desc=hit' : `cache;desc=miss, render;dur=${(performance.now() - state.started).toFixed(2)}`;
        const before = reply.getHeader('server-timing');
        reply.header('server-timing', before ? `${String(before)}, ${timing}` : timing);
      }
      return payload;
    });

    function store(request: FastifyRequest, reply: FastifyReply, body: string | Buffer, contentType: string, status: number) {
      const state = stateOf(request);
      const missing = request.routeOptions.config.pageCache?.missing;
      // Where this response goes in the cache, when it may: a GET/HEAD of a cached route that missed.
      const slot = missing && state.cache && !state.cache.hit && (status === 200 || status === 404) ? state.cache : null;
      if (slot && missing && status === 404) for (const k of missing) state.keys.add(k);
      const headers: Record<string, string> = {};
      for (const name of REPLAYED) {
        const value = reply.getHeader(name);
        if (typeof value === 'string') headers[name] = value;
      }
      if (state.keys.size && keyedStatus(status)) headers['surrogate-key'] = surrogateKey(state.keys);
      const entry = new CachedBody(status, contentType, Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), headers);
      if (slot) {
        // A response that names nothing it depends on would never be dropped: better not kept at all.
        if (state.keys.size) {
          cache.set(slot.key, entry, [...state.keys], slot.since);
          // Only pages that exist: a crawler's junk addresses (404s) stay in memory, never on disk.
          if (stored && status === 200 && slot.storeSince !== undefined && queued.length < STORE_QUEUE) {
            const page = toStore(slot.key, slot.storeSince, stored.build, entry, [...state.keys]);
            // A failure is the flush's to report; until then it is not an unhandled rejection.
            page.catch(() => {});
            queued.push(page);
            startFlush();
          }
        } else request.log.warn({ url: slot.key.split('?')[0] }, 'a cacheable response recorded no change keys; not cached');
      }
      return sendCached(request, reply, entry);
    }

    app.decorateReply('page', function (this: FastifyReply, html: string, status = 200) {
      return store(this.request, this, html, HTML, status);
    });
    app.decorateReply('cachedBody', function (this: FastifyReply, body: string | Buffer, contentType: string, status = 200) {
      return store(this.request, this, body, contentType, status);
    });
    app.decorateReply('dependsOn', function (this: FastifyReply, ...keys: readonly ChangeKey[]) {
      const state = stateOf(this.request);
      for (const k of keys) state.keys.add(k);
      return this;
    });
  },
  { name: 'gazette-pages' },
);
