// Issue 4: search, "Check Also", feeds and sitemaps over a generated corpus (default 100,000 articles,
// `gazette demo --articles N`). Measures search server time p50/p95/p99 over a fixed query set (target
// p95 < 20 ms), search req/s at the configured connections, the time to recompute "Check Also" for one
// new article (target < 50 ms), a full search reindex, feed and sitemap generation times, and the
// server's peak RSS (target < 300 MB).
//
// Loading 100,000 articles takes minutes, so the loaded database is kept in BENCH_CORPUS_DIR (default
// <tmp>/gazette-bench-corpus) keyed by size, seed and end date, and copied for each run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createArticle } from '../src/articles/article.service.ts';
import { migrateToLatest, openStore } from '../src/db/database.ts';
import { generateCorpus } from '../src/demo/corpus.ts';
import { relatedAfterChange } from '../src/related/related.service.ts';
import { startGazette, runGazette } from './lib/gazette-server.ts';
import { request } from './lib/http.ts';
import { runLoad } from './lib/load.ts';
import { sampleRss } from './lib/proc.ts';
import { below, valid, type BenchContext, type Check, type Figure, type LoadRow, type ScenarioReport } from './lib/scenario.ts';

const ARTICLES = Number(process.env.BENCH_SEARCH_ARTICLES ?? 100_000);
const SEED = 1;
const CORPUS_DIR = process.env.BENCH_CORPUS_DIR ?? path.join(os.tmpdir(), 'gazette-bench-corpus');
/** Each query is asked this many times, one at a time, for the server-time percentiles. */
const REPEATS = 20;

/** The fixed query set: names, topics, phrases, prefixes (one too broad to search as a prefix), Arabic and Persian (with spelling variants), a miss, filters. */
export const QUERIES = [
  'q=baghdad',
  'q=inflation',
  'q=ceasefire+talks',
  'q=%22central+bank%22',
  'q=negotiat*',
  // A short prefix within the limits (searched as a prefix), and one beyond them (searched as the word).
  'q=neg*',
  'q=con*',
  'q=parliament+vote+turnout',
  'q=hospital+vaccine+outbreak',
  `q=${encodeURIComponent('البصرة')}`,
  `q=${encodeURIComponent('التضخم')}`,
  `q=${encodeURIComponent('مفاوضات وزراء')}`,
  `q=${encodeURIComponent('تهران')}`,
  `q=${encodeURIComponent('کارخانه')}`,
  `q=${encodeURIComponent('نيروگاه برق')}`,
  'q=zzqxv',
  'q=baghdad&section=news',
  'q=troops&language=en&from=2025-01-01&to=2025-12-31',
  'q=museum&page=3',
];
const LOAD_QUERY = 'q=ceasefire+talks';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** A database holding the demo content and the corpus, from the cache or loaded now. */
async function prepareCorpus(databaseFile: string, end: string, log: (line: string) => void, figures: Figure[]) {
  fs.mkdirSync(CORPUS_DIR, { recursive: true });
  const cached = path.join(CORPUS_DIR, `corpus-${ARTICLES}-seed${SEED}-${end}.db`);
  if (!fs.existsSync(cached)) {
    log(`loading ${ARTICLES} generated articles (cached afterwards in ${CORPUS_DIR}) …`);
    const loaded = await runGazette(cached, ['demo', '--articles', String(ARTICLES), '--seed', String(SEED), '--end', end]);
    if (loaded.code !== 0) throw new Error(`gazette demo failed: ${loaded.stderr.slice(-2000)}`);
    figures.push({ label: `corpus load + index (${ARTICLES} articles, gazette demo --articles)`, value: loaded.ms / 1000, unit: 's' });
  }
  fs.copyFileSync(cached, databaseFile);
  figures.push({ label: 'database size', value: fs.statSync(databaseFile).size / (1024 * 1024), unit: 'MB' });
}

/**
 * "Check Also" for new articles, in this process on the prepared database: each new article is stored
 * with createArticle (index and lists in its transaction), then its lists are recomputed alone, timed.
 */
async function measureRelated(databaseFile: string, end: string, figures: Figure[], checks: Check[]) {
  const store = await openStore({ kind: 'sqlite', file: databaseFile });
  try {
    await migrateToLatest(store);
    const create: number[] = [];
    const recompute: number[] = [];
    for (const a of generateCorpus({ articles: 25, seed: SEED + 1000, end: new Date(`${end}T00:00:00Z`) })) {
      const made = await timed(() =>
        createArticle(store, { section: a.section, slug: `bench-${a.slug}`, language: a.language, headline: a.headline, subtitle: a.subtitle, body: a.body, tags: a.tags }),
      );
      create.push(made.ms);
      recompute.push((await timed(() => store.db.transaction().execute((trx) => relatedAfterChange(store.search, trx, made.value.id)))).ms);
    }
    // The first few pay for cold caches (SQLite pages, term frequencies, JIT); the figures say both.
    const warm = recompute.slice(5).sort((a, b) => a - b);
    figures.push(
      { label: '"Check Also" recompute for one new article, p50 (warm)', value: percentile(warm, 50), unit: 'ms' },
      { label: '"Check Also" recompute for one new article, max (warm)', value: warm[warm.length - 1] ?? NaN, unit: 'ms' },
      { label: '"Check Also" recompute, first article after opening (cold)', value: recompute[0] ?? NaN, unit: 'ms' },
      { label: 'createArticle with index and lists, p50 (warm)', value: median(create.slice(5)), unit: 'ms' },
    );
    checks.push(below('"Check Also" recompute for one new article (p50, warm)', percentile(warm, 50), 50, ' ms'));
  } finally {
    await store.close();
  }
}

export default async function searchBench(ctx: BenchContext): Promise<ScenarioReport> {
  const figures: Figure[] = [];
  const checks: Check[] = [];
  const loads: LoadRow[] = [];
  const notes: string[] = [`Corpus: ${ARTICLES} generated articles (seed ${SEED}), about 70% English, 15% Arabic, 15% Persian.`];
  const end = new Date().toISOString().slice(0, 10);

  const gazette = await startGazette({
    env: { LOG_LEVEL: 'warn' },
    prepare: async (file) => {
      await prepareCorpus(file, end, ctx.log, figures);
      ctx.log('"Check Also" for 25 new articles');
      await measureRelated(file, end, figures, checks);
      ctx.log('full search reindex (gazette reindex --search-only)');
      const reindex = await runGazette(file, ['reindex', '--search-only']);
      if (reindex.code !== 0) throw new Error(`gazette reindex failed: ${reindex.stderr.slice(-2000)}`);
      figures.push({ label: 'full search reindex (gazette reindex --search-only, wall time incl. start-up)', value: reindex.ms / 1000, unit: 's' });
    },
  });
  const rss = sampleRss(gazette.pid);
  try {
    // 1. Search server time, from the Server-Timing header, each query asked REPEATS times.
    ctx.log(`search: ${QUERIES.length} queries × ${REPEATS}`);
    const serverMs: number[] = [];
    const perQuery: string[] = [];
    let bad = 0;
    for (const q of QUERIES) await request(`${gazette.url}/search?${q}`); // first touch of each: page cache of SQLite, JIT
    for (const q of QUERIES) {
      const mine: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const res = await request(`${gazette.url}/search?${q}`);
        if (res.status !== 200) bad++;
        const dur = /dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''));
        if (dur) mine.push(Number(dur[1]));
      }
      serverMs.push(...mine);
      perQuery.push(`${decodeURIComponent(q)}: ${median(mine).toFixed(1)} ms`);
    }
    serverMs.sort((a, b) => a - b);
    checks.push(valid('every search answered 200 with Server-Timing', bad === 0 && serverMs.length === QUERIES.length * REPEATS, `${QUERIES.length * REPEATS}`, `${serverMs.length} timed, ${bad} not 200`));
    figures.push(
      { label: 'search server time p50', value: percentile(serverMs, 50), unit: 'ms' },
      { label: 'search server time p95', value: percentile(serverMs, 95), unit: 'ms' },
      { label: 'search server time p99', value: percentile(serverMs, 99), unit: 'ms' },
    );
    checks.push(below('search server time p95', percentile(serverMs, 95), 20, ' ms'));
    notes.push(`Median server time per query: ${perQuery.join('; ')}.`);

    // 2. Search throughput.
    ctx.log(`search load: /search?${LOAD_QUERY} at ${ctx.connections} connections`);
    const load = await runLoad({ url: `${gazette.url}/search?${LOAD_QUERY}`, connections: ctx.connections, durationSec: ctx.durationSec, warmupSec: ctx.warmupSec, serverPid: gazette.pid });
    loads.push({ label: `gazette GET /search?${LOAD_QUERY}`, ...load });
    checks.push(valid('search load: no errors, only 2xx', load.errors === 0 && load.non2xx === 0, '0 errors, 0 non-2xx', `${load.errors} errors, ${load.non2xx} non-2xx`));

    // 3. Feeds and sitemaps. A feed or sitemap file is written on its first request after an article
    // write and then kept in the page cache, so its first request is the one that counts (the news
    // sitemap, which changes with the time of day, is written on every request).
    const documents = ['/feed.xml', '/feed.atom', '/feed.json', '/feeds/section/news.xml', '/feeds/tag/baghdad.atom', '/sitemap.xml', '/sitemaps/pages.xml', '/sitemaps/articles-1.xml', '/sitemaps/articles-2.xml', '/news-sitemap.xml'];
    for (const doc of documents) {
      const times: number[] = [];
      let status = 0;
      let bytes = 0;
      for (let i = 0; i < 3; i++) {
        const { ms, value } = await timed(() => request(`${gazette.url}${doc}`));
        times.push(ms);
        status = value.status;
        bytes = value.body.length;
      }
      checks.push(valid(`${doc} answers 200`, status === 200, '200', String(status)));
      figures.push(
        { label: `${doc} (${(bytes / 1024).toFixed(0)} KB): first request`, value: times[0]!, unit: 'ms' },
        { label: `${doc}: later requests (median of 2)`, value: median(times.slice(1)), unit: 'ms' },
      );
    }
  } finally {
    const peak = rss.stop();
    figures.push({ label: 'gazette peak RSS (whole run)', value: peak / (1024 * 1024), unit: 'MB' });
    checks.push(below('gazette peak RSS', peak / (1024 * 1024), 300, ' MB'));
    await gazette.stop().catch(() => {});
  }
  return { loads, figures, checks, notes };
}
