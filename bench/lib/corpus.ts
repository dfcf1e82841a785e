// The generated corpus (`gazette demo --articles N`, default 100,000 articles) that the search and
// uncached scenarios run on. Loading it takes many minutes, so it is kept between runs and copied for
// each run: on SQLite as a file in BENCH_CORPUS_DIR (default <tmp>/gazette-bench-corpus), on PostgreSQL
// as a database of its own on the server (gazette_bench_corpus_<N>_s<seed>_<end date>), which each run
// copies with CREATE DATABASE … TEMPLATE. Both are keyed by size, seed and end date, and are loaded
// under a "loading" name first and renamed when complete, so an interrupted load is never taken for a
// corpus.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeDatabase, createNamedDatabase, databaseExists, dropDatabase, renameDatabase, urlForDatabase, type Engine } from './engines.ts';
import { runGazette } from './gazette-server.ts';
import type { Figure } from './scenario.ts';

/** BENCH_CORPUS_ARTICLES (BENCH_SEARCH_ARTICLES is still read, its older name). */
export const CORPUS_ARTICLES = Number(process.env.BENCH_CORPUS_ARTICLES ?? process.env.BENCH_SEARCH_ARTICLES ?? 100_000);
export const CORPUS_SEED = 1;
export const CORPUS_DIR = process.env.BENCH_CORPUS_DIR ?? path.join(os.tmpdir(), 'gazette-bench-corpus');

/**
 * The newest article's date: today (UTC), so that feeds and the news sitemap have recent articles; or
 * BENCH_CORPUS_END (YYYY-MM-DD), to use a corpus kept from an earlier day instead of loading a new one.
 */
export function corpusEnd(): string {
  const given = process.env.BENCH_CORPUS_END;
  if (given) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(given) || Number.isNaN(Date.parse(given))) throw new Error(`BENCH_CORPUS_END: expected a date such as 2026-11-28 (got "${given}")`);
    return given;
  }
  return new Date().toISOString().slice(0, 10);
}

export const corpusDescription = () => `${CORPUS_ARTICLES} generated articles (seed ${CORPUS_SEED}), about 70% English, 15% Arabic, 15% Persian`;

/** Where the kept corpus is (or will be) for an engine: an SQLite file, or a PostgreSQL database name. */
export function corpusName(engine: Engine, end = corpusEnd()): string {
  if (engine.kind === 'sqlite') return path.join(CORPUS_DIR, `corpus-${CORPUS_ARTICLES}-seed${CORPUS_SEED}-${end}.db`);
  return `gazette_bench_corpus_${CORPUS_ARTICLES}_s${CORPUS_SEED}_${end.replace(/-/g, '')}`;
}

/** Whether the corpus is already kept for this engine (nothing to load). */
export async function corpusReady(engine: Engine, end = corpusEnd()): Promise<boolean> {
  const name = corpusName(engine, end);
  return engine.kind === 'sqlite' ? fs.existsSync(name) : databaseExists(engine, name);
}

/**
 * The kept corpus for an engine, loaded now if it is not kept yet: returns what startGazette's `from`
 * takes (the SQLite file, or the PostgreSQL database to copy). A load adds its time to `figures`.
 */
export async function ensureCorpus(engine: Engine, log: (line: string) => void, figures: Figure[], end = corpusEnd()): Promise<string> {
  const name = corpusName(engine, end);
  if (await corpusReady(engine, end)) return name;
  const args = ['demo', '--articles', String(CORPUS_ARTICLES), '--seed', String(CORPUS_SEED), '--end', end];
  let loading: string;
  let url: string;
  if (engine.kind === 'sqlite') {
    fs.mkdirSync(CORPUS_DIR, { recursive: true });
    loading = `${name}.loading`;
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(loading + suffix, { force: true });
    url = `file:${loading}`;
    log(`loading ${CORPUS_ARTICLES} generated articles into ${loading} (kept afterwards as ${name}) …`);
  } else {
    loading = `${name}_loading`;
    await dropDatabase(engine, loading);
    await createNamedDatabase(engine, loading);
    url = urlForDatabase(engine.adminUrl, loading);
    log(`loading ${CORPUS_ARTICLES} generated articles into the PostgreSQL database ${loading} (kept afterwards as ${name}) …`);
  }
  const loaded = await runGazette(url, args);
  if (loaded.code !== 0) throw new Error(`gazette demo --articles ${CORPUS_ARTICLES} on ${engine.label} failed: ${loaded.stderr.slice(-2000)}`);
  if (engine.kind === 'sqlite') {
    // The CLI closed the database, so its WAL is checkpointed; move any leftover side files with it.
    for (const suffix of ['-wal', '-shm']) if (fs.existsSync(loading + suffix)) fs.renameSync(loading + suffix, name + suffix);
    fs.renameSync(loading, name);
  } else {
    // Planner statistics, which autovacuum would gather soon after a bulk load; on a server where it is
    // off (as on the development machines) the tables would keep none, and some queries would be
    // planned blind.
    await analyzeDatabase(engine, loading);
    await renameDatabase(engine, loading, name);
  }
  figures.push({ label: `corpus load + index (${CORPUS_ARTICLES} articles, gazette demo --articles)`, value: loaded.ms / 1000, unit: 's', engine: engine.label });
  return name;
}
