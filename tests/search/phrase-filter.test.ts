// PostgreSQL keeps beside each article's document a Bloom filter of its adjacent word pairs (migration
// 027, decision 0059) and checks a phrase against the whole document only for the articles whose filter
// holds all of the phrase's pairs. A filter must never turn away an article that holds the phrase: the
// phrase search must find exactly what the phrase query alone finds, whichever way the article was
// written and wherever the phrase stands in it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import { tsqueryText } from '../../src/db/dialects/postgres/search-index.ts';
import { filterBytes, FILTER_MAX_BYTES, FILTER_STEP_BYTES, lexemeHash, parseTsvector, phraseFilterHex } from '../../src/db/dialects/postgres/phrase-filter.ts';
import { parseQuery } from '../../src/search/query.ts';
import type { IndexDocument } from '../../src/search/search-index.ts';
import { ENGINE, freshDatabase, type TestDatabase } from '../helpers/database.ts';

describe('the phrase filter of a document', () => {
  test('a tsvector is read lexeme by lexeme, quotes and backslashes unescaped, weights dropped', () => {
    assert.deepEqual(parseTsvector(`'bank':2B,7 'central':1A 'it''s':3 'a\\\\b':4 'solo'`), [
      { lexeme: 'bank', positions: [2, 7] },
      { lexeme: 'central', positions: [1] },
      { lexeme: "it's", positions: [3] },
      { lexeme: 'a\\b', positions: [4] },
      { lexeme: 'solo', positions: [] },
    ]);
  });

  test('its length follows the pairs, in steps, within bounds; a lexeme without positions gives none', () => {
    assert.equal(filterBytes(0), FILTER_STEP_BYTES);
    assert.equal(filterBytes(1_000_000), FILTER_MAX_BYTES);
    assert.ok(filterBytes(500) > filterBytes(50));
    assert.equal(phraseFilterHex(`'central':1 'bank':2`)!.length, FILTER_STEP_BYTES * 2);
    assert.equal(phraseFilterHex(`'central':1 'bank'`), null);
    // A pair sets bits; the same lexemes at positions two apart form no pair and set none.
    assert.notEqual(phraseFilterHex(`'central':1 'bank':2`), phraseFilterHex(`'central':1 'bank':3`));
    assert.match(phraseFilterHex(`'central':1 'bank':3`)!, /^0+$/);
  });
});

const skip = ENGINE === 'sqlite' ? 'SQLite answers phrases from FTS5 positions; no phrase filter' : false;
let database: TestDatabase;
let store: Store;

const filler = 'council members discussed the harbour budget and the new roads for the district while'.split(' ');
const ARTICLES = 240;

/**
 * Article i: filler words, and "central bank" as a phrase in some (at the body's start, middle or end,
 * across the headline and the tags, across the tags and the subtitle), its words apart or reversed
 * in others, "bank of england" in every fifth.
 */
function articleOf(i: number): IndexDocument {
  const words = Array.from({ length: 15 + ((i * 29) % 90) }, (_, j) => filler[(i * 7 + j) % filler.length]!);
  let headline = `Harbour news ${i}`;
  let tags = ['harbour'];
  let subtitle = 'Council notes';
  switch (i % 9) {
    case 0: words.unshift('central', 'bank'); break;
    case 1: words.splice(Math.floor(words.length / 2), 0, 'central', 'bank'); break;
    case 2: words.push('central', 'bank'); break;
    case 3: headline = `News of the central`; tags = ['bank', 'rates']; break;
    case 4: tags = ['rates', 'central']; subtitle = 'Bank notes'; break;
    case 5: words.splice(4, 0, 'central', 'harbour', 'bank'); break;
    case 6: words.splice(4, 0, 'bank', 'central'); break;
    default: break;
  }
  if (i % 5 === 0) words.splice(2, 0, 'bank', 'of', 'england');
  return {
    id: i + 1,
    headline,
    subtitle,
    tags,
    body: words.join(' '),
    sectionId: 1 + (i % 2),
    language: 'en',
    publishedAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
  };
}

before(async () => {
  if (skip) return;
  database = await freshDatabase();
  store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
  await migrateToLatest(store);
  // Both write paths: half in bulk, the other half one by one.
  const docs = Array.from({ length: ARTICLES }, (_, i) => articleOf(i));
  await store.search.putMany(store.db, docs.filter((d) => d.id % 2 === 0));
  for (const doc of docs.filter((d) => d.id % 2 === 1)) await store.search.put(store.db, doc);
  await store.search.compact(store.db);
});

after(async () => {
  if (skip) return;
  await store.close();
  await database.drop();
});

const tsquery = (text: string) => {
  const parsed = parseQuery(text);
  assert.ok(!('problem' in parsed));
  return tsqueryText(parsed.clauses);
};

async function windowOf(text: string, section: number | null = null): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select id from gazette_search_window(to_tsquery('gazette', ${tsquery(text)}), ${section}::int, null, null, null, 2000, 20000)`.execute(store.db);
  return rows.rows.map((r) => r.id);
}

/** What the phrase query alone finds, newest first. */
async function phraseMatches(text: string, section: number | null = null): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select article_id as id from article_search
    where document @@ to_tsquery('gazette', ${tsquery(text)}) and (${section}::int is null or section_id = ${section}::int)
    order by article_id desc`.execute(store.db);
  return rows.rows.map((r) => r.id);
}

test('a lexeme hashes alike in the database and here, whatever its script', { skip }, async () => {
  const lexemes = ['bank', 'central', "it's", 'a\\b', 'البصرة', 'نيروگاه', 'é', '😀x', 'x'.repeat(300), '0'];
  const rows = await sql<{ h: string }>`select gazette_lexeme_hash(l)::text as h from unnest(${lexemes}::text[]) with ordinality as t(l, n) order by n`.execute(store.db);
  assert.deepEqual(rows.rows.map((r) => Number(r.h)), lexemes.map(lexemeHash));
  assert.equal(new Set(lexemes.map(lexemeHash)).size, lexemes.length);
});

test('every article has a filter, from either write path', { skip }, async () => {
  const rows = await sql<{ missing: number }>`select count(*)::int as missing from article_search where phrase_filter is null`.execute(store.db);
  assert.equal(rows.rows[0]!.missing, 0);
});

test('a phrase search finds exactly what the phrase query alone finds', { skip }, async () => {
  const queries = [
    '"central bank"',
    '"bank central"',
    '"central harbour bank"',
    '"bank of england"',
    '"of england"',
    '"central bank" harbour',
    '"central bank" "bank of england"',
    '"central ban*"',
    '"central bank" OR rates',
    '"council members discussed"',
    '"news of the central bank"',
    '"central bank rates"',
    '"rates central bank notes"',
  ];
  for (const text of queries) {
    const expected = await phraseMatches(text);
    assert.deepEqual(await windowOf(text), expected, text);
    assert.deepEqual(await windowOf(text, 2), await phraseMatches(text, 2), `${text} in section 2`);
  }
  // The phrase stands in articles of every placement above, and not in those whose words are apart.
  const central = await phraseMatches('"central bank"');
  assert.ok([0, 1, 2, 3, 4].every((k) => central.some((id) => (id - 1) % 9 === k)), 'each placement of the phrase is found');
  assert.ok(central.every((id) => ![5, 6].includes((id - 1) % 9)), 'words apart or reversed are not');
});

test('the filter is what turns articles away, and an article without one is checked as before', { skip }, async () => {
  const id = (await phraseMatches('"central bank"'))[0]!;
  // A filter of the same length with no bit set holds no pair: the article is no longer found.
  await sql`update article_search set phrase_filter = (repeat('0', length(phrase_filter)))::varbit where article_id = ${id}`.execute(store.db);
  assert.ok(!(await windowOf('"central bank"')).includes(id), 'an empty filter turns the article away');
  // Words not in a phrase do not consult it.
  assert.ok((await windowOf('central bank')).includes(id));
  // A filter of a length no filter is written with says nothing either way: the document decides.
  await sql`update article_search set phrase_filter = B'0000000000' where article_id = ${id}`.execute(store.db);
  assert.ok((await windowOf('"central bank"')).includes(id), 'a filter of an unforeseen length lets the article through');
  await sql`update article_search set phrase_filter = null where article_id = ${id}`.execute(store.db);
  assert.ok((await windowOf('"central bank"')).includes(id), 'without a filter the phrase is checked against the document');
  const doc = articleOf(id - 1);
  await store.search.put(store.db, doc);
  assert.deepEqual(await windowOf('"central bank"'), await phraseMatches('"central bank"'));
});
