// Issue 13: the Content API over the generated corpus (default 100,000 articles, lib/corpus.ts), on SQLite
// and, when a server is reachable, on PostgreSQL, one engine after the other, each on a fresh server:
// 1. Walking the whole archive with the cursor (`/api/content/articles?limit=100&cursor=…` until
//    nextCursor is null), one page at a time: total time, the server's peak RSS during the walk, and
//    the time of the first pages against the last ones. Keyset pagination should make a page deep in the
//    archive cost what the first does. Targets: the last pages' median within 2× the first pages', every
//    published article seen exactly once, and the walk adding < 100 MB to the server's RSS at rest (the
//    response cache keeps at most 64 MB of answers; the rest is SQLite's or the heap's working set).
// 2. `GET /api/content/articles?limit=20` answered from the API's response cache, against a bare
//    node:http server sending the same bytes (lib/compare.ts). Target: >= 50% of the bare server's req/s.
// 3. The same page of 20 not cached: each request asks for the 20 articles published before a random
//    instant of the corpus (`publishedBefore=…`), a different answer every time. Reported beside (2).
// 4. Create-article latency through the Admin API: 100 drafts with sources, one after the other (as a
//    wire import sends them), with an editor's admin token, on the same server and corpus. Target: p95 <
//    50 ms, the newsroom's target for a save through the web editor (issue 11).
// The server runs with API_RATE_PER_MINUTE=0: every request comes from one address, which the limit exists to stop.
import { createApiToken } from '../src/accounts/api-token.service.ts';
import { loadConfig } from '../src/config.ts';
import { migrateToLatest, openStore } from '../src/db/database.ts';
import { compareWithBare, median } from './lib/compare.ts';
import { CORPUS_ARTICLES, corpusDescription, ensureCorpus } from './lib/corpus.ts';
import type { Engine } from './lib/engines.ts';
import { startGazette, type BenchDatabase, type GazetteServer } from './lib/gazette-server.ts';
import { request } from './lib/http.ts';
import { runLoad } from './lib/load.ts';
import { residentBytes, sampleRss } from './lib/proc.ts';
import { addTo, atLeast, below, emptyReport, onEngine, valid, type BenchContext, type ScenarioReport } from './lib/scenario.ts';

const LIST_PATH = '/api/content/articles?limit=20';
const WALK_PAGE = 100;
/** Pages timed at each end of the walk. */
const ENDS = 10;
const MB = 1024 * 1024;
/** Articles created through the Admin API for its latency. */
const CREATES = 100;

interface WalkFigures {
  seconds: number;
  pages: number;
  articles: number;
  duplicates: number;
  firstMs: number;
  lastMs: number;
  peakRssMb: number;
  oldest: string;
  newest: string;
}

/** Walks every published article with the cursor, one page after the other, timing each page. */
async function walk(gazette: GazetteServer, log: (line: string) => void): Promise<WalkFigures> {
  const rss = sampleRss(gazette.pid);
  const pageMs: number[] = [];
  const seen = new Set<number>();
  let duplicates = 0;
  let cursor: string | null = null;
  let oldest = '';
  let newest = '';
  const started = performance.now();
  do {
    const path: string = `/api/content/articles?limit=${WALK_PAGE}&fields=publishedAt${cursor ? `&cursor=${cursor}` : ''}`;
    const t0 = performance.now();
    const res = await request(gazette.url + path);
    pageMs.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
    const body = JSON.parse(res.body.toString('utf8')) as { data: { id: number; publishedAt: string }[]; nextCursor: string | null };
    for (const a of body.data) {
      if (seen.has(a.id)) duplicates++;
      seen.add(a.id);
      newest ||= a.publishedAt;
      oldest = a.publishedAt;
    }
    cursor = body.nextCursor;
    if (pageMs.length % 200 === 0) log(`  ${pageMs.length} pages, ${seen.size} articles`);
  } while (cursor);
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = rss.stop() / MB;
  // The first pages include the JIT warming up: the ends are compared on their medians.
  return {
    seconds,
    pages: pageMs.length,
    articles: seen.size,
    duplicates,
    firstMs: median(pageMs.slice(0, ENDS)),
    lastMs: median(pageMs.slice(-ENDS)),
    peakRssMb,
    oldest,
    newest,
  };
}

/** An editor's admin token (acting as an integration account) in the server's copy of the corpus. */
export async function adminToken(database: BenchDatabase): Promise<string> {
  const store = await openStore(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' }).database);
  try {
    // A corpus kept from an earlier day may predate the tokens table: bring it up to date first, as the server would.
    await migrateToLatest(store);
    return (await createApiToken(store, null, { kind: 'admin', name: 'Bench wire import', role: 'editor' })).token;
  } finally {
    await store.close();
  }
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)] ?? NaN;

/** Creates CREATES drafts with sources through POST /api/admin/articles one after the other, timing each. */
export async function createLatency(gazette: GazetteServer, token: string): Promise<{ ms: number[]; refused: string[] }> {
  const sections = JSON.parse((await request(`${gazette.url}/api/content/sections`)).body.toString('utf8')) as { data: { slug: string }[] };
  const section = sections.data[0]!.slug;
  const ms: number[] = [];
  const refused: string[] = [];
  for (let i = 0; i < CREATES; i++) {
    const body = JSON.stringify({
      section,
      headline: `Wire story ${i}: the port reopens after the strike`,
      body: `Paragraph one of wire story ${i}.\n\n> "We are back at work," a docker said.\n\nThe ministry did not answer.`,
      tags: ['Bench wire'],
      sources: [
        { name: 'Wire agency', kind: 'agency', role: 'reported', url: 'https://wire.example/story' },
        { name: 'Port authority', kind: 'outlet', role: 'quoted' },
      ],
    });
    const t0 = performance.now();
    const res = await request(`${gazette.url}/api/admin/articles`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    ms.push(performance.now() - t0);
    if (res.status !== 201) refused.push(`${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
  }
  return { ms, refused };
}

async function onOneEngine(ctx: BenchContext, engine: Engine): Promise<ScenarioReport> {
  const report = emptyReport();
  const corpus = await ensureCorpus(engine, ctx.log, report.figures);
  // The per-address limit would refuse a load generator on one address: it is measured without it.
  let token = '';
  const gazette = await startGazette({ engine, from: corpus, env: { API_RATE_PER_MINUTE: '0' }, prepare: async (database) => void (token = await adminToken(database)) });
  try {
    // 1. The walk first, on a fresh server, so its peak memory is the walk's.
    const idleRssMb = residentBytes(gazette.pid) / MB;
    ctx.log(`walking every article with the cursor, ${WALK_PAGE} a page`);
    const w = await walk(gazette, ctx.log);
    report.figures.push(
      { label: `cursor walk: whole archive, ${WALK_PAGE} a page (time)`, value: w.seconds, unit: 's' },
      { label: 'cursor walk: pages', value: w.pages, unit: '' },
      { label: 'cursor walk: articles seen', value: w.articles, unit: '' },
      { label: `cursor walk: first ${ENDS} pages, median`, value: w.firstMs, unit: 'ms' },
      { label: `cursor walk: last ${ENDS} pages, median`, value: w.lastMs, unit: 'ms' },
      { label: 'cursor walk: last / first page', value: w.lastMs / w.firstMs, unit: '×' },
      { label: 'server RSS at rest, before the walk', value: idleRssMb, unit: 'MB' },
      { label: 'cursor walk: server peak RSS', value: w.peakRssMb, unit: 'MB' },
    );
    report.notes.push(`The walk went from ${w.newest} back to ${w.oldest}.`);
    report.checks.push(valid('cursor walk: no article twice', w.duplicates === 0, '0 duplicates', String(w.duplicates)));
    report.checks.push(valid('cursor walk: every article of the corpus', w.articles >= CORPUS_ARTICLES, `>= ${CORPUS_ARTICLES} articles`, String(w.articles)));
    report.checks.push(below('cursor walk: last pages / first pages (cost does not grow with depth)', w.lastMs / w.firstMs, 2, '×', 2));
    report.checks.push(below('cursor walk: server peak RSS above its RSS at rest', w.peakRssMb - idleRssMb, 100, ' MB'));

    // 2. The cached list against a bare server with the same bytes.
    const { runs, gazette: g, ratio, cpuRatio, checks, notes } = await compareWithBare(ctx, gazette, { path: LIST_PATH });
    report.loads.push(...runs);
    report.checks.push(...checks);
    report.notes.push(...notes);
    report.figures.push({ label: `${LIST_PATH} cached: req/s`, value: g.requestsPerSec, unit: 'req/s' }, { label: 'cached / bare node:http req/s', value: ratio * 100, unit: '%' });
    if (cpuRatio !== undefined) report.figures.push({ label: 'cached / bare node:http, per server CPU-second', value: cpuRatio * 100, unit: '%' });
    report.checks.push(atLeast(`${LIST_PATH} cached: req/s relative to bare node:http`, ratio * 100, 50, '%'));

    // 3. Not cached: 20 articles before a random instant of the walked range, a new answer each time.
    const from = Date.parse(w.oldest);
    const span = Date.parse(w.newest) - from;
    const uncachedRuns = [];
    for (let round = 1; round <= ctx.rounds; round++) {
      ctx.log(`${LIST_PATH}&publishedBefore=<random>: ${ctx.warmupSec} s warm-up, ${ctx.durationSec} s at ${ctx.connections} connections`);
      const figures = await runLoad({
        url: gazette.url,
        nextPath: () => `${LIST_PATH}&publishedBefore=${new Date(from + Math.floor(Math.random() * span)).toISOString()}`,
        connections: ctx.connections,
        durationSec: ctx.durationSec,
        warmupSec: ctx.warmupSec,
        serverPid: gazette.pid,
        databasePids: gazette.databasePids,
      });
      uncachedRuns.push({ label: `gazette GET ${LIST_PATH}&publishedBefore=<random> (not cached)${ctx.rounds > 1 ? ` (round ${round})` : ''}`, ...figures });
    }
    report.loads.push(...uncachedRuns);
    const non2xx = uncachedRuns.reduce((t, r) => t + r.non2xx, 0);
    const errors = uncachedRuns.reduce((t, r) => t + r.errors - r.timeouts, 0);
    report.checks.push(valid('not cached: every response 200, no connection errors', non2xx === 0 && errors === 0, 'non-2xx = 0, errors = 0', `${non2xx} non-2xx, ${errors} errors`));
    const uncachedRate = median(uncachedRuns.map((r) => r.requestsPerSec));
    report.figures.push(
      { label: `${LIST_PATH} not cached (random publishedBefore): req/s`, value: uncachedRate, unit: 'req/s' },
      { label: 'not cached / cached req/s', value: (uncachedRate / g.requestsPerSec) * 100, unit: '%' },
    );
    // 4. Creating articles through the Admin API, last: the drafts change nothing the figures above read.
    ctx.log(`creating ${CREATES} articles through POST /api/admin/articles`);
    const created = await createLatency(gazette, token);
    report.figures.push(
      { label: `Admin API: create article (${CREATES}, one at a time) p50`, value: percentile(created.ms, 50), unit: 'ms' },
      { label: `Admin API: create article (${CREATES}, one at a time) p95`, value: percentile(created.ms, 95), unit: 'ms' },
    );
    report.checks.push(valid('Admin API: every article created (201)', created.refused.length === 0, '0 refused', created.refused.length ? `${created.refused.length} refused, e.g. ${created.refused[0]}` : '0 refused'));
    report.checks.push(below('Admin API: create article p95', percentile(created.ms, 95), 50, ' ms'));

    const serverOutput = gazette.output().trim();
    if (serverOutput) report.notes.push(`The Gazette server wrote (LOG_LEVEL=warn): ${serverOutput.split('\n').slice(-5).join(' / ')}`);
    return report;
  } finally {
    await gazette.stop();
  }
}

export default async function api(ctx: BenchContext): Promise<ScenarioReport> {
  const report = emptyReport();
  report.notes.push(`Corpus: ${corpusDescription()}, the same on both engines.`);
  for (const engine of ctx.engines) {
    ctx.log(`— ${engine.label}`);
    addTo(report, onEngine(engine, await onOneEngine(ctx, engine)));
  }
  if (ctx.postgresSkipped) report.notes.push(ctx.postgresSkipped);
  return report;
}
