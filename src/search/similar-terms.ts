// How "Check Also" picks the words that characterise an article, the same on every engine: each engine
// finds the article's terms and their article counts in its own index, and these rules choose among them.

/** Characteristic words used to look for similar articles. */
export const SIMILAR_TERMS = 8;
/** Terms whose document frequency is looked up (the article's most used ones). */
export const DF_LOOKUPS = 24;
/** Share of all articles above which a term is not used to look for similar ones (large sites only). */
const MAX_DF_SHARE = 0.05;
/** Below this similarity (relative to the article itself) two articles only share a word or two. */
export const MIN_SIMILARITY = 0.1;

/**
 * Matches ranked per article (decision 0047): when an article's words find more articles than this,
 * only the matches nearest it in the order articles entered the site (their ids, which stand for
 * publication time, as in reader searches) are scored; on a tie in distance the newer one. For a new
 * article that is the newest matches. A site smaller than this ranks every match, as before.
 */
export const SIMILAR_WINDOW = 2000;

/**
 * The window's bounds among an article's matches: `before` the matching ids up to and including `id`,
 * nearest first (descending), `after` those above it, nearest first (ascending), each at least `window`
 * long when there are that many. The window is the `window` matches nearest `id` (a tie goes to the
 * newer), which in id order is one run from `low` to `high`.
 */
export function windowBounds(id: number, before: readonly number[], after: readonly number[], window: number): { low: number; high: number } | null {
  let b = 0;
  let a = 0;
  while (b + a < window && (b < before.length || a < after.length)) {
    const down = b < before.length ? id - before[b]! : Infinity;
    const up = a < after.length ? after[a]! - id : Infinity;
    if (up <= down) a++;
    else b++;
  }
  if (b + a === 0) return null;
  return { low: b > 0 ? before[b - 1]! : after[0]!, high: a > 0 ? after[a - 1]! : before[0]! };
}

/** Article counts of terms, remembered by one index. */
export interface FrequencyCache {
  /** Forgets what was remembered when the highest article id moved by more than 1% (or fell). */
  sync(highestId: number): void;
  get(term: string): number | undefined;
  set(term: string, df: number): void;
}

/**
 * Document frequencies change slowly and each lookup costs a query: they are remembered per index and
 * forgotten once the highest article id has grown by more than 1% (in a small database, after every new
 * article, so answers there are always exact).
 */
export function frequencyCache(): FrequencyCache {
  const known = new Map<string, number>();
  let basis = 0;
  return {
    sync(highestId: number) {
      if (highestId > basis * 1.01 || highestId < basis || known.size > 200_000) {
        known.clear();
        basis = highestId;
      }
    },
    get: (term: string) => known.get(term),
    set: (term: string, df: number) => void known.set(term, df),
  };
}

/**
 * The best terms to look for similar articles with, best first: weighted by how often the article uses
 * them (tf, already weighted by where they occur) and how rare they are (idf over `articles`, the highest
 * article id standing in for the count).
 */
export function chooseTerms(candidates: readonly { term: string; tf: number; doc: number }[], articles: number): { term: string; weight: number }[] {
  const n = Math.max(1, articles, ...candidates.map((d) => d.doc));
  // Terms in more than a few percent of all articles find too many to rank quickly and say little
  // about this one; small sites keep them, as nearly every word is "common" there.
  const maxDf = n >= 1000 ? n * MAX_DF_SHARE : n;
  return (
    candidates
      // A term only this article has cannot find another one.
      .filter((d) => d.doc >= 2 && d.doc <= maxDf)
      .map((d) => ({ term: d.term, weight: (1 + Math.log(d.tf)) * Math.log(n / d.doc) }))
      .filter((d) => d.weight > 0)
      .sort((a, b) => b.weight - a.weight)
      .slice(0, SIMILAR_TERMS)
  );
}
