// `gazette reindex` and `gazette demo --articles N`: rebuilding the search index and "Check Also" lists,
// and loading a generated corpus. Both show a progress bar on a terminal and plain lines otherwise.
import { parseArgs } from 'node:util';
import { progress } from './progress.ts';
import { key } from '../db/change-keys.ts';
import type { Config } from '../config.ts';
import { migrateToLatest, openStore } from '../db/database.ts';
import { loadDemo } from '../demo/demo.service.ts';
import { loadCorpus } from '../demo/corpus.ts';
import { rebuildIndex } from '../search/indexing.ts';
import { recomputeAllRelated } from '../related/related.service.ts';

export const SEARCH_USAGE = `  reindex   Rebuild the search index and the "Check Also" lists of every published article
            --search-only   rebuild the search index only (lists are then computed when first read)
  demo --articles N [--seed S] [--end YYYY-MM-DD]
            Load the demo content plus N generated articles (English, Arabic, Persian) for
            benchmarks; the same seed gives the same articles`;

export class SearchUsageError extends Error {}


/** gazette reindex [--search-only] */
export async function runReindex(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { 'search-only': { type: 'boolean' } } });
  if (positionals.length) throw new SearchUsageError(`gazette reindex: unexpected argument "${positionals[0]}"`);
  const store = await openStore(config.database);
  try {
    await migrateToLatest(store);
    const started = Date.now();
    const bar = progress('Search index');
    const indexed = await rebuildIndex(store, bar.update);
    bar.stop();
    console.log(`Indexed ${indexed} published article(s) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    if (!values['search-only']) {
      const relatedStarted = Date.now();
      const relatedBar = progress('Check Also');
      const lists = await recomputeAllRelated(store, relatedBar.update);
      relatedBar.stop();
      console.log(`Computed ${lists} "Check Also" list(s) in ${((Date.now() - relatedStarted) / 1000).toFixed(1)} s.`);
    }
    // Search results may rank differently; without --search-only every "Check Also" list was recomputed.
    store.changes.announce(values['search-only'] ? [key.search] : [key.search, key.related]);
  } finally {
    await store.close();
  }
  return 0;
}

/** gazette demo --articles N [--seed S] [--end YYYY-MM-DD] */
export async function runDemoCorpus(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { articles: { type: 'string' }, seed: { type: 'string' }, end: { type: 'string' } },
  });
  if (positionals.length) throw new SearchUsageError(`gazette demo: unexpected argument "${positionals[0]}"`);
  const articles = Number(values.articles);
  if (!values.articles || !/^\d+$/.test(values.articles) || articles < 1 || articles > 2_000_000)
    throw new SearchUsageError('gazette demo: --articles expects a whole number from 1 to 2000000');
  if (values.seed !== undefined && !/^\d{1,9}$/.test(values.seed)) throw new SearchUsageError('gazette demo: --seed expects a whole number');
  let end = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
  if (values.end !== undefined) {
    const parsed = new Date(`${values.end}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.end) || Number.isNaN(parsed.getTime())) throw new SearchUsageError('gazette demo: --end expects a date written YYYY-MM-DD');
    end = parsed;
  }
  const store = await openStore(config.database);
  try {
    await migrateToLatest(store);
    await loadDemo(store);
    const started = Date.now();
    const bars = { articles: progress('Articles'), 'check-also': progress('Check Also') };
    const result = await loadCorpus(store, { articles, seed: Number(values.seed ?? 1), end }, (stage, done, total) => {
      if (stage === 'check-also' && done === 0) bars.articles.stop();
      bars[stage].update(done, total);
    });
    bars.articles.stop();
    bars['check-also'].stop();
    console.log(
      result.skipped
        ? 'A generated corpus is already loaded in this database; nothing to do.'
        : `Loaded and indexed ${result.created} generated article(s), with their "Check Also" lists, in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    await store.close();
  }
  return 0;
}
