// PostgreSQL's side of the schema: identity columns, the tsvector search tables, no change log
// (changes reach other connections through NOTIFY, see changes.ts).
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from '../../store.ts';

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
    // See search-index.ts (newestMatches, boundedRanking) for what each does and why. Their SET clauses
    // hold the planner settings the search's statements need, restored when the function returns: no
    // sequential scans, no JIT, no parallel workers, each statement planned with its values. Index
    // scans are turned off inside the window's function only once it has read the id range from the
    // primary key (the SET clause restores the caller's value on return).
    const settings = (indexScans: 'on' | 'off') => sql.raw(`
      set enable_seqscan = off
      set enable_indexscan = ${indexScans}
      set jit = off
      set max_parallel_workers_per_gather = 0
      set plan_cache_mode = force_custom_plan`);
    const matches = (range: string, limit: string) => `
      select m.article_id, m.rank_length, one_word and m.rank_length is not null and m.head_terms is not null and not (m.head_terms @@ q)
      from (
        select s.article_id, s.rank_length, s.head_terms from article_search s
        where s.document @@ q ${range}
          and (filter_section is null or s.section_id = filter_section) and (filter_language is null or s.language = filter_language)
          and (filter_from is null or s.published_at >= filter_from) and (filter_before is null or s.published_at < filter_before)
        order by s.article_id + 0 desc limit ${limit}
      ) as m`;
    await sql`
      create or replace function gazette_search_window(
        q tsquery, filter_section integer, filter_language text, filter_from text, filter_before text, size integer, newest_span integer)
      returns table (id integer, rank_length integer, bounded boolean)
      language plpgsql stable ${settings('on')}
      as $fn$
      #variable_conflict use_column
      declare
        low integer;
        high integer;
        span bigint;
        most integer;
        split integer;
        found integer;
        one_word boolean := numnode(q) = 1 and q::text not like '%:*';
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
        end if;
        perform set_config('enable_indexscan', 'off', true);
        span := high - low + 1;
        -- The newest ids are searched first only when that count is known, says they may hold the
        -- window, and is at most newest_span: for a query the planner expects in more articles than the
        -- range holds, it tests every article of the range against the query instead of ANDing the
        -- range with the GIN index's matches, reading 20,000 documents out of line (decision 0054).
        if span < 2 * newest_span or most is null or most > newest_span or most::float8 * newest_span / span < size then
          return query ${sql.raw(matches('', 'size'))};
          return;
        end if;
        split := high - newest_span + 1;
        return query ${sql.raw(matches('and s.article_id >= split', 'size'))};
        get diagnostics found = row_count;
        if found < size then
          return query ${sql.raw(matches('and s.article_id < split', 'size - found'))};
        end if;
      end
      $fn$`.execute(db);
    await sql`
      create or replace function gazette_search_scores(weights real[], q tsquery, ids integer[])
      returns table (id integer, score real)
      language sql stable ${settings('off')}
      as $fn$
        select r.article_id, ts_rank(weights, r.rank_document, q, 1) from article_search_rank r where r.article_id = any(ids)
      $fn$`.execute(db);
  },

  async removeSearchFunctions(db: Kysely<unknown>) {
    await sql`drop function if exists gazette_search_scores(real[], tsquery, integer[])`.execute(db);
    await sql`drop function if exists gazette_search_window(tsquery, integer, text, text, text, integer, integer)`.execute(db);
  },

  async createChangeLog() {},
  async dropChangeLog() {},
};
