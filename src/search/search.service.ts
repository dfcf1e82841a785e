// Reader search: validating the request, ranking through the search index, and turning hits into
// cards with highlighted headline and snippet (as segments of text, not HTML). No Fastify here: routes
// and benchmarks call it alike.
import { cardsFor, type ArticleCard } from '../articles/article.service.ts';
import type { Db } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { excerpt } from '../lib/excerpt.ts';
import { allSections, type Section } from '../sections/section.service.ts';
import type { SearchIndex } from './search-index.ts';
import type { Store } from '../db/store.ts';
import { MAX_QUERY_CHARS, parseQuery, type Clause } from './query.ts';
import type { SearchFilters } from './search-index.ts';
import { bodyTexts, publishedIds } from '../articles/article.lookups.ts';
import { highlightWhole, snippetAround, type Segment } from './snippet.ts';

export type { Segment } from './snippet.ts';

export const RESULTS_PER_PAGE = 10;
/** Matches are counted up to this many; pages past it are not offered (nobody reads page 101). */
export const MAX_COUNTED = 1000;
export const MAX_SEARCH_PAGE = MAX_COUNTED / RESULTS_PER_PAGE;
/**
 * A prefix is searched as one only while the words it stands for are few and occur in few enough
 * articles: FTS5 gathers every occurrence of every such word before ranking, so "pro*" or "ال*" on a
 * large archive would take the better part of a second. Beyond these, the prefix is searched as the
 * word typed and the page says so.
 */
export const MAX_PREFIX_WORDS = 100;
export const MAX_PREFIX_POSTINGS = 40_000;

/** A search request as it arrives, every field optional text. */
export interface SearchRequest {
  q?: string;
  section?: string;
  language?: string;
  /** First day, YYYY-MM-DD (inclusive). */
  from?: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  to?: string;
  page?: string;
}

export interface SearchResult {
  card: ArticleCard;
  /** The headline as written, its matched words marked. */
  headline: Segment[];
  /** About 32 words of the body (or the subtitle) around the matches, "… " where text was left out; the excerpt when neither matched. */
  snippet: Segment[];
}

export interface Suggestion {
  label: string;
  /** Query string for /search, e.g. "q=iraq". */
  query: string;
}

export interface SearchOutcome {
  /** The query as typed (trimmed); empty when none was given. */
  query: string;
  /** Whether the query held any word to search for. */
  searched: boolean;
  filters: { section: string; language: string; from: string; to: string };
  results: SearchResult[];
  page: number;
  pageCount: number;
  total: number;
  totalCapped: boolean;
  /** Some words were ignored (more than the maximum). */
  truncated: boolean;
  /** Prefixes (without the *) that stood for too many words and were searched as typed. */
  broadPrefixes: string[];
  sections: Section[];
  languages: string[];
  /** When nothing was found: other searches that do find something. */
  suggestions: Suggestion[];
  /** When nothing was found: the newest articles, so the page is never a dead end. */
  latest: ArticleCard[];
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function day(value: string | undefined, name: string): Date | null {
  if (value === undefined || value === '') return null;
  const m = DAY.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.toISOString().slice(0, 10) !== value)
    throw new AppError('bad_request', `The ${name} date must be a real day written as YYYY-MM-DD, e.g. 2022-01-16.`);
  return date;
}

function pageOf(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  if (!/^[1-9]\d{0,5}$/.test(value) || Number(value) > MAX_SEARCH_PAGE)
    throw new AppError('bad_request', `The page number must be a whole number from 1 to ${MAX_SEARCH_PAGE}.`);
  return Number(value);
}

/** Runs a reader's search. Throws bad_request with a message a reader can act on for unusable input. */
export async function search(store: Store, request: SearchRequest): Promise<SearchOutcome> {
  const { db, search: index } = store;
  const raw = request.q ?? '';
  const parsed = parseQuery(raw);
  if ('problem' in parsed)
    throw new AppError('bad_request', `The search is too long: at most ${MAX_QUERY_CHARS} characters are accepted. Try the few words that matter most.`);
  const page = pageOf(request.page);
  const from = day(request.from, 'from');
  const to = day(request.to, 'to');
  if (from && to && from > to) throw new AppError('bad_request', 'The "from" date is after the "to" date; swap them to search that period.');

  const filters: SearchFilters = {};
  const language = request.language ?? '';
  if (language) {
    if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) throw new AppError('bad_request', 'The language must be a language code such as en, ar or fa.');
    filters.language = language;
  }
  if (from) filters.from = from.toISOString();
  if (to) filters.before = new Date(to.getTime() + 86_400_000).toISOString();
  // The sections are read while the search runs, unless the search is limited to one of them: on
  // PostgreSQL that is one round trip less to wait for (decision 0054). Handled here so that an error
  // met first elsewhere leaves no unhandled rejection behind; awaiting it below still throws.
  const sectionsRead = allSections(db);
  sectionsRead.catch(() => {});
  const sectionSlug = request.section ?? '';
  if (sectionSlug) {
    const section = (await sectionsRead).find((s) => s.slug === sectionSlug);
    if (!section) throw new AppError('bad_request', `There is no section "${sectionSlug}" to search in.`);
    filters.sectionId = section.id;
  }

  const outcome: SearchOutcome = {
    query: parsed.text,
    searched: parsed.clauses.length > 0,
    filters: { section: sectionSlug, language, from: request.from ?? '', to: request.to ?? '' },
    results: [],
    page,
    pageCount: 1,
    total: 0,
    totalCapped: false,
    truncated: parsed.truncated,
    broadPrefixes: [],
    sections: [],
    languages: [],
    suggestions: [],
    latest: [],
  };
  if (!outcome.searched) return withSections(outcome, await sectionsRead);

  const clauses = await boundPrefixes(index, db, parsed.clauses, outcome.broadPrefixes);
  const ranked = await index.search(db, clauses, filters, RESULTS_PER_PAGE, (page - 1) * RESULTS_PER_PAGE, MAX_COUNTED);
  outcome.total = ranked.total;
  outcome.totalCapped = ranked.totalCapped;
  outcome.pageCount = Math.max(1, Math.ceil(ranked.total / RESULTS_PER_PAGE));
  if (page > outcome.pageCount && ranked.total > 0) throw new AppError('not_found', `There is no page ${page}; the last page of results is ${outcome.pageCount}.`);
  outcome.results = await toResults(index, db, clauses, ranked.ids);
  if (!outcome.results.length) {
    outcome.suggestions = await suggestionsFor(index, db, clauses, filters, outcome.filters);
    outcome.latest = await cardsFor(db, await publishedIds(db, {}, 5));
  }
  return withSections(outcome, await sectionsRead);
}

/** The outcome with the sections and the languages offered as filters: those of the sections (reading every article would cost a scan). */
function withSections(outcome: SearchOutcome, sections: Section[]): SearchOutcome {
  outcome.sections = sections;
  outcome.languages = [...new Set(sections.map((s) => s.language))].sort();
  return outcome;
}

/** The clauses with over-broad prefixes searched as typed; their words are added to `broad`. */
async function boundPrefixes(index: SearchIndex, db: Db, clauses: readonly Clause[], broad: string[]): Promise<Clause[]> {
  const out: Clause[] = [];
  for (const c of clauses) {
    if (c.prefix) {
      const reach = await index.prefixReach(db, c.words[c.words.length - 1]!, MAX_PREFIX_WORDS + 1);
      if (reach.words > MAX_PREFIX_WORDS || reach.postings > MAX_PREFIX_POSTINGS) {
        broad.push(c.words.join(' '));
        out.push({ ...c, prefix: false });
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

async function toResults(index: SearchIndex, db: Db, clauses: readonly Clause[], ids: readonly number[]): Promise<SearchResult[]> {
  // Read together: on PostgreSQL, one round of three statements.
  const [cards, marks, texts] = await Promise.all([cardsFor(db, ids), index.mark(db, clauses, ids), bodyTexts(db, ids)]);
  return cards.map((card) => {
    const marked = marks.get(card.id);
    const headline = highlightWhole(card.headline, marked?.headline ?? null);
    const body = texts.get(card.id) ?? '';
    const snippet = (body && snippetAround(body, marked?.body ?? null)) ||
      (card.subtitle && snippetAround(card.subtitle, marked?.subtitle ?? null)) || [{ text: card.excerpt || excerpt(body, 200, card.language), match: false }];
    return { card, headline, snippet };
  });
}

/** Searches that would find something: each word alone, and the same words without the filters. */
async function suggestionsFor(index: SearchIndex, db: Db, clauses: readonly Clause[], filters: SearchFilters, shown: SearchOutcome['filters']): Promise<Suggestion[]> {
  const out: Suggestion[] = [];
  const filtered = filters.sectionId !== undefined || filters.language !== undefined || filters.from !== undefined || filters.before !== undefined;
  const text = (c: Clause) => (c.words.length > 1 ? `"${c.words.join(' ')}"` : c.words[0]!) + (c.prefix ? '*' : '');
  if (filtered) {
    const any = await index.search(db, clauses, {}, 1, 0, 1);
    if (any.total > 0) out.push({ label: clauses.map(text).join(' '), query: new URLSearchParams({ q: clauses.map(text).join(' ') }).toString() });
  }
  if (clauses.length > 1) {
    for (const c of clauses.slice(0, 6)) {
      const alone = await index.search(db, [c], filters, 1, 0, 1);
      if (alone.total > 0) {
        const params = new URLSearchParams({ q: text(c) });
        for (const [k, v] of Object.entries(shown)) if (v) params.set(k, v);
        out.push({ label: text(c), query: params.toString() });
      }
    }
  }
  return out;
}
