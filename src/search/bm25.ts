// SQLite FTS5's bm25() worked out in JavaScript, operation for operation (fts5Bm25Function and
// fts5Bm25GetData in SQLite's fts5_aux.c), so that Check Also can rank many articles' matches from the
// index's postings read once instead of a bm25 query per article, with the scores FTS5 would give
// (decision 0064). Every step is an IEEE double operation that JavaScript performs as C does; only the
// logarithm of the idf is left to the caller, which takes it from the C library FTS5 uses (SQLite's ln()).

/** FTS5's bm25 constants. */
const K1 = 1.2;
const B = 0.75;

/**
 * What the idf's logarithm is taken of, for a phrase found in `hits` of the index's `rows` rows:
 * IDF = log((N - nHit + 0.5) / (nHit + 0.5)).
 */
export function idfArgument(rows: number, hits: number): number {
  return (rows - hits + 0.5) / (hits + 0.5);
}

/** The idf FTS5 uses, given the logarithm of idfArgument: never zero or less (1e-6 instead). */
export function clampedIdf(logarithm: number): number {
  return logarithm <= 0.0 ? 1e-6 : logarithm;
}

/** avgdl: the index's total token count over its row count, as doubles. */
export function averageLength(tokens: number, rows: number): number {
  return tokens / rows;
}

/**
 * One row's bm25 score as FTS5 returns it (negative, lower is better): `idf` and `freq` by phrase, in
 * the query's phrase order (freq the row's weighted hit count of each phrase, summed over columns), `size`
 * the row's token count over all columns.
 */
export function bm25(idf: readonly number[], freq: readonly number[], size: number, avgdl: number): number {
  let score = 0.0;
  for (let i = 0; i < idf.length; i++) {
    score += idf[i]! * ((freq[i]! * (K1 + 1.0)) / (freq[i]! + K1 * (1 - B + (B * size) / avgdl)));
  }
  return -1.0 * score;
}
