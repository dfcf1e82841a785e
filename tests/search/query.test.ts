// The query parser: whatever a reader types becomes quoted words, phrases and prefixes, so no FTS
// syntax from the search box ever reaches the database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CLAUSES, MAX_QUERY_CHARS, parseQuery, type ParsedQuery } from '../../src/search/query.ts';
import { matchExpression } from '../../src/db/dialects/sqlite/search-index.ts';

function parsed(q: string): ParsedQuery {
  const p = parseQuery(q);
  assert.ok(!('problem' in p), `"${q}" should parse`);
  return p;
}

test('plain words become one clause each, normalised', () => {
  assert.deepEqual(parsed('  Iraq   Withdrawal ').clauses, [
    { words: ['iraq'], prefix: false },
    { words: ['withdrawal'], prefix: false },
  ]);
});

test('double quotes make a phrase; a hyphenated word is a phrase too', () => {
  assert.deepEqual(parsed('"confidential document" US-Iraqi').clauses, [
    { words: ['confidential', 'document'], prefix: false },
    { words: ['us', 'iraqi'], prefix: false },
  ]);
});

test('a trailing * asks for a prefix, but not on a single letter', () => {
  assert.deepEqual(parsed('negoti* a*').clauses, [
    { words: ['negoti'], prefix: true },
    { words: ['a'], prefix: false },
  ]);
});

test('FTS operators and syntax are searched as plain words or dropped', () => {
  for (const q of ['NEAR(', 'a OR b', 'NOT x', 'x AND y', '(((', ')', 'headline:iraq', '^start', '{a b}', '"', '*', '"unbalanced', 'a"b"c"', '-x +y']) {
    const p = parsed(q);
    const expression = matchExpression(p.clauses);
    // Every clause is a quoted string (or a prefix ORed with its completions), joined by AND.
    const clause = String.raw`(?:"[^"]+"|"[^"]+" \*|\("[^"]+" \*(?: OR "[^"]+")+\))`;
    assert.match(expression, new RegExp(`^(?:${clause}(?: AND ${clause})*)?$`, 'u'), `${q} -> ${expression}`);
    for (const c of p.clauses) for (const w of c.words) assert.match(w, /^[\p{L}\p{N}]+$/u);
  }
  assert.deepEqual(parsed('NEAR(').clauses, [{ words: ['near'], prefix: false }]);
  assert.deepEqual(parsed('a OR b').clauses.map((c) => c.words[0]), ['a', 'or', 'b']);
});

test('a Latin prefix is widened to meet the stems the index holds', () => {
  assert.equal(
    matchExpression(parsed('negotiat*').clauses),
    '("negotiat" * OR "negotiate" OR "negotiating" OR "negotia" OR "negoti" OR "negot")',
  );
  assert.equal(
    matchExpression(parsed('"peace negotiati*" iraq').clauses),
    '("peace negotiati" * OR "peace negotiatie" OR "peace negotiatiing" OR "peace negotiat" OR "peace negotia" OR "peace negoti") AND "iraq"',
  );
  // Short prefixes and other scripts are searched as typed.
  assert.equal(matchExpression(parsed('poli*').clauses), '"poli" *');
  assert.equal(matchExpression(parsed('مفاوض*').clauses), '"مفاوض" *');
});

test('an unbalanced quote is ignored and the words around it still count', () => {
  assert.deepEqual(parsed('"confidential document').clauses.map((c) => c.words.join(' ')), ['confidential', 'document']);
});

test('nothing searchable gives no clauses (the page then asks for words)', () => {
  assert.deepEqual(parsed('').clauses, []);
  assert.deepEqual(parsed(' " * ( ) ').clauses, []);
});

test('overlong queries are refused, long word lists are cut', () => {
  assert.deepEqual(parseQuery('x'.repeat(MAX_QUERY_CHARS + 1)), { problem: 'too_long' });
  const many = parsed(Array.from({ length: MAX_CLAUSES + 5 }, (_, i) => `w${i}`).join(' '));
  assert.equal(many.clauses.length, MAX_CLAUSES);
  assert.equal(many.truncated, true);
});

test('Arabic and Persian queries are normalised like the index', () => {
  assert.deepEqual(parsed('الْعِرَاق کتاب').clauses.map((c) => c.words[0]), ['العراق', 'كتاب']);
});
