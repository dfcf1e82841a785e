// Check Also's bm25 ranking from the index's postings (decision 0064). Ranking an article's window of
// matches with FTS5's bm25() costs, per article, a walk of every matching row of every query word (the
// idf), two walks to find the window, and per scored row the row's instances and a read of its size;
// a bulk computation asks the same questions for thousands of articles that share their rare words.
// Here each word's postings (the rows holding it, with their weighted hit counts), each row's size and
// each idf are read once and remembered while the index stays the same, and the window and the scores
// are worked out in JavaScript exactly as FTS5 does (src/search/bm25.ts), ties in the order SQLite's
// `order by score limit n` gives them: the order in which FTS5 visits the rows, by ascending id.
import { sql } from 'kysely';
import type { Db } from '../../store.ts';
import { averageLength, bm25, clampedIdf, idfArgument } from '../../../search/bm25.ts';
import { windowBounds } from '../../../search/similar-terms.ts';

/** A word's postings: the rows holding it, ascending, and its weighted hit count in each (hits[i] in rows[i]). */
interface Postings {
  rows: Int32Array;
  hits: Int32Array;
}

/** FTS5's %_data record ids: the averages record (row count, token totals) and the structure record. */
const AVERAGES_ID = 1;
const STRUCTURE_ID = 10;

/**
 * What a ranker remembers before it clears that record: postings (entries: rows of the words read; some
 * tens of MB at most) and row sizes.
 */
export interface RememberedLimits {
  postings: number;
  sizes: number;
}

const REMEMBERED: RememberedLimits = { postings: 4_000_000, sizes: 500_000 };

/** SQLite's variable-length integer (FTS5 writes its records with it): its value and the next offset. */
function varint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = bytes[at + i]!;
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) return [value, at + i + 1];
  }
  return [value * 256 + bytes[at + 8]!, at + 9];
}

/** The sum of a record of variable-length integers (a docsize row: the row's tokens, column by column). */
function sumOfVarints(bytes: Uint8Array): number {
  let sum = 0;
  for (let at = 0; at < bytes.length; ) {
    const [value, next] = varint(bytes, at);
    sum += value;
    at = next;
  }
  return sum;
}

const hex = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : '');

/** The union of two ascending lists of distinct ids, ascending. */
function merged(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) (out[n++] = x), i++;
    else if (y < x) (out[n++] = y), j++;
    else (out[n++] = x), i++, j++;
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return out.subarray(0, n);
}

/** The union of ascending lists of distinct ids, ascending (merged in pairs). */
function unionOf(lists: readonly Int32Array[]): Int32Array {
  if (!lists.length) return new Int32Array(0);
  let level = [...lists];
  while (level.length > 1) {
    const next: Int32Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? merged(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

/** How many of the ascending `rows` are at most `id`. */
function countUpTo(rows: Int32Array, id: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (rows[mid]! <= id) low = mid + 1;
    else high = mid;
  }
  return low;
}

export interface BulkRanker {
  /**
   * The rows matching any of `words` (each a single index term, given as the term itself) that bm25 would
   * rank for article `id`, with their bm25 scores, best first, at most `count`: what the query
   * `… match '"w1" OR "w2" …' [and rowid between the window's bounds] order by bm25(…) limit count`
   * returns, the window found as SQLite's two walks find it when `walk` is set.
   */
  rank(db: Db, id: number, words: readonly string[], walk: boolean, window: number, count: number): Promise<{ rowid: number; score: number }[]>;
}

/**
 * The ranker of one committed state of the index, which remembers words' postings, rows' sizes and
 * idfs (`rows` and `tokens` from FTS5's averages record; `columnWeights` bm25's, in column order).
 */
function stateRanker(rows: number, tokens: number, columnWeights: readonly number[], limits: RememberedLimits): BulkRanker {
  const [headline, subtitle, tags, body] = columnWeights;
  const avgdl = averageLength(tokens, rows);
  const postings = new Map<string, Postings>();
  let remembered = 0;
  const sizes = new Map<number, number>();
  const idfs = new Map<number, number>();

  async function postingsOf(db: Db, term: string): Promise<Postings> {
    const known = postings.get(term);
    if (known) return known;
    // Every occurrence of the term, weighted by its column as bm25 weighs it, summed per row: FTS5 adds
    // the same weights one instance at a time, and sums of small whole numbers are exact either way.
    const { rows: found } = await sql<{ doc: number; w: number }>`
      select doc, sum(case col when 'headline' then ${headline} when 'subtitle' then ${subtitle} when 'tags' then ${tags} else ${body} end) as w
      from temp.article_search_instances where term = ${term} group by doc order by doc`.execute(db);
    const list: Postings = { rows: Int32Array.from(found, (r) => r.doc), hits: Int32Array.from(found, (r) => Number(r.w)) };
    if (remembered + found.length > limits.postings) {
      postings.clear();
      remembered = 0;
    }
    postings.set(term, list);
    remembered += found.length;
    return list;
  }

  async function idfOf(db: Db, hits: number): Promise<number> {
    let idf = idfs.get(hits);
    if (idf === undefined) {
      // The logarithm from SQLite's ln(), the C library's log() that FTS5's bm25 calls.
      const { rows: r } = await sql<{ v: number }>`select ln(${idfArgument(rows, hits)}) as v`.execute(db);
      idf = clampedIdf(Number(r[0]!.v));
      idfs.set(hits, idf);
    }
    return idf;
  }

  /** The token count of each of `ids` (FTS5's docsize rows, all columns), in their order. */
  async function sizesOf(db: Db, ids: Int32Array): Promise<Float64Array> {
    // The remembered sizes are taken before the record may be cleared below, which would lose them.
    const out = new Float64Array(ids.length);
    const missing: number[] = [];
    ids.forEach((id, i) => {
      const size = sizes.get(id);
      if (size === undefined) missing.push(i);
      else out[i] = size;
    });
    if (missing.length) {
      const { rows: read } = await sql<{ id: number; sz: Uint8Array }>`
        select id, sz from article_search_docsize where id in (select value from json_each(${JSON.stringify(missing.map((i) => ids[i]))}))`.execute(db);
      if (sizes.size + read.length > limits.sizes) sizes.clear();
      for (const r of read) sizes.set(r.id, sumOfVarints(r.sz));
      for (const i of missing) out[i] = sizes.get(ids[i]!)!;
    }
    return out;
  }

  return {
    async rank(db, id, words, walk, window, count) {
      const lists: Postings[] = [];
      for (const word of words) lists.push(await postingsOf(db, word));
      // With the walks, only each word's `window` matches nearest the article on either side can be in
      // the window (the union's nearest are each among their own word's nearest): the union of those.
      const matches = unionOf(
        lists.map((l) => {
          if (!walk) return l.rows;
          const at = countUpTo(l.rows, id);
          return l.rows.subarray(Math.max(0, at - window), at + window);
        }),
      );
      let scored = matches;
      if (walk) {
        // The two walks: the matches up to the article, nearest first, and those after it, each at most
        // a window long; a window is set only when they hold that many.
        const upTo = countUpTo(matches, id);
        const before = Array.from(matches.subarray(Math.max(0, upTo - window), upTo)).reverse();
        const after = Array.from(matches.subarray(upTo, upTo + window));
        const range = before.length + after.length >= window ? windowBounds(id, before, after, window) : null;
        if (range) scored = matches.subarray(countUpTo(matches, range.low - 1), countUpTo(matches, range.high));
      }
      if (!scored.length) return [];
      const idf: number[] = [];
      for (const l of lists) idf.push(await idfOf(db, l.rows.length));
      const size = await sizesOf(db, scored);
      // Each word's postings are read alongside the scored rows, both ascending.
      const next = lists.map((l) => countUpTo(l.rows, scored[0]! - 1));
      const freq = new Array<number>(lists.length);
      // The best `count` rows, best first; a row goes after those that score the same, which keeps ties
      // in FTS5's ascending order, as SQLite's sorter does (a stable sort of all, then the first `count`).
      const best: { rowid: number; score: number }[] = [];
      for (let r = 0; r < scored.length; r++) {
        const row = scored[r]!;
        for (let i = 0; i < lists.length; i++) {
          const l = lists[i]!;
          let at = next[i]!;
          while (at < l.rows.length && l.rows[at]! < row) at++;
          next[i] = at;
          freq[i] = at < l.rows.length && l.rows[at] === row ? l.hits[at]! : 0;
        }
        const score = bm25(idf, freq, size[r]!, avgdl);
        if (best.length === count && !(score < best[count - 1]!.score)) continue;
        let i = best.length === count ? count - 1 : best.length;
        while (i > 0 && score < best[i - 1]!.score) {
          best[i] = best[i - 1]!;
          i--;
        }
        best[i] = { rowid: row, score };
      }
      return best;
    },
  };
}

/**
 * The bulk ranking of an index: `current` gives the ranker of the index as committed now, which keeps
 * what it remembered while the index is unchanged (FTS5's averages and structure records the same: every
 * write to the index changes its structure). A ranker already handed out keeps its own state.
 */
export function bulkRanker(columnWeights: readonly number[], limits: RememberedLimits = REMEMBERED): { current(db: Db): Promise<BulkRanker> } {
  let held: { state: string; ranker: BulkRanker } | null = null;
  return {
    async current(db) {
      const { rows: records } = await sql<{ id: number; block: Uint8Array }>`select id, block from article_search_data where id in (${AVERAGES_ID}, ${STRUCTURE_ID})`.execute(db);
      const averages = records.find((r) => r.id === AVERAGES_ID)?.block;
      const state = `${hex(averages)}/${hex(records.find((r) => r.id === STRUCTURE_ID)?.block)}`;
      if (held?.state !== state) {
        // The averages record: the row count, then each column's token total.
        const [rows, at] = averages?.length ? varint(averages, 0) : [0, 0];
        const tokens = averages ? sumOfVarints(averages.subarray(at)) : 0;
        held = { state, ranker: stateRanker(rows, tokens, columnWeights, limits) };
      }
      // The term instances' table belongs to the connection, as related_probe does (created once).
      await sql`create virtual table if not exists temp.article_search_instances using fts5vocab('main', 'article_search', 'instance')`.execute(db);
      return held.ranker;
    },
  };
}
