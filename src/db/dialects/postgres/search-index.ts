// The PostgreSQL implementation of SearchIndex: a tsvector per published article (GIN-indexed), built
// with the `gazette` text search configuration (English Snowball stemming, no stop words) from the
// same folded text SQLite's FTS5 table holds, so that both engines find the same articles for the same
// words. Ranking is ts_rank over weighted parts (decision 0041: only the matches that can reach the
// page, for one word); highlighting marks the words at the matching lexemes' positions, as ts_headline would.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../schema.ts';
import type { Db } from '../../store.ts';
import { indexText } from '../../../search/normalise.ts';
import { isStopword } from '../../../search/stopwords.ts';
import { alternatives, type Clause } from '../../../search/query.ts';
import type { IndexDocument, MarkedFields, RankedIds, SearchFilters, SearchIndex, SimilarArticle } from '../../../search/search-index.ts';
import { MARK_CLOSE, MARK_OPEN } from '../../../search/snippet.ts';
import { TS_CONFIG } from './schema.ts';
import { phraseFilterHex } from './phrase-filter.ts';
import { chooseTerms, DF_LOOKUPS, frequencyCache, MIN_SIMILARITY, SIMILAR_WINDOW, type FrequencyCache } from '../../../search/similar-terms.ts';

type SearchTables = {
  article_search: {
    article_id: number;
    section_id: number;
    language: string;
    published_at: string;
    document: string;
    rank_length: number | null;
    head_terms: string | null;
    phrase_filter: string | null;
  };
  article_search_rank: { article_id: number; rank_document: string };
  article_search_text: { article_id: number; headline: string; subtitle: string; tags: string; body: string };
  article_search_terms: { term: string; docs: number };
};

/**
 * ts_rank weights for classes {D, C, B, A}: body, subtitle, tags, headline — the same proportions as
 * SQLite's bm25 weights (1, 4, 5, 10), so a headline hit outranks an article that only mentions a word.
 */
const SEARCH_WEIGHTS = '{0.1, 0.4, 0.5, 1.0}';
/** Check Also weighs the topic words of the headline and tags more (as on SQLite: 1, 3, 6, 6). */
const SIMILAR_WEIGHTS = '{0.166, 0.5, 1.0, 1.0}';
/** Matches ranked per search: the newest ones, when a query matches more (as on SQLite). */
const RANK_WINDOW = 2000;
/** How much each weight class of the article itself counts when choosing its characteristic words. */
const CLASS_TF_WEIGHT: Record<string, number> = { A: 4, B: 4, C: 2, D: 1 };
/** ts_headline markers: index text holds letters, digits and spaces only, so these never occur in it. */
const START = '<<';
const STOP = '>>';

function tables(db: Db): Kysely<Database & SearchTables> {
  return db.withTables<SearchTables>();
}

/** A word as a tsquery operand: quoted, so nothing typed can become tsquery syntax. */
const operand = (word: string) => `'${word.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;

/**
 * The tsquery text for the clauses: each alternative a word or a phrase (<->), a prefix marked :*,
 * alternatives ORed, clauses ANDed. to_tsquery then stems each operand as the index was stemmed.
 */
export function tsqueryText(clauses: readonly Clause[]): string {
  return clauses
    .map((c) => {
      const alts = alternatives(c).map((a) =>
        a.words.map((w, i) => operand(w) + (a.prefix && i === a.words.length - 1 ? ':*' : '')).join(' <-> '),
      );
      return alts.length > 1 ? `(${alts.map((a) => `(${a})`).join(' | ')})` : `(${alts[0]})`;
    })
    .join(' & ');
}

const query = (clauses: readonly Clause[]): RawBuilder<string> => sql`to_tsquery(${TS_CONFIG}::regconfig, ${tsqueryText(clauses)})`;

/**
 * The weighted document of one article from its folded parts, each a value or a column: A headline,
 * B tags, C subtitle, D body.
 */
function documentExpression(parts: Record<'headline' | 'subtitle' | 'tags' | 'body', RawBuilder<unknown> | string>): RawBuilder<string> {
  const part = (text: RawBuilder<unknown> | string, weight: string) => sql`setweight(to_tsvector(${TS_CONFIG}::regconfig, ${text}), ${weight}::"char")`;
  return sql`${part(parts.headline, 'A')} || ${part(parts.tags, 'B')} || ${part(parts.subtitle, 'C')} || ${part(parts.body, 'D')}`;
}

/** The weighted document of one article, from its folded parts. */
function documentOf(parts: { headline: string; subtitle: string; tags: string; body: string }): RawBuilder<string> {
  return documentExpression(parts);
}

/**
 * Characters of body text in the ranking document. Ranking reads each candidate's document, and a whole
 * article's tsvector is stored out of line (TOAST): reading 2,000 of them cost about 100 ms at 100,000
 * articles. The ranking document (headline, tags, subtitle and the opening of the body) is small enough
 * to stay in the row of its own table (article_search_rank, migration 008); matching still uses the
 * whole text through the GIN index.
 */
const RANK_BODY_CHARS = 1500;

/** The small document search and Check Also rank by. */
function rankDocumentOf(parts: { headline: string; subtitle: string; tags: string; body: string }): RawBuilder<string> {
  return documentOf({ ...parts, body: parts.body.slice(0, RANK_BODY_CHARS) });
}

/**
 * What bounds a match's score without its ranking document (migration 024), stored beside the matching
 * document: the ranking document's length as ts_rank counts it (its positions), and the lexemes of the
 * headline, tags and subtitle, without positions (see rankedMatches).
 */
function rankLengthOf(articleId: RawBuilder<unknown> | number): RawBuilder<number> {
  return sql<number>`(select ${RANK_LENGTH} from article_search_rank r, unnest(r.rank_document) as u where r.article_id = ${articleId})`;
}

/** That length, summed over a ranking document's lexemes unnested as `u` (one without positions counts one). */
const RANK_LENGTH = sql<number>`coalesce(sum(coalesce(array_length(u.positions, 1), 1)), 0)`;

function headTermsOf(parts: Record<'headline' | 'subtitle' | 'tags', RawBuilder<unknown> | string>): RawBuilder<string> {
  const terms = (text: RawBuilder<unknown> | string) => sql`to_tsvector(${TS_CONFIG}::regconfig, ${text})`;
  return sql<string>`strip(${terms(parts.headline)} || ${terms(parts.tags)} || ${terms(parts.subtitle)})`;
}

/** A bit string's value from its hexadecimal digits (null stays null). */
const bitsFromHex = (hex: string | null): RawBuilder<string | null> => sql<string | null>`('x' || ${hex}::text)::varbit`;

function foldedParts(doc: IndexDocument) {
  return {
    headline: indexText(doc.headline),
    subtitle: indexText(doc.subtitle),
    tags: indexText(doc.tags.join(' . ')),
    body: indexText(doc.body),
  };
}

/**
 * Moves the article counts of terms from an article's indexed document to `next` (null: the article
 * leaves the index), in one statement whose rows are written in term order, so that concurrent writers
 * lock shared terms in the same order and never deadlock.
 */
async function countTerms(db: Db, articleId: number, next: RawBuilder<string> | null): Promise<void> {
  const added = next ? sql`union all select unnest(tsvector_to_array(${next})), 1` : sql``;
  await sql`
    insert into article_search_terms (term, docs)
    select t, sum(d) from (
      select unnest(tsvector_to_array(document)) as t, -1 as d from article_search where article_id = ${articleId}
      ${added}
    ) as changes
    group by t
    having sum(d) <> 0
    order by t
    on conflict (term) do update set docs = article_search_terms.docs + excluded.docs`.execute(db);
}

/**
 * Ids searched first for the newest matches: the newest NEWEST_SPAN ids, whose matches the GIN index
 * and a range of the primary key give ANDed as bitmaps, so only matches in the range are read from
 * the table. A common word matches thousands of articles, each read and sorted to find the newest
 * `window` (at 100,000 articles, 14,000 rows read for 2,000 kept).
 */
const NEWEST_SPAN = 20_000;

/**
 * A search's page of matches, best first, and how many the window held, in one call of
 * gazette_search_ranked (migration 030, decision 0065). It takes the newest `window` matches from
 * gazette_search_window (migration 025, in the PostgreSQL schema), which reads the id range and,
 * unless the query ORs alternatives, the article count of its rarest whole word (the term counts'
 * figure, an upper bound on its matches), and then searches:
 * - every article at once when the ids span less than twice NEWEST_SPAN, when that count is unknown
 *   (a prefix, alternatives), when it is larger than NEWEST_SPAN (the planner would then test every
 *   document of the range instead of ANDing the range with the GIN index's matches: over a second for
 *   "the" at 100,000 articles), or when it says the newest ids could not hold the window;
 * - otherwise the newest NEWEST_SPAN ids first and, when they hold fewer than `window` matches, the
 *   older ids for the rest (decision 0054; before it, a query of several operands or with a filter was
 *   always searched over every article, and a word whose newest range fell short was searched again
 *   over every article).
 * Each search orders by `article_id + 0`: ordered by the primary key itself, the planner walks it
 * backwards testing every article's whole document against the query (a second at 100,000 articles);
 * ordered by an expression, it asks the GIN index for the matches and sorts their ids. `bounded`: the
 * query is one word (one operand, not a prefix) that is not in the match's headline, tags or subtitle,
 * so only its body holds it, and its score is bounded by the ranking document's length alone; such
 * matches are scored only while their bound could still reach the page (see addRankedSearch in
 * schema.ts). Only the page's ids come back, not the whole window. The functions' SET clauses carry
 * the planner settings (see withIndexPlan for why each), so the search needs no transaction of its own
 * to set them.
 */
async function rankedMatches(db: Db, q: RawBuilder<string>, filters: SearchFilters, window: number, needed: number): Promise<{ ids: number[]; total: number }> {
  const found = await sql<{ id: number | null; total: number }>`
    select id, total from gazette_search_ranked(${SEARCH_WEIGHTS}::float4[], ${q}, ${filters.sectionId ?? null}::int, ${filters.language ?? null}::text,
      ${filters.from ?? null}::text, ${filters.before ?? null}::text, ${window}::int, ${NEWEST_SPAN}::int, ${needed}::int)`.execute(db);
  return { ids: found.rows.flatMap((r) => (r.id === null ? [] : [r.id])), total: Number(found.rows[0]?.total ?? 0) };
}

/**
 * Runs a search's matching query with the planner kept on the full-text index. Its cost model does not
 * count fetching and decompressing a document stored out of line (30-60 µs each), so for a word in
 * many articles it prefers reading the whole table and testing every document, which takes seconds at
 * 100,000 articles; through the index, the same search reads no document at all. JIT compilation,
 * which the large estimates of such plans set off, costs more than these queries run, and so does
 * starting a parallel worker (about 20 ms, for a sort of a few thousand ids).
 * Reader searches carry the same settings in the SET clauses of their functions (migration 025).
 * The settings last only to the end of the transaction (its own, or the caller's, where they are put
 * back afterwards).
 */
async function withIndexPlan<T>(db: Db, run: (db: Db) => Promise<T>): Promise<T> {
  const plan = sql`select set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`;
  if (!db.isTransaction)
    return db.transaction().execute(async (trx) => {
      await plan.execute(trx);
      return run(trx);
    });
  const before = await sql<{ seq: string; jit: string; workers: string }>`
    select current_setting('enable_seqscan') as seq, current_setting('jit') as jit, current_setting('max_parallel_workers_per_gather') as workers`.execute(db);
  await plan.execute(db);
  const result = await run(db);
  const { seq, jit, workers } = before.rows[0]!;
  await sql`select set_config('enable_seqscan', ${seq}, true), set_config('jit', ${jit}, true), set_config('max_parallel_workers_per_gather', ${workers}, true)`.execute(db);
  return result;
}

/** Removes an article's rows from the index tables (its term counts are the caller's business). */
async function deleteEntry(db: Db, id: number): Promise<void> {
  const t = tables(db);
  await t.deleteFrom('article_search').where('article_id', '=', id).execute();
  await t.deleteFrom('article_search_rank').where('article_id', '=', id).execute();
  await t.deleteFrom('article_search_text').where('article_id', '=', id).execute();
}

/** Each article's own terms, with how much they count for it (where they occur, and how often). */
async function ownTerms(db: Db, ids: readonly number[]): Promise<Map<number, Map<string, number>>> {
  const rows = await sql<{ article_id: number; lexeme: string; weights: string[] | string }>`
    select article_id, lexeme, weights from article_search, unnest(document) where article_id = any(${[...ids]}::int[])`.execute(db);
  const out = new Map<number, Map<string, number>>();
  for (const r of rows.rows) {
    if ([...r.lexeme].length < 3 || /^\d+$/.test(r.lexeme) || isStopword(r.lexeme)) continue;
    const weights = Array.isArray(r.weights) ? r.weights : String(r.weights).replace(/[{}]/g, '').split(',');
    let terms = out.get(r.article_id);
    if (!terms) out.set(r.article_id, (terms = new Map()));
    terms.set(r.lexeme, weights.reduce((sum, w) => sum + (CLASS_TF_WEIGHT[w] ?? 1), 0));
  }
  return out;
}

/**
 * The `window` matches of each article's query (through the GIN index) nearest the article by id (on a
 * tie the newer: SIMILAR_WINDOW, the same rule as on SQLite) ranked against it, the best `limit + 1`
 * of each, with the article's own score beside them: one statement for them all, so a batch of
 * articles costs one round trip, not one per article. Runs with the index plan (see withIndexPlan):
 * the queries are not known when the statement is planned.
 */
async function rankAgainst(db: Db, queries: readonly { id: number; query: string }[], limit: number, window: number) {
  if (!queries.length) return [];
  const weights = sql.lit(SIMILAR_WEIGHTS);
  const statement = sql<{ for_id: number; self: number | null; article_id: number; section_id: number; published_at: string; score: number }>`
    select p.id as for_id, own.self, x.article_id, x.section_id, x.published_at, x.score
    from (select unnest(${queries.map((q) => q.id)}::int[]) as id, unnest(${queries.map((q) => q.query)}::text[])::tsquery as q) as p
    left join lateral (select ts_rank(${weights}::float4[], s.rank_document, p.q) as self from article_search_rank s where s.article_id = p.id) as own on true
    cross join lateral (
      select r.article_id, m.section_id, m.published_at, ts_rank(${weights}::float4[], r.rank_document, p.q) as score
      from (
        select article_id, section_id, published_at from article_search
        where document @@ p.q
        order by abs(article_id - p.id), article_id desc
        limit ${window}
      ) as m
      join article_search_rank r on r.article_id = m.article_id
      order by score desc, r.article_id desc
      limit ${limit + 1}
    ) as x`;
  return (await withIndexPlan(db, (t) => statement.execute(t))).rows;
}

/**
 * Check Also's candidates for many articles at once, each list what similar() gives for its article:
 * a few statements for the whole batch (terms, highest id, document frequencies, ranking).
 */
async function similarMany(frequencies: FrequencyCache, db: Db, ids: readonly number[], limit: number, window: number): Promise<Map<number, SimilarArticle[]>> {
  const out = new Map<number, SimilarArticle[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const t = tables(db);
  const own = await ownTerms(db, ids);
  if (!own.size) return out;

  const highest = Number((await t.selectFrom('article_search').select((eb) => eb.fn.max('article_id').as('n')).executeTakeFirst())?.n ?? 1);
  frequencies.sync(highest);
  const lookups = new Map<number, string[]>();
  for (const [id, terms] of own) lookups.set(id, [...terms.entries()].sort((a, b) => b[1] - a[1]).slice(0, DF_LOOKUPS).map(([term]) => term));
  const missing = [...new Set([...lookups.values()].flat())].filter((term) => frequencies.get(term) === undefined);
  if (missing.length) {
    const found = await t.selectFrom('article_search_terms').select(['term', 'docs']).where('term', 'in', missing).execute();
    const byTerm = new Map(found.map((f) => [f.term, f.docs]));
    for (const term of missing) frequencies.set(term, byTerm.get(term) ?? 0);
  }
  const queries: { id: number; query: string }[] = [];
  for (const [id, terms] of lookups) {
    const chosen = chooseTerms(terms.map((term) => ({ term, tf: own.get(id)!.get(term)!, doc: frequencies.get(term) ?? 0 })), highest);
    // The lexemes are already stemmed: cast, not to_tsquery, so they are not stemmed twice.
    if (chosen.length) queries.push({ id, query: chosen.map((c) => operand(c.term)).join(' | ') });
  }

  const ranked = new Map<number, { self: number | null; rows: { article_id: number; section_id: number; published_at: string; score: number }[] }>();
  for (const r of await rankAgainst(db, queries, limit, window)) {
    let entry = ranked.get(r.for_id);
    if (!entry) ranked.set(r.for_id, (entry = { self: r.self, rows: [] }));
    entry.rows.push(r);
  }
  for (const [id, { self, rows }] of ranked) {
    // Rows arrive in no particular order across articles: put each article's back in rank order.
    rows.sort((a, b) => b.score - a.score || b.article_id - a.article_id);
    const others = rows.filter((r) => r.article_id !== id).slice(0, limit);
    if (!others.length) continue;
    // The article's own score is the yardstick for the others.
    const best = self !== null && self > 0 ? self : (others[0]?.score ?? 1);
    out.set(
      id,
      others
        .map((r) => ({ id: r.article_id, similarity: Math.min(1, r.score / best), sectionId: r.section_id, publishedAt: r.published_at }))
        .filter((r) => r.similarity >= MIN_SIMILARITY),
    );
  }
  return out;
}

/** Rows of the three index tables for many articles, each table written in a statement or two. */
const BULK_ROWS = 250;

/**
 * putMany's work: the entries of these articles replaced, a few statements per BULK_ROWS articles
 * (their folded text passed as arrays and unnested) instead of four per article, which a bulk load of
 * 100,000 articles paid in round trips. The documents are built by the same expressions as put()'s.
 */
async function insertMany(db: Db, docs: readonly IndexDocument[]): Promise<void> {
  for (let i = 0; i < docs.length; i += BULK_ROWS) {
    const slice = docs.slice(i, i + BULK_ROWS);
    const parts = slice.map(foldedParts);
    const ids = slice.map((d) => d.id);
    const column = (pick: (p: (typeof parts)[number]) => string) => parts.map(pick);
    const input = sql`unnest(
      ${ids}::int[], ${slice.map((d) => d.sectionId)}::int[], ${slice.map((d) => d.language)}::text[], ${slice.map((d) => d.publishedAt)}::text[],
      ${column((p) => p.headline)}::text[], ${column((p) => p.subtitle)}::text[], ${column((p) => p.tags)}::text[], ${column((p) => p.body)}::text[],
      ${column((p) => p.body.slice(0, RANK_BODY_CHARS))}::text[]
    ) as d(article_id, section_id, language, published_at, headline, subtitle, tags, body, rank_body)`;
    const document = (body: RawBuilder<unknown>) =>
      documentExpression({ headline: sql.ref('d.headline'), subtitle: sql.ref('d.subtitle'), tags: sql.ref('d.tags'), body });
    // Two statements a slice, each sending the texts once: the old rows deleted and the matching
    // documents built and read back (their phrase filters are made here, from their positions), then
    // every new row written.
    const read = await sql<{ article_id: number; document: string }>`
      with gone as (delete from article_search where article_id = any(${ids}::int[])),
        gone_rank as (delete from article_search_rank where article_id = any(${ids}::int[])),
        gone_text as (delete from article_search_text where article_id = any(${ids}::int[]))
      select d.article_id, (${document(sql.ref('d.body'))})::text as document from ${input}`.execute(db);
    const documents = new Map(read.rows.map((r) => [r.article_id, r.document]));
    const texts = ids.map((id) => documents.get(id)!);
    const filters = texts.map(phraseFilterHex);
    const head = headTermsOf({ headline: sql.ref('d.headline'), subtitle: sql.ref('d.subtitle'), tags: sql.ref('d.tags') });
    // One statement sees one snapshot: each match row's rank_length is counted from the ranking document
    // the rank CTE returns, not read back from its table.
    await sql`
      with d as materialized (select * from ${input}),
        rank as (
          insert into article_search_rank (article_id, rank_document)
          select d.article_id, ${document(sql.ref('d.rank_body'))} from d
          returning article_id, (select ${RANK_LENGTH} from unnest(rank_document) as u) as rank_length
        ),
        text as (insert into article_search_text (article_id, headline, subtitle, tags, body) select d.article_id, d.headline, d.subtitle, d.tags, d.body from d)
      insert into article_search (article_id, section_id, language, published_at, document, rank_length, head_terms, phrase_filter)
      select d.article_id, d.section_id, d.language, d.published_at, w.document::tsvector, rank.rank_length, ${head}, ('x' || w.filter)::varbit
      from d join rank using (article_id) join unnest(${ids}::int[], ${texts}::text[], ${filters}::text[]) as w(article_id, document, filter) using (article_id)`.execute(db);
  }
}

/** Articles whose terms one statement of countAllTerms counts. */
const TERM_COUNT_SLICE = 10_000;

/**
 * Counts every term of the index afresh into the (emptied) terms table, a slice of articles per
 * statement: ts_stat over the whole index reads every article's document, out of line, and at 100,000
 * articles that one statement outlasted the default statement timeout (30 s) on a busy machine.
 * Each slice adds its counts to the terms already counted.
 */
export async function countAllTerms(db: Db, slice = TERM_COUNT_SLICE): Promise<void> {
  const range = await sql<{ low: number | null; high: number | null }>`select min(article_id) as low, max(article_id) as high from article_search`.execute(db);
  const { low, high } = range.rows[0] ?? { low: null, high: null };
  if (low === null || high === null) return;
  for (let from = Number(low); from <= Number(high); from += slice) {
    // ts_stat takes the text of a query; the bounds are whole numbers written by this code.
    const documents = `select document from article_search where article_id >= ${from} and article_id < ${from + slice}`;
    await sql`insert into article_search_terms (term, docs)
      select word, ndoc from ts_stat(${documents}) order by word
      on conflict (term) do update set docs = article_search_terms.docs + excluded.docs`.execute(db);
  }
}

/** One result's folded parts with the positions of its indexed document that hold a query word. */
interface PositionRow {
  article_id: number;
  headline: string;
  subtitle: string;
  tags: string;
  body: string;
  /** How many positions the document holds, and the last of them. */
  positions: number | string | null;
  last: number | null;
  /** The matched positions, separated by spaces. */
  hits: string | null;
}

/**
 * For each article, its folded text and the positions in its indexed document (article_search) of
 * the words that match one of the query's words, as ts_headline with HighlightAll marks them: every
 * lexeme equal to an operand, or starting with a prefix operand, whatever operators join them. The
 * operands are read from the query's own text form (quoted lexemes, :* after a prefix).
 */
async function matchedPositions(db: Db, q: RawBuilder<string>, ids: readonly number[]): Promise<PositionRow[]> {
  const rows = await sql<PositionRow>`
    with operand as (
      select replace(m[1], '''''', '''') as lexeme, coalesce(m[2], '') = ':*' as prefix
      from regexp_matches((${q})::text, '''((?:[^'']|'''')*)''(:[*])?', 'g') as m
    ), ops as (
      select array_agg(lexeme) filter (where not prefix) as exact, array_agg(lexeme) filter (where prefix) as prefixes from operand
    )
    select t.article_id, t.headline, t.subtitle, t.tags, t.body, p.positions, p.last, p.hits
    from article_search_text t
    join article_search s on s.article_id = t.article_id
    cross join ops
    cross join lateral (
      select sum(array_length(u.positions, 1)) as positions, max(u.positions[array_length(u.positions, 1)]) as last,
        string_agg(array_to_string(u.positions, ' '), ' ') filter (where u.lexeme = any(ops.exact) or u.lexeme ^@ any(ops.prefixes)) as hits
      from unnest(s.document) as u
    ) as p
    where t.article_id = any(${[...ids]}::int[])`.execute(db);
  return rows.rows;
}

/** Positions past this are stored as this one (tsvector's limit): the document no longer says which word is where. */
const LAST_POSITION = 16383;

/** The parser indexes no word of this many bytes or more (PostgreSQL's MAXSTRLEN): it gives no position. */
const LONGEST_WORD_BYTES = 2047;

/**
 * The marked parts of one article from the matched positions of its document, or null when the
 * positions cannot be trusted to be its words one by one (ts_headline then marks it). The document is
 * built from the same folded parts (headline, tags, subtitle, body, in that order), each word a token
 * with a position of its own, so the n-th word is at position n. That holds when the document has
 * exactly one position per word, 1 to n: a word the parser splits into two tokens would need another
 * that gives none (only a word too long to index), and a position dropped (past 256 of one word) or
 * clipped (past 16,383) leaves fewer.
 */
function markFromPositions(row: PositionRow): MarkedFields | null {
  const split = (text: string) => (text === '' ? [] : text.split(' '));
  const parts = { headline: split(row.headline), tags: split(row.tags), subtitle: split(row.subtitle), body: split(row.body) };
  const subtitleFrom = parts.headline.length + parts.tags.length;
  const bodyFrom = subtitleFrom + parts.subtitle.length;
  const words = bodyFrom + parts.body.length;
  const long = Object.values(parts).some((list) => list.some((w) => w.length * 3 >= LONGEST_WORD_BYTES && Buffer.byteLength(w) >= LONGEST_WORD_BYTES));
  if (long || Number(row.positions ?? 0) !== words || (row.last ?? 0) !== words || words >= LAST_POSITION) return null;
  const hits = new Set((row.hits ?? '').split(' ').filter(Boolean).map(Number));
  const marked = (list: string[], from: number) => list.map((w, i) => (hits.has(from + i + 1) ? MARK_OPEN + w + MARK_CLOSE : w)).join(' ');
  return { headline: marked(parts.headline, 0), subtitle: marked(parts.subtitle, subtitleFrom), body: marked(parts.body, bodyFrom) };
}

/** Marks with ts_headline over the folded text, which parses and stems every word of each part again. */
async function markWithHeadline(db: Db, q: RawBuilder<string>, ids: readonly number[]): Promise<Map<number, MarkedFields>> {
  const out = new Map<number, MarkedFields>();
  const options = `HighlightAll=true, StartSel=${START}, StopSel=${STOP}`;
  const headline = (column: string) => sql<string>`ts_headline(${TS_CONFIG}::regconfig, ${sql.ref(column)}, ${q}, ${options})`;
  const rows = await tables(db)
    .selectFrom('article_search_text')
    .select(['article_id', headline('headline').as('headline'), headline('subtitle').as('subtitle'), headline('body').as('body')])
    .where('article_id', 'in', ids)
    .execute();
  const marks = (text: string) => text.replaceAll(START, MARK_OPEN).replaceAll(STOP, MARK_CLOSE);
  for (const r of rows) out.set(r.article_id, { headline: marks(r.headline), subtitle: marks(r.subtitle), body: marks(r.body) });
  return out;
}

export function createPostgresSearchIndex(): SearchIndex {
  // Document frequencies remembered by this index (one store's), see similar-terms.ts.
  const frequencies = frequencyCache();

  async function remove(db: Db, id: number) {
    await countTerms(db, id, null);
    await deleteEntry(db, id);
  }

  async function insert(db: Db, doc: IndexDocument, parts: ReturnType<typeof foldedParts>, document: string) {
    const t = tables(db);
    await t.insertInto('article_search_rank').values({ article_id: doc.id, rank_document: rankDocumentOf(parts) }).execute();
    await t
      .insertInto('article_search')
      .values({
        article_id: doc.id,
        section_id: doc.sectionId,
        language: doc.language,
        published_at: doc.publishedAt,
        document: sql<string>`${document}::tsvector`,
        rank_length: rankLengthOf(doc.id),
        head_terms: headTermsOf(parts),
        phrase_filter: bitsFromHex(phraseFilterHex(document)),
      })
      .execute();
    await t.insertInto('article_search_text').values({ article_id: doc.id, ...parts }).execute();
  }

  return {
    async put(db, doc) {
      const parts = foldedParts(doc);
      // The document is built once, here, and written back as it is (with its phrase filter).
      const row = await sql<{ document: string }>`select (${documentOf(parts)})::text as document`.execute(db);
      const document = row.rows[0]!.document;
      await countTerms(db, doc.id, sql`${document}::tsvector`);
      await deleteEntry(db, doc.id);
      await insert(db, doc, parts, document);
    },

    remove,

    async putMany(db, docs) {
      // A bulk load counts terms once at the end (compact() without a budget), not per article.
      await insertMany(db, docs);
    },

    async clear(db) {
      await sql`truncate article_search, article_search_rank, article_search_text, article_search_terms`.execute(db);
    },

    async search(db, clauses, filters: SearchFilters, limit, offset, countLimit): Promise<RankedIds> {
      if (!clauses.length) return { ids: [], total: 0, totalCapped: false };
      const q = query(clauses);
      // As on SQLite: only the newest matches are ranked, and the same rows give the count.
      const window = Math.max(RANK_WINDOW, countLimit + 1);
      const { ids, total: n } = await rankedMatches(db, q, filters, window, offset + limit);
      return { ids: ids.slice(offset, offset + limit), total: Math.min(n, countLimit), totalCapped: n > countLimit };
    },

    async mark(db, clauses, ids) {
      const out = new Map<number, MarkedFields>();
      if (!clauses.length || !ids.length) return out;
      const q = query(clauses);
      // Marked from the positions the indexed document already holds; ts_headline, which parses and
      // stems every word of the results' text again (10-20 ms for a page of results), only for an
      // article whose positions do not line up with its words.
      const left: number[] = [];
      for (const row of await matchedPositions(db, q, ids)) {
        const marked = markFromPositions(row);
        if (marked) out.set(row.article_id, marked);
        else left.push(row.article_id);
      }
      if (left.length) for (const [id, marked] of await markWithHeadline(db, q, left)) out.set(id, marked);
      return out;
    },

    async similar(db, id, limit, window = SIMILAR_WINDOW): Promise<SimilarArticle[]> {
      return (await similarMany(frequencies, db, [id], limit, window)).get(id) ?? [];
    },

    similarMany: (db, ids, limit, window = SIMILAR_WINDOW) => similarMany(frequencies, db, ids, limit, window),

    async prefixReach(db, prefix, wordLimit) {
      // A prefix is stemmed before it is expanded, as on SQLite: the reach is counted from the stem.
      const stemRow = await sql<{ stem: string | null }>`select (tsvector_to_array(to_tsvector(${TS_CONFIG}::regconfig, ${prefix})))[1] as stem`.execute(db);
      const stem = stemRow.rows[0]?.stem ?? prefix;
      const last = stem.codePointAt(stem.length - 1) ?? 0;
      const upper = stem.slice(0, stem.length - String.fromCodePoint(last).length) + String.fromCodePoint(last + 1);
      const row = await db
        .selectFrom(tables(db).selectFrom('article_search_terms').select('docs').where('term', '>=', stem).where('term', '<', upper).where('docs', '>', 0).limit(wordLimit).as('w'))
        .select((eb) => [eb.fn.countAll<number>().as('words'), eb.fn.sum<number | null>('w.docs').as('postings')])
        .executeTakeFirstOrThrow();
      return { words: Number(row.words), postings: Number(row.postings ?? 0) };
    },

    // GIN's pending list is merged as it fills, which keeps the searches of a running site fast.
    pauseTidying: async () => async () => {},

    async compact(db, budget) {
      // GIN adds new entries to a pending list that every search reads through from end to end until
      // it is merged into the index proper: by autovacuum, when it runs, or when the list outgrows
      // gin_pending_list_limit (4 MB: 55 ms to search one word at 20,000 articles). Merging it here,
      // from upkeep after changes and after bulk loads, keeps searches off autovacuum's schedule.
      const merged = await sql<{ pages: number }>`select gin_clean_pending_list('article_search_document_idx'::regclass) as pages`.execute(db);
      if (budget !== undefined) return Number(merged.rows[0]?.pages ?? 0) > 0;
      // After a bulk load: count terms afresh and refresh the planner's statistics.
      await sql`truncate article_search_terms`.execute(db);
      await countAllTerms(db);
      await sql`analyze article_search`.execute(db);
      await sql`analyze article_search_rank`.execute(db);
      return true;
    },
  };
}
