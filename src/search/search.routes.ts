// GET /search: the reader's search page. Not in the page cache: every query is a new URL and caching
// them would push article pages out; repeated searches are answered by a small cache of their own
// (search.cache.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../db/store.ts';
import { badRequest } from '../errors.ts';
import { searchPath } from '../lib/paths.ts';
import { searchStrings } from '../web/i18n/search.ts';
import type { Site } from '../web/site.ts';
import type { SearchOutcome, SearchRequest } from './search.service.ts';
import { cachedSearch } from './search.cache.ts';

export interface SearchRoutesOptions {
  store: Store;
  site: Site;
  /** Runs a search (in worker threads on SQLite: search.pool.ts). */
  runSearch: (request: SearchRequest) => Promise<SearchOutcome>;
}

const FIELDS = ['q', 'section', 'language', 'from', 'to', 'page'] as const;

/** Reads the search fields from the query string; a field given twice is a mistake worth saying. */
function searchRequest(request: FastifyRequest): SearchRequest {
  const query = request.query as Record<string, unknown>;
  const out: SearchRequest = {};
  for (const name of FIELDS) {
    const value = query[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw badRequest(`The search field "${name}" was given more than once; give it once.`);
    out[name] = value;
  }
  return out;
}

/**
 * A search page as the search cache keeps it: the bytes sent, and the site language it was drawn in.
 * A repeated search (two requests in three of a search log) is answered without searching or drawing
 * again. The page depends on the outcome and on the site's chrome and language, and any announced change
 * empties the search cache, so a page is never reused across a change. Kept as UTF-8 bytes rather than
 * as the outcome and its page as a string (decision 0046): the outcome's objects and the string (two bytes
 * a character, as every page holds a character beyond Latin-1) took about four times the memory.
 */
interface DrawnSearch {
  language: string;
  body: Buffer;
}

export async function searchRoutes(app: FastifyInstance, { store, site, runSearch }: SearchRoutesOptions): Promise<void> {
  const draw = async (request: SearchRequest): Promise<DrawnSearch> => {
    const language = site.language;
    return { language, body: Buffer.from(await drawPage(await runSearch(request), language), 'utf8') };
  };
  const search = cachedSearch(store, draw, (page) => page.body.length);
  app.addHook('onClose', async () => search.close());
  app.get('/search', async (request, reply) => {
    const started = performance.now();
    const asked = searchRequest(request);
    let { value: page, hit } = await search(asked);
    // Drawn in a language the site no longer has (its settings changed meanwhile): searched and drawn again.
    if (page.language !== site.language) {
      page = await draw(asked);
      hit = false;
    }
    // Server-Timing lets a browser's developer tools (and bench/search.bench.ts) see the server's share.
    reply.header('server-timing', `search;dur=${(performance.now() - started).toFixed(1)}, cache;desc=${hit ? 'hit' : 'miss'}`);
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page.body);
  });

  async function drawPage(outcome: SearchOutcome, language: string): Promise<string> {
    const s = searchStrings(language);
    return site.render(
      {
        language,
        title: outcome.searched ? s.resultsFor(outcome.query) : s.searchTitle,
        description: outcome.searched ? s.resultsFor(outcome.query) : s.noQuery,
        path: searchPath(outcome.query, outcome.filters, outcome.page),
        // Result pages are endless and change with every article: keep them out of search engines.
        noindex: true,
      },
      site.theme.searchPage(outcome, language),
    );
  }
}
