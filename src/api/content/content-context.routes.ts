// /api/content: published content for anyone (issue 13, decision 0025). GET only. Every answer allows any
// origin (CORS `*`: nothing here depends on cookies), carries an ETag and answers 304 when it matches.
// A content key (`Authorization: Bearer gzt_…` or `?key=`) is optional: with one, requests count against
// the key's limit; without, against the address's. Answers are kept in a response cache of their own until
// what they show changes (the change keys of decision 0010), looked up after the query is validated, so
// rate limits and bad parameters apply to cached answers too.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChangeKey, Store } from '../../db/store.ts';
import { AppError } from '../../errors.ts';
import { resolveApiToken, type ApiTokenRefusal } from '../../accounts/api-token.service.ts';
import { CachedBody, PageCache } from '../../web/page-cache.ts';
import { sendCached } from '../../web/plugins/pages.ts';
import type { SearchRunner } from '../../search/search.pool.ts';
import type { ApiSettings } from '../api-deps.ts';
import { bearerToken } from '../admin-auth.ts';
import { RequestCounter } from './rate-limit.ts';
import { contentRoutes } from './content.routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The content key a Content API request came with, when it came with one. */
    contentKey: { tokenId: number; name: string } | null;
  }
  interface FastifyReply {
    /** Sends a Content API answer as JSON with its ETag, kept in the response cache until one of `keys` is announced. */
    sendContent(body: unknown, keys: readonly ChangeKey[]): FastifyReply;
  }
}

export interface ContentApiOptions {
  store: Store;
  /** The site's address (PUBLIC_URL without a trailing slash), before the paths of pictures. */
  origin: string;
  settings: ApiSettings;
  runSearch: SearchRunner;
  /** Whether the request's address comes from X-Forwarded-For (only when TRUST_PROXY is set). */
  trustProxy: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const KEY_REFUSALS: Record<ApiTokenRefusal, string> = {
  unknown: 'This content key is not known. Leave it out to read without one.',
  revoked: 'This content key was revoked.',
  disabled: 'This content key cannot be used.',
  wrong_kind: 'This is an admin token; the Content API takes a content key, or none.',
};
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After',
  // Content may be read from any site (the site's own headers keep everything else same-origin).
  'cross-origin-resource-policy': 'cross-origin',
};

/** The cache key of a validated request: its path and its query in a fixed order, the content key left out. */
function cacheKey(request: FastifyRequest): string {
  const path = request.url.split('?', 1)[0]!;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const parts = Object.keys(query)
    .filter((name) => name !== 'key' && query[name] !== undefined)
    .sort()
    .map((name) => `${name}=${encodeURIComponent(JSON.stringify(query[name]))}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

export async function contentApi(app: FastifyInstance, { store, origin, settings, runSearch, trustProxy: _trustProxy }: ContentApiOptions): Promise<void> {
  const cache = new PageCache(store.changes, 5000, 64 * 1024 * 1024);
  app.addHook('onClose', async () => cache.close());
  const counter = new RequestCounter();
  const pending = new WeakMap<FastifyRequest, { key: string; since: number }>();
  app.decorateRequest('contentKey', null);

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(CORS_HEADERS);
    if (request.method === 'OPTIONS') return;
    await identifyKey(request);
    limitRate(request, reply);
  });

  async function identifyKey(request: FastifyRequest): Promise<void> {
    const fromQuery = (request.query as Record<string, unknown> | undefined)?.key;
    const token = bearerToken(request) ?? (typeof fromQuery === 'string' ? fromQuery : null);
    if (token === null) return;
    const caller = await resolveApiToken(store, token, 'content');
    if (typeof caller === 'string') throw new AppError('unauthorized', KEY_REFUSALS[caller], { key: KEY_REFUSALS[caller] });
    request.contentKey = { tokenId: caller.tokenId, name: caller.name };
  }

  function limitRate(request: FastifyRequest, reply: FastifyReply): void {
    const key = request.contentKey;
    const limit = key ? settings.perKeyPerMinute : settings.perAddressPerMinute;
    if (limit === 0) return;
    const decision = key
      ? counter.take(`key:${key.tokenId}`, settings.perKeyPerMinute, Date.now())
      : counter.take(`ip:${request.ip}`, settings.perAddressPerMinute, Date.now());
    reply.header('ratelimit-limit', String(decision.limit));
    reply.header('ratelimit-remaining', String(decision.remaining));
    reply.header('ratelimit-reset', String(decision.resetSeconds));
    if (!decision.allowed) {
      reply.header('retry-after', String(decision.resetSeconds));
      throw new AppError('rate_limited', key ? `This content key made more than ${decision.limit} requests this minute.` : `This address made more than ${decision.limit} requests this minute; a content key has a higher limit.`);
    }
  }

  // After validation: a cached answer for the same validated query is sent without running the route.
  app.addHook('preHandler', async (request, reply) => {
    if (!settings.cache || (request.method !== 'GET' && request.method !== 'HEAD')) return;
    const key = cacheKey(request);
    const hit = cache.get(key);
    if (hit) return sendCached(request, reply, hit.body);
    pending.set(request, { key, since: cache.mark() });
  });

  app.decorateReply('sendContent', function (this: FastifyReply, body: unknown, keys: readonly ChangeKey[]) {
    const entry = new CachedBody(200, JSON_TYPE, Buffer.from(JSON.stringify(body), 'utf8'), { 'cache-control': 'public, no-cache' });
    const slot = pending.get(this.request);
    if (slot && keys.length) cache.set(slot.key, entry, keys, slot.since);
    this.header('cache-control', 'public, no-cache');
    return sendCached(this.request, this, entry);
  });

  // Preflight for cross-origin reads with a content key in the Authorization header.
  app.options('/*', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
      .header('access-control-allow-headers', 'Authorization, If-None-Match')
      .header('access-control-max-age', '86400')
      .send(),
  );

  await app.register(contentRoutes, { store, origin, settings, runSearch });
}
