// PostgreSQL finds a search's window of newest matches with one call of gazette_search_window
// (migration 025, decision 0054), which searches the newest ids first and the older ones only for what
// they lack. Whatever the split, the window must be the newest matches that searching every article
// gives, and the planner settings the functions carry must not outlive the call.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import { tsqueryText } from '../../src/db/dialects/postgres/search-index.ts';
import { parseQuery } from '../../src/search/query.ts';
import { ENGINE, freshDatabase, type TestDatabase } from '../helpers/database.ts';

const skip = ENGINE === 'sqlite' ? 'SQLite searches with FTS5 in process; no functions in the database' : false;
let database: TestDatabase;
let store: Store;

const ARTICLES = 400;
const filler = 'council members discussed the harbour budget and the new roads for the district'.split(' ');

before(async () => {
  if (skip) return;
  database = await freshDatabase();
  store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
  await migrateToLatest(store);
  // "quokka" in most articles (several times in some), "wombat" in every seventh, the phrase "central bank" in every
  // eleventh (its two words apart in others), two sections, dates a day apart.
  const docs = Array.from({ length: ARTICLES }, (_, i) => {
    const words = Array.from({ length: 20 + ((i * 37) % 60) }, (_, j) => filler[(i + j) % filler.length]!);
    if (i % 5 !== 0) words.splice(i % words.length, 0, 'quokka');
    // Some bodies say it several times: their scores then do not follow their lengths alone.
    if (i % 5 !== 0 && i % 4 === 1) words.splice(words.length - 1, 0, 'quokka', 'quokka', 'quokka');
    if (i % 7 === 0) words.splice((i * 3) % words.length, 0, 'wombats');
    if (i % 11 === 0) words.splice(3, 0, 'central', 'bank');
    else if (i % 3 === 0) words.splice(3, 0, 'central', 'harbour', 'bank');
    return {
      id: i + 1,
      headline: i % 13 === 0 ? `A quokka story ${i}` : `Harbour news ${i}`,
      subtitle: 'Council notes',
      tags: ['harbour'],
      body: words.join(' '),
      sectionId: 1 + (i % 2),
      language: i % 9 === 0 ? 'fr' : 'en',
      publishedAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
    };
  });
  await store.search.putMany(store.db, docs);
  await store.search.compact(store.db);
});

after(async () => {
  if (skip) return;
  await store.close();
  await database.drop();
});

const queryOf = (text: string) => {
  const parsed = parseQuery(text);
  assert.ok(!('problem' in parsed));
  return tsqueryText(parsed.clauses);
};

interface Filters {
  section: number | null;
  language: string | null;
  from: string | null;
  before: string | null;
}

const NONE: Filters = { section: null, language: null, from: null, before: null };

async function windowOf(text: string, filters: Filters, size: number, span: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select id from gazette_search_window(to_tsquery('gazette', ${queryOf(text)}), ${filters.section}::int, ${filters.language}::text,
      ${filters.from}::text, ${filters.before}::text, ${size}::int, ${span}::int)`.execute(store.db);
  return rows.rows.map((r) => r.id);
}

/** The newest `size` matches, searched over every article in one statement. */
async function expectedWindow(text: string, filters: Filters, size: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select article_id as id from article_search
    where document @@ to_tsquery('gazette', ${queryOf(text)})
      and (${filters.section}::int is null or section_id = ${filters.section}::int)
      and (${filters.language}::text is null or language = ${filters.language}::text)
      and (${filters.from}::text is null or published_at >= ${filters.from}::text)
      and (${filters.before}::text is null or published_at < ${filters.before}::text)
    order by article_id desc limit ${size}`.execute(store.db);
  return rows.rows.map((r) => r.id);
}

test('the window is the newest matches, whether the newest ids hold it or the older ones are searched for the rest', { skip }, async () => {
  const filterSets: Filters[] = [
    NONE,
    { ...NONE, section: 2 },
    { ...NONE, language: 'en', from: '2024-03-01T00:00:00.000Z', before: '2024-10-01T00:00:00.000Z' },
  ];
  const docs = new Map((await sql<{ term: string; docs: number }>`select term, docs from article_search_terms`.execute(store.db)).rows.map((r) => [r.term, r.docs]));
  // The function's rule (see addSearchFunctions): the rarest whole word's count, when every operand is ANDed.
  const splits = (text: string, size: number, span: number) => {
    const words = text.replace(/"/g, '').split(' ').filter((w) => !w.endsWith('*'));
    if (!words.length || 2 * span > ARTICLES) return false;
    const most = Math.min(...words.map((w) => docs.get(w.replace(/s$/, '')) ?? 0));
    return most <= span && (most * span) / ARTICLES >= size;
  };
  let split = 0;
  let short = 0;
  for (const text of ['quokka', 'wombat', '"central bank"', 'quokka wombat', 'quok*', 'central bank', 'zzqxv'])
    for (const filters of filterSets)
      // Spans from one that holds every id (no split) to ones whose newest ids hold few matches.
      for (const [size, span] of [[2000, 100_000], [30, 100], [30, 40], [200, 60], [5, 30], [1, 10], [20, 200], [28, 200], [5, 120]] as const) {
        const expected = await expectedWindow(text, filters, size);
        assert.deepEqual(await windowOf(text, filters, size, span), expected, `${text} ${JSON.stringify(filters)} size ${size} span ${span}`);
        if (splits(text, size, span)) {
          split++;
          // The newest span's matches alone fall short of the window: the older ids had to be searched.
          const newest = expected.filter((id) => id > ARTICLES - span).length;
          if (newest < expected.length) short++;
        }
      }
  assert.ok(split >= 10 && short >= 3, `the split was exercised (${split} searches, ${short} of them short of the window in the newest ids)`);
});

test('a one-word window says which matches hold the word only in their bodies', { skip }, async () => {
  const rows = await sql<{ id: number; bounded: boolean }>`
    select id, bounded from gazette_search_window(to_tsquery('gazette', ${queryOf('quokka')}), null, null, null, null, 2000, 100)`.execute(store.db);
  assert.ok(rows.rows.length > 100);
  for (const r of rows.rows) assert.equal(r.bounded, (r.id - 1) % 13 !== 0, `article ${r.id}`);
  const several = await sql<{ bounded: boolean }>`
    select bounded from gazette_search_window(to_tsquery('gazette', ${queryOf('quokka harbour')}), null, null, null, null, 2000, 100)`.execute(store.db);
  assert.ok(several.rows.length > 0 && several.rows.every((r) => !r.bounded));
});

const WEIGHTS = '{0.1, 0.4, 0.5, 1.0}';

/** Every match of the window scored, best first (on a tie the newer), and how many there were. */
async function everyMatchRanked(text: string, filters: Filters, size: number, span: number): Promise<{ ids: number[]; total: number }> {
  const window = await windowOf(text, filters, size, span);
  const rows = await sql<{ id: number }>`
    select id from gazette_search_scores(${WEIGHTS}::float4[], to_tsquery('gazette', ${queryOf(text)}), ${window}::int[]) order by score desc, id desc`.execute(store.db);
  return { ids: rows.rows.map((r) => r.id), total: window.length };
}

async function rankedOf(text: string, filters: Filters, size: number, span: number, needed: number): Promise<{ ids: number[]; total: number }> {
  const rows = await sql<{ id: number | null; total: number }>`
    select id, total from gazette_search_ranked(${WEIGHTS}::float4[], to_tsquery('gazette', ${queryOf(text)}), ${filters.section}::int, ${filters.language}::text,
      ${filters.from}::text, ${filters.before}::text, ${size}::int, ${span}::int, ${needed}::int)`.execute(store.db);
  return { ids: rows.rows.flatMap((r) => (r.id === null ? [] : [r.id])), total: rows.rows[0]?.total ?? -1 };
}

test('one ranked call gives the page that scoring every match of the window gives, and the window\'s count', { skip }, async () => {
  // Most "quokka" matches and every "wombat" one hold the word only in their bodies: the bounded ones,
  // scored only while they could reach the page. Bodies that say "quokka" several times score above
  // longer ones that say it once, so a ranking that stopped early would lose them.
  for (const text of ['quokka', 'wombat', 'harbour', '"central bank"', 'quokka wombat', 'quok*', 'zzqxv'])
    for (const filters of [NONE, { ...NONE, section: 2 }])
      for (const [size, span] of [[2000, 100_000], [30, 40], [200, 60]] as const) {
        const all = await everyMatchRanked(text, filters, size, span);
        for (const needed of [0, 1, 10, 25, 150, 5000]) {
          const ranked = await rankedOf(text, filters, size, span, needed);
          const label = `${text} ${JSON.stringify(filters)} size ${size} span ${span} needed ${needed}`;
          assert.equal(ranked.total, all.total, label);
          assert.deepEqual(ranked.ids, all.ids.slice(0, needed), label);
        }
      }
});

test('the planner settings of the search functions end with the call', { skip }, async () => {
  await store.db.transaction().execute(async (trx) => {
    await sql`select set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'on', true)`.execute(trx);
    await sql`select count(*) from gazette_search_window(to_tsquery('gazette', 'quokka'), null, null, null, null, 50, 100)`.execute(trx);
    await sql`select count(*) from gazette_search_scores('{0.1, 0.4, 0.5, 1.0}'::float4[], to_tsquery('gazette', 'quokka'), array[1, 2, 3])`.execute(trx);
    await sql`select count(*) from gazette_search_ranked('{0.1, 0.4, 0.5, 1.0}'::float4[], to_tsquery('gazette', 'quokka'), null, null, null, null, 50, 100, 10)`.execute(trx);
    const after = await sql<{ index: string; seq: string; jit: string }>`
      select current_setting('enable_indexscan') as index, current_setting('enable_seqscan') as seq, current_setting('jit') as jit`.execute(trx);
    assert.deepEqual(after.rows[0], { index: 'on', seq: 'on', jit: (await sql<{ jit: string }>`show jit`.execute(store.db)).rows[0]!.jit });
  });
});
