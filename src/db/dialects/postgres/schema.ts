// PostgreSQL's side of the schema: identity columns, the tsvector search tables, no change log
// (changes reach other connections through NOTIFY, see changes.ts).
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from '../../store.ts';
import { FILTER_MAX_BYTES, FILTER_STEP_BYTES, FNV_OFFSET, FNV_PRIME, MIX_1, MIX_2, PAIR_HASHES, phraseFilterHex, SECOND_SEED } from './phrase-filter.ts';

/** The text search configuration the index and every query use (see createSearchSchema). */
export const TS_CONFIG = 'gazette';

export const postgresSchema: SchemaDialect = {
  idColumn: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
  bytesType: 'bytea',

  async createSearchSchema(db: Kysely<unknown>) {
    // English stemming (Snowball) without a stop-word list: SQLite's porter tokenizer keeps every word,
    // and "the who" must find The Who on both engines. Arabic and Persian are folded before text reaches
    // the index (src/search/normalise.ts), as on SQLite; the stemmer leaves their words as they are.
    await sql`create text search dictionary gazette_stem (template = snowball, language = english)`.execute(db);
    await sql`create text search configuration gazette (copy = simple)`.execute(db);
    await sql`alter text search configuration gazette alter mapping for asciiword, asciihword, hword_asciipart, word, hword, hword_part with gazette_stem`.execute(db);

    // One row per published article: what filters read, and the weighted document (A headline,
    // B tags, C subtitle, D body). The folded text is kept apart, read only to highlight results.
    await db.schema
      .createTable('article_search')
      .addColumn('article_id', 'integer', (c) => c.primaryKey())
      .addColumn('section_id', 'integer', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addColumn('document', sql`tsvector`, (c) => c.notNull())
      .execute();
    await sql`create index article_search_document_idx on article_search using gin (document)`.execute(db);
    await db.schema
      .createTable('article_search_text')
      .addColumn('article_id', 'integer', (c) => c.primaryKey())
      .addColumn('headline', 'text', (c) => c.notNull())
      .addColumn('subtitle', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .execute();
    // How many indexed articles hold each term: the prefix guard and Check Also's term weights read it.
    // Byte order ("C") makes a prefix a range of the primary key.
    await sql`create table article_search_terms (term text collate "C" primary key, docs integer not null)`.execute(db);
  },

  async dropSearchSchema(db: Kysely<unknown>) {
    await sql`drop table if exists article_search_terms`.execute(db);
    await sql`drop table if exists article_search_rank`.execute(db);
    await sql`drop table if exists article_search_text`.execute(db);
    await sql`drop table if exists article_search`.execute(db);
    await sql`drop text search configuration if exists gazette`.execute(db);
    await sql`drop text search dictionary if exists gazette_stem`.execute(db);
  },

  async moveIdentityPast(db: Kysely<unknown>, table: string) {
    // An identity column's sequence does not see ids written explicitly.
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), greatest(coalesce(max(id), 0), 1), max(id) is not null) from ${sql.table(table)}`.execute(db);
  },

  async replaceColumnCheck(db: Kysely<unknown>, { table, column, to }) {
    // PostgreSQL named the column's check <table>_<column>_check when it was created.
    const name = `${table}_${column}_check`;
    await sql`alter table ${sql.table(table)} drop constraint if exists ${sql.id(name)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.id(name)} check (${sql.raw(to)})`.execute(db);
  },

  async beginMigration(db: Kysely<unknown>) {
    // Migrations run in a transaction: the setting ends with it.
    await sql`set local statement_timeout = 0`.execute(db);
  },

  async addRankingDocument(db: Kysely<unknown>) {
    // Filled from the folded text already indexed, in the same shape put() writes (see search-index.ts).
    await sql`alter table article_search add column rank_document tsvector`.execute(db);
    const part = (column: string, weight: string) => sql`setweight(to_tsvector('gazette', ${sql.raw(column)}), ${weight}::"char")`;
    await sql`
      update article_search s
      set rank_document = ${part('t.headline', 'A')} || ${part('t.tags', 'B')} || ${part('t.subtitle', 'C')} || ${part('left(t.body, 1500)', 'D')}
      from article_search_text t
      where t.article_id = s.article_id`.execute(db);
    await sql`alter table article_search alter column rank_document set not null`.execute(db);
  },

  async separateRankingDocument(db: Kysely<unknown>) {
    // Storage "main": kept in the row (compressed if that helps) unless the row would not fit a page,
    // where the default would move a value of this size out of line and every read would fetch it back.
    await sql`create table article_search_rank (article_id integer primary key, rank_document tsvector not null)`.execute(db);
    await sql`alter table article_search_rank alter column rank_document set storage main`.execute(db);
    await sql`insert into article_search_rank (article_id, rank_document) select article_id, rank_document from article_search order by article_id`.execute(db);
    await sql`alter table article_search drop column rank_document`.execute(db);
  },

  async addRankingBounds(db: Kysely<unknown>) {
    // Filled as put() writes them (see search-index.ts); a row left without them is ranked as before.
    // Every row is written again, and its matching document goes to the GIN index's pending list anew:
    // merged at the end, so that the first searches do not read through it.
    await sql`alter table article_search add column rank_length integer, add column head_terms tsvector`.execute(db);
    await sql`
      update article_search s
      set rank_length = (select coalesce(sum(coalesce(array_length(u.positions, 1), 1)), 0) from article_search_rank r, unnest(r.rank_document) as u where r.article_id = s.article_id),
        head_terms = (select strip(to_tsvector('gazette', t.headline) || to_tsvector('gazette', t.tags) || to_tsvector('gazette', t.subtitle)) from article_search_text t where t.article_id = s.article_id)`.execute(db);
    await sql`select gin_clean_pending_list('article_search_document_idx'::regclass)`.execute(db);
  },

  async removeRankingBounds(db: Kysely<unknown>) {
    await sql`alter table article_search drop column if exists rank_length, drop column if exists head_terms`.execute(db);
  },

  async addSearchFunctions(db: Kysely<unknown>) {
    // See search-index.ts (rankedMatches) and addRankedSearch for what each does and why.
    await createSearchWindow(db, false);
    await sql`
      create or replace function gazette_search_scores(weights real[], q tsquery, ids integer[])
      returns table (id integer, score real)
      language sql stable ${searchSettings('off')}
      as $fn$
        select r.article_id, ts_rank(weights, r.rank_document, q, 1) from article_search_rank r where r.article_id = any(ids)
      $fn$`.execute(db);
  },

  async addRankedSearch(db: Kysely<unknown>) {
    // A search's window of matches ranked as far as its page needs, in the database (decision 0065):
    // every match whose score is not bounded is scored, then the bounded ones (a one-word query found
    // only in an article's body: its ts_rank is at most 0.1 over log2(1 + the ranking document's
    // length), with a margin for rounding), best bound first, a batch at a time, only while their bound
    // could still reach the needed-th best score found so far. A match never scored has a bound, and so
    // a score, below that score: the first `needed` rows are those ranking every match would give, in
    // the same order (best score first; on a tie the newer article). Each batch scores twice as many as
    // the one before, so a word found mostly in bodies costs a few calls of gazette_search_scores, not one
    // per hundred matches. The rows carry the window's match count; with none to return, one row
    // without an id carries it.
    await sql`
      create or replace function gazette_search_ranked(
        weights real[], q tsquery, filter_section integer, filter_language text, filter_from text, filter_before text,
        size integer, newest_span integer, needed integer)
      returns table (id integer, score real, total integer)
      language plpgsql stable ${searchSettings('off')}
      as $fn$
      #variable_conflict use_column
      declare
        n integer;
        unbounded integer[];
        open_ids integer[];
        open_bounds float8[];
        open_count integer;
        scored_ids integer[] := '{}';
        scored integer;
        scores real[] := '{}';
        bar real;
        next_open integer := 1;
        batch integer := ${sql.lit(RANKED_FIRST_BATCH)};
        take integer;
      begin
        with w as (
          select w.id, w.bounded,
            case when coalesce(w.rank_length, 0) > 0 then ${sql.lit(BODY_ONLY_BOUND)}::float8 / (ln(w.rank_length + 1) / ln(2)) else 0 end as bound
          from gazette_search_window(q, filter_section, filter_language, filter_from, filter_before, size, newest_span) as w
        )
        select count(*)::integer,
          array_agg(w.id) filter (where not w.bounded),
          array_agg(w.id order by w.bound desc, w.id desc) filter (where w.bounded),
          array_agg(w.bound order by w.bound desc, w.id desc) filter (where w.bounded)
        into n, unbounded, open_ids, open_bounds
        from w;
        needed := least(needed, n);
        if unbounded is not null then
          select coalesce(array_agg(s.id), '{}'), coalesce(array_agg(s.score), '{}') into scored_ids, scores
          from gazette_search_scores(weights, q, unbounded) as s;
        end if;
        open_count := coalesce(array_length(open_ids, 1), 0);
        while next_open <= open_count and needed > 0 loop
          scored := coalesce(array_length(scores, 1), 0);
          if scored >= needed then
            select x into bar from unnest(scores) as x order by x desc offset needed - 1 limit 1;
            exit when open_bounds[next_open] < bar;
          end if;
          take := greatest(batch, needed - scored);
          select scored_ids || coalesce(array_agg(s.id), '{}'), scores || coalesce(array_agg(s.score), '{}') into scored_ids, scores
          from gazette_search_scores(weights, q, open_ids[next_open : next_open + take - 1]) as s;
          next_open := next_open + take;
          batch := batch * 2;
        end loop;
        return query
          select r.id, r.score, n from unnest(scored_ids, scores) as r(id, score)
          order by r.score desc, r.id desc
          limit needed;
        if not found then
          return query select null::integer, null::real, n;
        end if;
      end
      $fn$`.execute(db);
  },

  async removeRankedSearch(db: Kysely<unknown>) {
    await sql`drop function if exists gazette_search_ranked(real[], tsquery, integer, text, text, text, integer, integer, integer)`.execute(db);
  },

  async addPhraseFilter(db: Kysely<unknown>) {
    // Filled as put() writes it (see phrase-filter.ts); a row left without it is checked as before.
    await sql`alter table article_search add column phrase_filter bit varying`.execute(db);
    await createHashFunctions(db);
    await fillPhraseFilters(db);
    await createSearchWindow(db, true);
  },

  async removePhraseFilter(db: Kysely<unknown>) {
    await createSearchWindow(db, false);
    await sql`alter table article_search drop column if exists phrase_filter`.execute(db);
    await sql`drop function if exists gazette_lexeme_hash(text)`.execute(db);
    await sql`drop function if exists gazette_hash_mix(bigint)`.execute(db);
  },

  async rewriteSearchWindow(db: Kysely<unknown>) {
    await createSearchWindow(db, true);
  },

  async removeSearchFunctions(db: Kysely<unknown>) {
    await sql`drop function if exists gazette_search_scores(real[], tsquery, integer[])`.execute(db);
    await sql`drop function if exists gazette_search_window(tsquery, integer, text, text, text, integer, integer)`.execute(db);
  },

  async addCommentCountTriggers(db: Kysely<unknown>) {
    // The same rules as SQLite's triggers (dialects/sqlite/schema.ts), once per statement instead of once
    // per row: each statement's rows that leave or enter the counts are summed by thread, and each
    // article's row is written once. Per row, a bulk write (an import's 500-row inserts, a bulk move)
    // updated an article's row as many times in one transaction, each update one more version that the
    // next one walks past: 16,000 replies on 4 articles cost 2.4 s more, against 0.05 s here.
    for (const t of COUNT_TRIGGERS) {
      await sql.raw(`create function ${t.fn}() returns trigger language plpgsql as $$ begin ${countStatements(t.delta, t.removes)} return null; end $$`).execute(db);
      await sql.raw(`create trigger ${t.name} after ${t.event} on comments referencing ${t.tables} for each statement execute function ${t.fn}()`).execute(db);
    }
  },

  async removeCommentCountTriggers(db: Kysely<unknown>) {
    for (const t of COUNT_TRIGGERS) {
      await sql.raw(`drop trigger if exists ${t.name} on comments`).execute(db);
      await sql.raw(`drop function if exists ${t.fn}()`).execute(db);
    }
  },

  async createChangeLog() {},
  async dropChangeLog() {},
};

/** A comment counts (migration 029) while it is approved and has its thread (root_id). */
const COUNTED = (row: string) => `${row}.status = 'approved' and ${row}.root_id is not null`;
const CHANGED = `(o.status is distinct from a.status or o.root_id is distinct from a.root_id or o.article_id is distinct from a.article_id)`;

/**
 * The statement triggers that keep comment_counts and comment_live_threads (migration 029). A trigger
 * with transition tables is for one event and, for an update, names no columns: the update's finds
 * the rows whose status, thread or article changed by joining the old and new rows on their id.
 */
const COUNT_TRIGGERS = [
  {
    name: 'comment_counts_insert',
    fn: 'gazette_comment_counts_insert',
    event: 'insert',
    tables: 'new table as added_rows',
    delta: `select a.article_id, a.root_id, count(*) as n from added_rows a where ${COUNTED('a')} group by 1, 2`,
    removes: false,
  },
  {
    name: 'comment_counts_delete',
    fn: 'gazette_comment_counts_delete',
    event: 'delete',
    tables: 'old table as removed_rows',
    delta: `select o.article_id, o.root_id, -count(*) as n from removed_rows o where ${COUNTED('o')} group by 1, 2`,
    removes: true,
  },
  {
    name: 'comment_counts_update',
    fn: 'gazette_comment_counts_update',
    event: 'update',
    tables: 'old table as removed_rows new table as added_rows',
    delta: `select article_id, root_id, sum(n) as n from (
        select o.article_id, o.root_id, -1 as n from removed_rows o join added_rows a on a.id = o.id where ${COUNTED('o')} and ${CHANGED}
        union all
        select a.article_id, a.root_id, 1 as n from removed_rows o join added_rows a on a.id = o.id where ${COUNTED('a')} and ${CHANGED}
      ) moved group by 1, 2 having sum(n) <> 0`,
    removes: true,
  },
] as const;

/**
 * A count trigger's statements: each thread's approved comments move by the statement's delta (added
 * relative to the row as it stands, so that it holds under concurrent writers); a thread that went from
 * none to some, or from some to none, moves its article's thread count; threads left with none are deleted.
 */
function countStatements(delta: string, removes: boolean): string {
  const moved = `
    with d as (${delta}),
    up as (
      insert into comment_live_threads as t (article_id, root_id, approved) select article_id, root_id, n from d
        on conflict (article_id, root_id) do update set approved = t.approved + excluded.approved
        returning t.article_id, t.root_id, t.approved
    ),
    moves as (
      select up.article_id, d.n, case when up.approved > 0 and up.approved = d.n then 1 when up.approved = 0 then -1 else 0 end as threads
      from up join d on d.article_id = up.article_id and d.root_id = up.root_id
    )
    insert into comment_counts as c (article_id, comments, threads)
      select article_id, sum(n), sum(threads) from moves group by article_id
      on conflict (article_id) do update set comments = c.comments + excluded.comments, threads = c.threads + excluded.threads;`;
  const emptied = `
    delete from comment_live_threads t using (select distinct o.article_id, o.root_id from removed_rows o where ${COUNTED('o')}) r
      where t.article_id = r.article_id and t.root_id = r.root_id and t.approved = 0;`;
  return moved + (removes ? emptied : '');
}

/**
 * ts_rank (normalisation 1) of a match that holds a one-word query only in its body is at most this
 * over log2(1 + length): the word's occurrences all weigh D (0.1), and ts_rank sums w/i² over the
 * i-th occurrence divided by pi²/6, under 0.1 however many there are. The margin covers float rounding.
 */
const BODY_ONLY_BOUND = 0.1 * 1.001;

/** Bounded matches gazette_search_ranked scores first, once they are needed; each further batch is twice as large. */
const RANKED_FIRST_BATCH = 100;

/**
 * The SET clauses of the search functions: the planner settings the search's statements need,
 * restored when the function returns: no sequential scans, no JIT, no parallel workers, each statement
 * planned with its values. Index scans are turned off inside the window's function only once it has
 * read the id range from the primary key (the SET clause restores the caller's value on return).
 */
function searchSettings(indexScans: 'on' | 'off') {
  return sql.raw(`
      set enable_seqscan = off
      set enable_indexscan = ${indexScans}
      set jit = off
      set max_parallel_workers_per_gather = 0
      set plan_cache_mode = force_custom_plan`);
}

/** Bits of filter per length step: a filter's length is a multiple of this. */
const STEP_BITS = FILTER_STEP_BYTES * 8;

/** The window's filters, on its variables or (in a query run with EXECUTE) on its numbered parameters. */
function windowFilters(v: { section: string; language: string; from: string; before: string }): string {
  return `(${v.section} is null or s.section_id = ${v.section}) and (${v.language} is null or s.language = ${v.language})
          and (${v.from} is null or s.published_at >= ${v.from}) and (${v.before} is null or s.published_at < ${v.before})`;
}

/** What the window returns of each match `m`: its id, its rank length, and whether its score is bounded. */
function windowColumns(oneWord: string, q: string): string {
  return `m.article_id, m.rank_length, ${oneWord} and m.rank_length is not null and m.head_terms is not null and not (m.head_terms @@ ${q})`;
}

/** One search of the window's function over a range of ids: its newest `limit` matches. */
function windowMatches(range: string, limit: string): string {
  const filters = windowFilters({ section: 'filter_section', language: 'filter_language', from: 'filter_from', before: 'filter_before' });
  return `
      select ${windowColumns('one_word', 'q')}
      from (
        select s.article_id, s.rank_length, s.head_terms from article_search s
        where s.document @@ q ${range} and ${filters}
        order by s.article_id + 0 desc limit ${limit}
      ) as m`;
}

/**
 * The phrase filter's search (migration 027; its test rewritten by migration 031), run with EXECUTE. The
 * query holds pairs of adjacent words, so it is first matched on all of its words ($1, `words`, which
 * the GIN index answers without reading any document), the candidates' filters are tested for the
 * pairs' bits (`filter_test`, written into the text for this query), and only the candidates left are
 * checked against the phrase ($2, `q`) in their whole document. The subquery's OFFSET 0 keeps the
 * planner from merging the phrase check into the index scan, where it would read every candidate's
 * document before the filter is tested. Parameters: words, q, section, language, from, before, size,
 * one_word.
 */
const PHRASE_WINDOW = `format($q$
      select ${windowColumns('$8', '$2')}
      from (
        select s.article_id, s.rank_length, s.head_terms from (
          select s.article_id, s.rank_length, s.head_terms, s.document from article_search s
          where s.document @@ $1 and ${windowFilters({ section: '$3', language: '$4', from: '$5', before: '$6' })}
            and (s.phrase_filter is null or %s)
          offset 0
        ) as s
        where s.document @@ $2
        order by s.article_id + 0 desc limit $7
      ) as m$q$, filter_test)`;

/**
 * The query's pairs of adjacent lexemes and its operands ANDed, for the phrase filter. Only for a query
 * without alternatives or negation: there, two lexemes written `'a' <-> 'b'` must be at neighbouring
 * positions of any matching document. The query's text is cut into tokens (quoted lexemes with what
 * follows them, operators, parentheses); a pair is a lexeme, `<->` and a lexeme, neither with a
 * suffix (a prefix or weights). A lexeme written with a backslash is left out rather than unescaped.
 * Each pair is hashed as phrase-filter.ts hashes a document's pairs.
 *
 * The test of a candidate's filter is then written out as SQL for this query (migration 031): for each
 * length a filter may have, get_bit at each of the pairs' bit positions for that length. Migration 027
 * ANDed the filter with a mask of its length instead, which copied the mask out of an array and built
 * a new bit string for every candidate: about three times the cost. A filter of a length not foreseen
 * lets its article through to the phrase check.
 */
const PAIR_FILTER_TEST = `
      if position('|' in q::text) = 0 and position('!' in q::text) = 0 then
        with token as (
          select t.n, replace(t.m[1], '''''', '''') as lexeme, t.m[2] as suffix, t.m[3] as op
          from regexp_matches(q::text, '''((?:[^'']|'''')*)''(:[*A-D]+)?|(<->|<[0-9]+>|[&()])', 'g') with ordinality as t(m, n)
        ), pair as (
          select gazette_lexeme_hash(a.lexeme) as a1, gazette_lexeme_hash(b.lexeme) as b1
          from token a join token op on op.n = a.n + 1 and op.op = '<->' join token b on b.n = a.n + 2
          where a.lexeme is not null and a.suffix is null and b.lexeme is not null and b.suffix is null
            and strpos(a.lexeme, chr(92)) = 0 and strpos(b.lexeme, chr(92)) = 0
        )
        select array_agg(a1 # gazette_hash_mix(b1 # ${SECOND_SEED})), array_agg((gazette_hash_mix(a1 # ${SECOND_SEED}) # b1) | 1)
        into pair_g1, pair_g2
        from pair;
        if pair_g1 is not null then
          select string_agg('''' || m[1] || '''' || coalesce(m[2], ''), ' & ')::tsquery into words
          from regexp_matches(q::text, '''((?:[^'']|'''')*)''(:[*A-D]+)?', 'g') as m;
          filter_test := 'case length(s.phrase_filter)';
          for step in 1 .. ${FILTER_MAX_BYTES / FILTER_STEP_BYTES} loop
            bits := null;
            for pair_index in 1 .. array_length(pair_g1, 1) loop
              for hash_index in 0 .. ${PAIR_HASHES - 1} loop
                bits := concat_ws(' & ', bits, format('get_bit(s.phrase_filter, %s)', (pair_g1[pair_index] + hash_index * pair_g2[pair_index]) % (step * ${STEP_BITS})));
              end loop;
            end loop;
            filter_test := format('%s when %s then %s', filter_test, step * ${STEP_BITS}, bits);
          end loop;
          filter_test := filter_test || ' else 1 end = 1';
        end if;
      end if;`;

/** What PAIR_FILTER_TEST computes: the pairs' hashes, the query's operands ANDed, the filter's test as SQL. */
const PAIR_VARIABLES = `
      pair_g1 bigint[];
      pair_g2 bigint[];
      words tsquery;
      filter_test text;
      bits text;`;

/**
 * gazette_search_window (see rankedMatches in search-index.ts). With the phrase filter (migration 027)
 * a query holding adjacent pairs is searched through it (see PHRASE_WINDOW, PAIR_FILTER_TEST).
 */
export async function createSearchWindow(db: Kysely<unknown>, phraseFilter: boolean): Promise<void> {
  // A query the filter applies to is searched over every article at once: the rarest word's count
  // bounds the matches of its words, not of its phrase, which are far fewer ("central bank" at 100,000
  // articles: 12,596 articles hold both words, 440 the phrase, 84 of them among the newest 20,000 ids),
  // so the newest ids would rarely hold the window and the older ones would be searched as well.
  const phraseFirst = phraseFilter
    ? `if filter_test is not null then
        return query execute ${PHRASE_WINDOW} using words, q, filter_section, filter_language, filter_from, filter_before, size, one_word;
        return;
      end if;`
    : '';
  await sql`
    create or replace function gazette_search_window(
      q tsquery, filter_section integer, filter_language text, filter_from text, filter_before text, size integer, newest_span integer)
    returns table (id integer, rank_length integer, bounded boolean)
    language plpgsql stable ${searchSettings('on')}
    as $fn$
    #variable_conflict use_column
    declare
      low integer;
      high integer;
      span bigint;
      most integer;
      split integer;
      found integer;
      one_word boolean := numnode(q) = 1 and q::text not like '%:*';${sql.raw(phraseFilter ? PAIR_VARIABLES : '')}
    begin
      select min(s.article_id), max(s.article_id) into low, high from article_search s;
      if low is null then
        return;
      end if;
      -- At most as many matches as the rarest word the query needs (a word of no article: none), when
      -- its operands are all ANDed; a prefix does not say, and neither do alternatives.
      if position('|' in q::text) = 0 then
        select min(coalesce(t.docs, 0)) into most
        from regexp_matches(q::text, '''((?:[^'']|'''')*)''(:[*])?', 'g') as m
        left join article_search_terms t on t.term = replace(m[1], '''''', '''')
        where m[2] is null;
      end if;${sql.raw(phraseFilter ? PAIR_FILTER_TEST : '')}
      perform set_config('enable_indexscan', 'off', true);
      ${sql.raw(phraseFirst)}
      span := high - low + 1;
      -- The newest ids are searched first only when that count is known, says they may hold the
      -- window, and is at most newest_span: for a query the planner expects in more articles than the
      -- range holds, it tests every article of the range against the query instead of ANDing the
      -- range with the GIN index's matches, reading 20,000 documents out of line (decision 0054).
      if span < 2 * newest_span or most is null or most > newest_span or most::float8 * newest_span / span < size then
        return query ${sql.raw(windowMatches('', 'size'))};
        return;
      end if;
      split := high - newest_span + 1;
      return query ${sql.raw(windowMatches('and s.article_id >= split', 'size'))};
      get diagnostics found = row_count;
      if found < size then
        return query ${sql.raw(windowMatches('and s.article_id < split', 'size - found'))};
      end if;
    end
    $fn$`.execute(db);
}

/** Articles whose filters one statement of the migration writes. */
const FILL_BATCH = 500;

/** Computes the phrase filter of every indexed article, a batch of documents at a time (migration 027). */
async function fillPhraseFilters(db: Kysely<unknown>): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await sql<{ article_id: number; document: string }>`
      select article_id, document::text as document from article_search where article_id > ${after} order by article_id limit ${FILL_BATCH}`.execute(db);
    if (!rows.rows.length) break;
    const ids = rows.rows.map((r) => r.article_id);
    const filters = rows.rows.map((r) => phraseFilterHex(r.document));
    await sql`
      update article_search s set phrase_filter = ('x' || d.filter)::varbit
      from unnest(${ids}::int[], ${filters}::text[]) as d(article_id, filter)
      where s.article_id = d.article_id`.execute(db);
    after = ids[ids.length - 1]!;
  }
  // Every row was written again, its document added to the GIN index's pending list anew: merged now,
  // so that the first searches do not read through it.
  await sql`select gin_clean_pending_list('article_search_document_idx'::regclass)`.execute(db);
}

/** (a × b) mod 2^32 for a, b below 2^32, in bigint arithmetic without overflow: a's halves apart. */
const times32 = (a: string, b: number) => `((((((${a}) >> 16) * ${b}) & 65535) << 16) + ((${a}) & 65535) * ${b}) & 4294967295`;

/**
 * lexemeHash and mix of phrase-filter.ts in SQL (migration 027): FNV-1a over the lexeme's UTF-8 bytes,
 * then MurmurHash3's finaliser, in bigint arithmetic kept below 2^32.
 */
async function createHashFunctions(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function gazette_hash_mix(value bigint) returns bigint
    language plpgsql immutable parallel safe strict
    as $fn$
    declare
      h bigint := value & 4294967295;
    begin
      h := ${sql.raw(times32('h # (h >> 16)', MIX_1))};
      h := ${sql.raw(times32('h # (h >> 13)', MIX_2))};
      return h # (h >> 16);
    end
    $fn$`.execute(db);
  await sql`
    create or replace function gazette_lexeme_hash(lexeme text) returns bigint
    language plpgsql immutable parallel safe strict
    as $fn$
    declare
      bytes bytea := convert_to(lexeme, 'UTF8');
      h bigint := ${sql.raw(String(FNV_OFFSET))};
    begin
      for i in 0 .. length(bytes) - 1 loop
        h := ((h # get_byte(bytes, i)) * ${sql.raw(String(FNV_PRIME))}) & 4294967295;
      end loop;
      return gazette_hash_mix(h);
    end
    $fn$`.execute(db);
}
