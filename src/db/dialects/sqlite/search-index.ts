// The SQLite implementation of SearchIndex: an FTS5 table (porter stemming over unicode61) whose rowid
// is the article id, holding the normalised text of published articles only. Queries go through Kysely;
// the FTS5 functions (MATCH, bm25, highlight) are written with Kysely's sql tag and bound parameters.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema.ts';
import type { Db } from '../../store.ts';
import { indexText } from '../../../search/normalise.ts';
import { isStopword } from '../../../search/stopwords.ts';
import { alternatives, type Clause } from '../../../search/query.ts';
import type { IndexDocument, MarkedFields, RankedIds, SearchFilters, SearchIndex, SimilarArticle } from '../../../search/search-index.ts';
import { MARK_CLOSE, MARK_OPEN } from '../../../search/snippet.ts';
import { chooseTerms, DF_LOOKUPS, frequencyCache, MIN_SIMILARITY, SIMILAR_WINDOW, windowBounds } from '../../../search/similar-terms.ts';
import { bulkRanker, type BulkRanker } from './bulk-rank.ts';

type FtsColumns = {
  rowid: number;
  headline: string;
  subtitle: string;
  tags: string;
  body: string;
};

type FtsTables = {
  article_search: FtsColumns;
  article_search_facets: { article_id: number; section_id: number; language: string; published_at: string };
  /** fts5vocab 'row': one row per indexed term with the number of articles holding it. */
  article_search_terms: { term: string; doc: number; cnt: number };
  'temp.related_probe': FtsColumns;
  /** fts5vocab 'instance' over the probe: every term occurrence with its column and word offset. */
  'temp.related_probe_terms': { term: string; doc: number; col: string; offset: number };
};

/**
 * bm25 column weights: headline, subtitle, tags, body. A headline hit is worth ten body hits, so an
 * exact headline match outranks an article that only mentions the words.
 */
const SEARCH_WEIGHTS = sql`10.0, 4.0, 5.0, 1.0`;
/** Matches ranked per search: the newest ones, when a query matches more (see search(), which ranks countLimit + 1 when that is more). */
export const RANK_WINDOW = 2000;
/** For similarity the topic words of the headline and tags matter more than in reader searches. */
const SIMILAR_COLUMN_WEIGHTS = [6, 3, 6, 1];
const SIMILAR_WEIGHTS = sql.raw(SIMILAR_COLUMN_WEIGHTS.map((w) => w.toFixed(1)).join(', '));
/** How much each column of the article itself counts when choosing its characteristic words. */
const COLUMN_TF_WEIGHT: Record<string, number> = { headline: 4, subtitle: 2, tags: 4, body: 1 };

const quoted = (words: readonly string[]) => `"${words.join(' ').replace(/"/g, '""')}"`;

/** One clause as FTS5 syntax: a quoted word or phrase (a prefix followed by *), ORed with its alternatives. */
function clauseExpression(c: Clause): string {
  const parts = alternatives(c).map((a) => (a.prefix ? `${quoted(a.words)} *` : quoted(a.words)));
  return parts.length > 1 ? `(${parts.join(' OR ')})` : parts[0]!;
}

/**
 * The FTS5 MATCH expression for the clauses, all joined with AND. Words hold only letters and digits
 * (see query.ts); quotes are doubled anyway so that the function is safe on its own.
 */
export function matchExpression(clauses: readonly Clause[]): string {
  return clauses.map(clauseExpression).join(' AND ');
}

function fts(db: Db): Kysely<Database & FtsTables> {
  return db.withTables<FtsTables>();
}

const matches = (expression: string) => sql<boolean>`article_search match ${expression}`;

/** Creates the per-connection scratch table used to split text into stemmed terms. */
async function ensureProbe(db: Db): Promise<void> {
  await sql`create virtual table if not exists temp.related_probe using fts5(headline, subtitle, tags, body, tokenize = 'porter unicode61 remove_diacritics 2')`.execute(db);
  await sql`create virtual table if not exists temp.related_probe_terms using fts5vocab('temp', 'related_probe', 'instance')`.execute(db);
}

/**
 * A text's topic terms (topicTerms), each with how much the text uses it, the first word it came from,
 * and whether that word is the term alone (a word the tokenizer splits in several is a phrase to FTS5).
 */
type TopicTerms = Map<string, { tf: number; word: string; alone: boolean }>;

/** A word as the index's tokenizer splits it: all its terms, and those that can say what a text is about. */
interface KnownWord {
  terms: readonly string[];
  topical: readonly string[];
}

/** Function words, numbers and very short terms say little about a topic. */
const topical = (word: string, term: string) => [...term].length >= 3 && !/^\d+$/.test(term) && !isStopword(word);

/** Words learnt in one statement (termSplitter). */
const PROBE_WORDS = 400;
/** Words whose terms are kept before the record is cleared (a few MB; the vocabulary of a site). */
const KNOWN_WORDS = 150_000;

/**
 * What the index's own tokenizer makes of each word, learnt the first time a word is seen and kept.
 * The indexed columns hold normalised words joined by single spaces (indexText), and the tokenizer
 * splits each word on its own, whatever is around it; so a text's terms are its words' terms in order,
 * and only words not seen before go through FTS5. They are written to a scratch table, a row per word,
 * and read back through fts5vocab: listing a text's terms that way costs some microseconds per
 * occurrence, where a site's texts repeat a vocabulary of some tens of thousands of words. Whether a
 * term can say what a text is about is decided once per word too.
 */
function termSplitter() {
  const known = new Map<string, KnownWord>();

  async function learn(trx: Db, words: readonly string[]): Promise<void> {
    const f = fts(trx);
    await ensureProbe(trx);
    for (let i = 0; i < words.length; i += PROBE_WORDS) {
      const slice = words.slice(i, i + PROBE_WORDS);
      await f.deleteFrom('temp.related_probe').execute();
      await f.insertInto('temp.related_probe').values(slice.map((word, j) => ({ rowid: j, headline: '', subtitle: '', tags: '', body: word }))).execute();
      const found = slice.map(() => [] as { term: string; offset: number }[]);
      for (const r of await f.selectFrom('temp.related_probe_terms').select(['doc', 'term', 'offset']).execute()) found[r.doc]?.push(r);
      slice.forEach((word, j) => {
        const terms = found[j]!.sort((a, b) => a.offset - b.offset).map((t) => t.term);
        known.set(word, { terms, topical: terms.filter((term) => topical(word, term)) });
      });
    }
    await f.deleteFrom('temp.related_probe').execute();
  }

  /** The words of texts not learnt yet are learnt, in a transaction (see learn). */
  async function know(db: Db, words: Iterable<string>): Promise<void> {
    const unknown = new Set<string>();
    for (const word of words) if (word && !known.has(word)) unknown.add(word);
    if (!unknown.size) return;
    if (known.size + unknown.size > KNOWN_WORDS) known.clear();
    const list = [...unknown];
    // The scratch table belongs to the connection: a transaction (the caller's, or one of its own) keeps
    // another request from using it in between. Only the connection's temp tables are written: a
    // deferred transaction, which waits for no writer.
    await (db.isTransaction ? learn(db, list) : db.transaction().setAccessMode('read only').execute((trx) => learn(trx, list)));
  }

  return {
    /** The terms of one word, in order. */
    async termsOf(db: Db, word: string): Promise<readonly string[]> {
      await know(db, [word]);
      return known.get(word)?.terms ?? [];
    },

    /**
     * The topic terms of each text, by the text's position in `texts`: how often each is used, weighted
     * by the column it is in, and the first word (headline first) it came from.
     */
    async topicTerms(db: Db, texts: readonly Omit<FtsColumns, 'rowid'>[]): Promise<TopicTerms[]> {
      const columns = texts.map((t) => ({ headline: t.headline.split(' '), subtitle: t.subtitle.split(' '), tags: t.tags.split(' '), body: t.body.split(' ') }));
      await know(db, columns.flatMap((c) => [...c.headline, ...c.subtitle, ...c.tags, ...c.body]));
      return columns.map((c) => {
        // Each word's weight is summed first and its terms counted once: a text repeats its words, and
        // words taken in the order they first occur give every term the same first word and total.
        const weights = new Map<string, number>();
        for (const col of ['headline', 'subtitle', 'tags', 'body'] as const) {
          const weight = COLUMN_TF_WEIGHT[col]!;
          for (const word of c[col]) if (word) weights.set(word, (weights.get(word) ?? 0) + weight);
        }
        const out: TopicTerms = new Map();
        for (const [word, weight] of weights) {
          const k = known.get(word);
          for (const term of k?.topical ?? []) {
            const t = out.get(term);
            if (t) t.tf += weight;
            else out.set(term, { tf: weight, word, alone: k!.terms.length === 1 });
          }
        }
        return out;
      });
    },
  };
}

/** The order of the index's term list (UTF-8 bytes; code units agree with it outside the astral planes). */
const byTerm = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The `n` terms a text uses most, most used first, ties to the term that sorts first: what sorting them
 * all and taking the first `n` gives, without sorting the hundreds an article has (decision 0049).
 */
function mostUsed(terms: TopicTerms, n: number): [string, { tf: number; word: string; alone: boolean }][] {
  const top: [string, { tf: number; word: string; alone: boolean }][] = [];
  const before = (a: [string, { tf: number }], b: [string, { tf: number }]) => b[1].tf - a[1].tf || byTerm(a[0], b[0]);
  for (const entry of terms) {
    if (top.length === n && before(entry, top[n - 1]!) >= 0) continue;
    let i = top.length === n ? n - 1 : top.length;
    while (i > 0 && before(entry, top[i - 1]!) < 0) {
      top[i] = top[i - 1]!;
      i -= 1;
    }
    top[i] = entry;
  }
  return top;
}

/**
 * The matches of `expression` that bm25 ranks for article `id`, best first, at most `count`: with `walk`,
 * only the window of matches nearest the article (two walks in id order find it, see rank()).
 */
async function rankByQuery(db: Db, id: number, expression: string, walk: boolean, window: number, count: number): Promise<{ rowid: number; score: number }[]> {
  const f = fts(db);
  let range: { low: number; high: number } | null = null;
  if (walk) {
    const step = (direction: 'asc' | 'desc') =>
      f
        .selectFrom('article_search')
        .where(matches(expression))
        .where('rowid', direction === 'desc' ? '<=' : '>', id)
        .select('rowid')
        .orderBy('rowid', direction)
        .limit(window)
        .execute();
    const before = (await step('desc')).map((r) => r.rowid);
    const after = (await step('asc')).map((r) => r.rowid);
    if (before.length + after.length >= window) range = windowBounds(id, before, after, window);
  }
  let query = f.selectFrom('article_search').where(matches(expression));
  if (range) query = query.where('rowid', '>=', range.low).where('rowid', '<=', range.high);
  return query
    .select(['rowid', sql<number>`bm25(article_search, ${SIMILAR_WEIGHTS})`.as('score')])
    .orderBy('score')
    .limit(count)
    .execute();
}

/** Articles whose index entries putMany writes in one statement per table (5 values a row: far below SQLite's 32,766). */
const PUT_ROWS = 500;

/** Articles whose texts are split together by similarMany. */
const SIMILAR_BATCH = 200;

/** A SearchIndex over the FTS5 table created by migration 003 (see schema.ts). */
export function createSqliteSearchIndex(): SearchIndex {
  const frequencies = frequencyCache();
  const words = termSplitter();
  const bulk = bulkRanker(SIMILAR_COLUMN_WEIGHTS);
  /**
   * The articles most like article `id` (its topic `terms`: frequent in it, rare in the index) ranked with
   * bm25, each score relative to the article's own. With `ranker` (outside a transaction: the index as
   * committed), the bm25 query and its walks are worked out from the words' postings instead, with the
   * same rows and scores (bulk-rank.ts, decision 0064), when every word is one term.
   */
  async function rank(db: Db, id: number, terms: TopicTerms, highest: number, limit: number, window: number, ranker: BulkRanker | null): Promise<SimilarArticle[]> {
    const f = fts(db);
    if (!terms.size) return [];

    // Document frequencies, one term at a time: fts5vocab answers "term = ?" from the term's own
    // doclist, whereas "term IN (…)" walks the whole vocabulary. Only the terms the article uses most
    // are looked up; the rest could not outweigh them.
    // Ties go to the term that sorts first, as the index lists its terms.
    const lookups = mostUsed(terms, DF_LOOKUPS);
    const docs: { term: string; doc: number }[] = [];
    for (const [term] of lookups) {
      let doc = frequencies.get(term);
      if (doc === undefined) {
        doc = (await f.selectFrom('article_search_terms').select('doc').where('term', '=', term).executeTakeFirst())?.doc ?? 0;
        frequencies.set(term, doc);
      }
      docs.push({ term, doc });
    }
    const chosen = chooseTerms(docs.map((d) => ({ ...d, tf: terms.get(d.term)!.tf })), highest);
    if (!chosen.length) return [];
    // FTS5 stems what it is given: the words as the article has them, not their stems.
    const expression = chosen.map((c) => `"${terms.get(c.term)!.word}"`).join(' OR ');

    // Rank in the index alone (it holds published articles only), then read the few winners' rows.
    // The article itself is ranked too: its own score is the yardstick for the others (it is always in
    // its own window). bm25 costs the same for every match it scores, so only the window's are: the
    // matches nearest the article (SIMILAR_WINDOW). Listing matches without scoring them is cheap, and
    // FTS5 walks them in id order from a bound, so the window is found by two such walks, one each way,
    // and is one run of ids. When the terms' article counts add up to well under the window, every
    // match is in it and the walks are skipped.
    const reach = chosen.reduce((sum, c) => sum + (docs.find((d) => d.term === c.term)?.doc ?? 0), 0);
    const withSelf =
      ranker && chosen.every((c) => terms.get(c.term)!.alone)
        ? await ranker.rank(db, id, chosen.map((c) => c.term), reach > window / 2, window, limit + 1)
        : await rankByQuery(db, id, expression, reach > window / 2, window, limit + 1);
    const selfScore = withSelf.find((r) => r.rowid === id);
    const ranked = withSelf.filter((r) => r.rowid !== id).slice(0, limit);
    if (!ranked.length) return [];
    // The facets table holds what Check Also weighs (section, date) for indexed, so published, articles.
    const facts = await f
      .selectFrom('article_search_facets')
      .select(['article_id as id', 'section_id', 'published_at'])
      .where('article_id', 'in', ranked.map((r) => r.rowid))
      .execute();
    const byId = new Map(facts.map((a) => [a.id, a]));
    // bm25 scores are negative, better ones lower; the article's own score is the best any can reach.
    const best = selfScore && selfScore.score < 0 ? selfScore.score : (ranked[0]?.score ?? -1);
    return ranked
      .filter((r) => byId.has(r.rowid))
      .map((r) => ({ id: r.rowid, similarity: Math.min(1, r.score / best), sectionId: byId.get(r.rowid)!.section_id, publishedAt: byId.get(r.rowid)!.published_at ?? '' }))
      .filter((r) => r.similarity >= MIN_SIMILARITY);
  }

  return {
    async put(db, doc: IndexDocument) {
      await this.putMany(db, [doc]);
    },

    async putMany(db, docs) {
      // Each article's entry replaces what the index held for it, in three statements per slice of
      // articles rather than three per article (an import writes its posts' entries this way, decision
      // 0049). An article given twice keeps its last.
      const latest = [...new Map(docs.map((d) => [d.id, d])).values()];
      const f = fts(db);
      for (let i = 0; i < latest.length; i += PUT_ROWS) {
        const slice = latest.slice(i, i + PUT_ROWS);
        await f.deleteFrom('article_search').where('rowid', 'in', slice.map((d) => d.id)).execute();
        await f
          .insertInto('article_search_facets')
          .values(slice.map((d) => ({ article_id: d.id, section_id: d.sectionId, language: d.language, published_at: d.publishedAt })))
          .onConflict((oc) =>
            oc.column('article_id').doUpdateSet((eb) => ({ section_id: eb.ref('excluded.section_id'), language: eb.ref('excluded.language'), published_at: eb.ref('excluded.published_at') })),
          )
          .execute();
        await f
          .insertInto('article_search')
          .values(slice.map((d) => ({ rowid: d.id, headline: indexText(d.headline), subtitle: indexText(d.subtitle), tags: indexText(d.tags.join(' . ')), body: indexText(d.body) })))
          .execute();
      }
    },

    async remove(db, id) {
      await fts(db).deleteFrom('article_search').where('rowid', '=', id).execute();
      await fts(db).deleteFrom('article_search_facets').where('article_id', '=', id).execute();
    },

    async clear(db) {
      await fts(db).deleteFrom('article_search').execute();
      await fts(db).deleteFrom('article_search_facets').execute();
    },

    async search(db, clauses, filters: SearchFilters, limit, offset, countLimit): Promise<RankedIds> {
      if (!clauses.length) return { ids: [], total: 0, totalCapped: false };
      const expression = matchExpression(clauses);
      const filtered = filters.sectionId !== undefined || filters.language !== undefined || filters.from !== undefined || filters.before !== undefined;
      // The index holds published articles only, so without filters there is nothing to join: joining
      // every match to its article row costs more than ranking it. Filters read the small facets table;
      // CROSS JOIN keeps the FTS table as the outer loop (otherwise SQLite may drive from the facets and
      // run the full-text query once per article).
      const base = () => {
        const q = fts(db).selectFrom('article_search').where(matches(expression));
        if (!filtered) return q;
        let j = q.crossJoin('article_search_facets as a').whereRef('a.article_id', '=', 'article_search.rowid');
        if (filters.sectionId !== undefined) j = j.where('a.section_id', '=', filters.sectionId);
        if (filters.language !== undefined) j = j.where('a.language', '=', filters.language);
        if (filters.from !== undefined) j = j.where('a.published_at', '>=', filters.from);
        if (filters.before !== undefined) j = j.where('a.published_at', '<', filters.before);
        return j;
      };
      // bm25 costs the same for every match, and a common word matches tens of thousands of articles.
      // Only the newest matches are ranked (ids grow with time): FTS5 walks the matches in id order
      // cheaply, and one pass gives both the window's scores and the count, which stops at
      // countLimit + 1 (counting every match of a common word would cost as much as ranking them).
      const window = Math.max(RANK_WINDOW, countLimit + 1);
      const rows = await base()
        .select([sql<number>`article_search.rowid`.as('id'), sql<number>`bm25(article_search, ${SEARCH_WEIGHTS})`.as('score')])
        .orderBy(sql`article_search.rowid`, 'desc')
        .limit(window)
        .execute();
      // Best score first (bm25 is negative, lower is better); on a tie the newer article.
      rows.sort((a, b) => a.score - b.score || b.id - a.id);
      const n = rows.length;
      return { ids: rows.slice(offset, offset + limit).map((r) => r.id), total: Math.min(n, countLimit), totalCapped: n > countLimit };
    },

    async mark(db, clauses, ids) {
      const out = new Map<number, MarkedFields>();
      if (!clauses.length || !ids.length) return out;
      // With rowid IN (…) FTS5 runs the query once per id; a prefix then gathers every posting of every
      // word it stands for, ten times over (9–13 ms at 100,000 articles). Results come from the newest
      // RANK_WINDOW matches, so walking the matches from the oldest result onwards, once, is cheaper
      // there; the unary + keeps the id list from being handed to FTS5.
      const anyPrefix = clauses.some((c) => c.prefix);
      let q = fts(db).selectFrom('article_search').where(matches(matchExpression(clauses)));
      q = anyPrefix
        ? q.where('rowid', '>=', Math.min(...ids)).where(sql<boolean>`+rowid in (${sql.join(ids)})`)
        : q.where('rowid', 'in', ids);
      const rows = await q
        .select([
          'rowid',
          sql<string>`highlight(article_search, 0, ${MARK_OPEN}, ${MARK_CLOSE})`.as('headline'),
          sql<string>`highlight(article_search, 1, ${MARK_OPEN}, ${MARK_CLOSE})`.as('subtitle'),
          sql<string>`highlight(article_search, 3, ${MARK_OPEN}, ${MARK_CLOSE})`.as('body'),
        ])
        .execute();
      for (const r of rows) out.set(r.rowid, { headline: r.headline, subtitle: r.subtitle, body: r.body });
      return out;
    },

    async similar(db, id, limit, window = SIMILAR_WINDOW): Promise<SimilarArticle[]> {
      return (await this.similarMany(db, [id], limit, window)).get(id) ?? [];
    },

    async similarMany(db, ids, limit, window = SIMILAR_WINDOW) {
      // The texts of a batch are split in one pass; ranking is a query per article (or worked out from
      // the words' postings, see rank()), which runs in this process: there is no round trip to save.
      const f = fts(db);
      const out = new Map<number, SimilarArticle[]>();
      for (let i = 0; i < ids.length; i += SIMILAR_BATCH) {
        const batch = ids.slice(i, i + SIMILAR_BATCH);
        const texts = await f.selectFrom('article_search').select(['rowid', 'headline', 'subtitle', 'tags', 'body']).where('rowid', 'in', batch).execute();
        const topics = await words.topicTerms(db, texts);
        // The highest article id stands in for the number of articles: idf only needs the scale, and
        // max(id) is one index probe where count(*) would walk every row.
        const highest = Number((await f.selectFrom('article_search_facets').select((eb) => eb.fn.max('article_id').as('n')).executeTakeFirst())?.n ?? 1);
        frequencies.sync(highest);
        // Outside a transaction the index is as committed, and what the bulk ranker remembers of it holds
        // until it changes; inside one, FTS5 counts what the transaction wrote too: the queries rank there.
        const ranker = db.isTransaction ? null : await bulk.current(db);
        const byId = new Map(texts.map((t, j) => [t.rowid, topics[j]!]));
        for (const id of batch) {
          const found = byId.get(id);
          out.set(id, found ? await rank(db, id, found, highest, limit, window, ranker) : []);
        }
      }
      return out;
    },

    compact: compactFts,
    pauseTidying: pauseAutomerge,

    async prefixReach(db, prefix, wordLimit) {
      // FTS5 stems a prefix before expanding it ("pres" becomes "pre"), so the reach is counted from the
      // stem the index's own tokenizer gives.
      const stem = (await words.termsOf(db, prefix))[0] ?? prefix;
      // Every word starting with the stem sorts between the stem and the stem with its last character
      // raised by one; fts5vocab answers that range from the index's term list.
      const last = stem.codePointAt(stem.length - 1) ?? 0;
      const upper = stem.slice(0, stem.length - String.fromCodePoint(last).length) + String.fromCodePoint(last + 1);
      const row = await db
        .selectFrom(
          fts(db)
            .selectFrom('article_search_terms')
            .select('doc')
            .where('term', '>=', stem)
            .where('term', '<', upper)
            .limit(wordLimit)
            .as('w'),
        )
        .select((eb) => [eb.fn.countAll<number>().as('words'), eb.fn.sum<number | null>('w.doc').as('postings')])
        .executeTakeFirstOrThrow();
      return { words: Number(row.words), postings: Number(row.postings ?? 0) };
    },
  };
}

/**
 * FTS5 stores its index as segments: each write adds a small one, and automatic merging only keeps their
 * number in check. A query seeks every term in every segment, so an index grown one article at a time
 * answers two to three times slower than the same index merged into one segment (measured at 100,000
 * articles). 'optimize' merges everything in one statement (seconds at that size); 'merge' with a
 * negative page count does the same work in slices of about that many pages, and SQLite's change
 * counter tells whether a slice found anything to do.
 */
async function compactFts(db: Db, budget?: number): Promise<boolean> {
  if (budget === undefined) {
    await sql`insert into article_search(article_search) values ('optimize')`.execute(db);
    return true;
  }
  const pages = Math.max(1, Math.floor(budget));
  const changes = sql<{ n: number }>`select total_changes() as n`;
  const before = (await changes.execute(db)).rows[0]!.n;
  await sql`insert into article_search(article_search, rank) values ('merge', ${-pages})`.execute(db);
  const after = (await changes.execute(db)).rows[0]!.n;
  return after - before >= 2;
}

/** FTS5's automerge setting when the table's configuration names none. */
const FTS5_DEFAULT_AUTOMERGE = 4;

/**
 * FTS5 writes what it holds in memory as a new segment at every transaction and savepoint (an import
 * opens one per run of posts), and its automatic merging then merges those segments, over and over as
 * they grow, into larger ones; compactFts without a budget merges everything into one at the end
 * anyway. Merging only when a level holds too many segments (FTS5's 'crisismerge', 16) does that work
 * fewer times over (decision 0058). The setting is stored in the table's configuration, in the caller's
 * transaction: the function returned sets it back before that commits, and a rollback undoes both.
 */
async function pauseAutomerge(db: Db): Promise<() => Promise<void>> {
  const { rows } = await sql<{ v: number }>`select v from article_search_config where k = 'automerge'`.execute(db);
  // FTS5 takes the value as an integer only, which a bound JavaScript number is not: a literal.
  const before = Math.trunc(Number(rows[0]?.v ?? FTS5_DEFAULT_AUTOMERGE));
  await sql`insert into article_search(article_search, rank) values ('automerge', 0)`.execute(db);
  return async () => {
    await sql`insert into article_search(article_search, rank) values ('automerge', ${sql.lit(before)})`.execute(db);
  };
}
