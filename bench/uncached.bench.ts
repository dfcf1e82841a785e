// Pages not in the cache, over the generated corpus (default 100,000 articles, lib/corpus.ts), on SQLite
// and, when a server is reachable, on PostgreSQL, one engine after the other:
// 1. One uncached render: a sequence of distinct article URLs never asked before, one at a time on an
//    otherwise idle server. Target: p50 under 1 ms of server time per render.
// 2. Random reads: a load picking a random article URL per request from the corpus's article sitemaps,
//    beside the cached single page (the seed article) measured on the same server in the same run.
//    Target: at least 25% of the cached single page's req/s.
// 3. Across engines: random reads (re-rendered articles, cache misses) on PostgreSQL at least 50% of
//    SQLite's rate.
import { randomSource } from '../src/demo/corpus.ts';
import { SEED_ARTICLE_PATH, cacheStatus } from './article.bench.ts';
import { median } from './lib/compare.ts';
import { corpusDescription, ensureCorpus } from './lib/corpus.ts';
import type { Engine } from './lib/engines.ts';
import { runGazette, startGazette, type GazetteServer } from './lib/gazette-server.ts';
import { request } from './lib/http.ts';
import { runLoad } from './lib/load.ts';
import { addTo, atLeast, below, emptyReport, onEngine, valid, type BenchContext, type LoadRow, type ScenarioReport } from './lib/scenario.ts';

/** Distinct never-asked article URLs timed one at a time, after RENDER_WARMUP others (JIT, database pages). */
const RENDER_SAMPLE = 200;
const RENDER_WARMUP = 30;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Every article's path, from the sitemap index and its article sitemaps (what a crawler would find). */
async function articlePaths(gazette: GazetteServer): Promise<string[]> {
  const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  const index = await request(gazette.url + '/sitemap.xml');
  if (index.status !== 200) throw new Error(`/sitemap.xml answered ${index.status}`);
  const paths: string[] = [];
  for (const sitemap of locs(index.body.toString('utf8')).map((u) => new URL(u).pathname).filter((p) => /\/articles-\d+\.xml$/.test(p))) {
    const res = await request(gazette.url + sitemap);
    if (res.status !== 200) throw new Error(`${sitemap} answered ${res.status}`);
    for (const u of locs(res.body.toString('utf8'))) paths.push(new URL(u).pathname);
  }
  return paths;
}

/** The largest dur= of a Server-Timing header (its total, when the server names one metric), if any. */
function serverDuration(headers: Record<string, string | string[] | undefined>): number | undefined {
  const durations = [...String(headers['server-timing'] ?? '').matchAll(/dur=([\d.]+)/g)].map((m) => Number(m[1]));
  return durations.length ? Math.max(...durations) : undefined;
}

interface EngineFigures {
  randomPerSec: number;
  renderP50Ms: number;
}

async function onOneEngine(ctx: BenchContext, engine: Engine): Promise<{ report: ScenarioReport; figures: EngineFigures }> {
  const report = emptyReport();
  const corpus = await ensureCorpus(engine, ctx.log, report.figures);
  const gazette = await startGazette({ engine, from: corpus });
  try {
    ctx.log('reading the article sitemaps');
    const all = await articlePaths(gazette);
    const random = randomSource(99);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    const timedPaths = all.slice(0, RENDER_WARMUP + RENDER_SAMPLE);
    const loadPaths = all.slice(RENDER_WARMUP + RENDER_SAMPLE);
    report.checks.push(valid('article sitemaps list the corpus', all.length >= 1000, '>= 1000 article URLs', String(all.length)));

    // 1. One render at a time, each URL asked once, on a server with no other load.
    ctx.log(`${RENDER_SAMPLE} distinct article URLs, one at a time (after ${RENDER_WARMUP} not counted)`);
    const clientMs: number[] = [];
    const serverMs: number[] = [];
    const said = { hit: 0, miss: 0, store: 0 };
    let bad = 0;
    for (const [i, p] of timedPaths.entries()) {
      const started = performance.now();
      const res = await request(gazette.url + p);
      const ms = performance.now() - started;
      if (i < RENDER_WARMUP) continue;
      if (res.status !== 200) bad++;
      clientMs.push(ms);
      const dur = serverDuration(res.headers);
      if (dur !== undefined) serverMs.push(dur);
      const status = cacheStatus(res.headers);
      if (status) said[status]++;
    }
    clientMs.sort((a, b) => a - b);
    serverMs.sort((a, b) => a - b);
    report.checks.push(valid('one at a time: every article answered 200', bad === 0, '0 not 200', String(bad)));
    report.figures.push(
      { label: 'one uncached render: client time p50 (idle server, one at a time)', value: percentile(clientMs, 50), unit: 'ms' },
      { label: 'one uncached render: client time p95', value: percentile(clientMs, 95), unit: 'ms' },
    );
    // Server time when the server says it (Server-Timing dur=); otherwise the client's time, which
    // includes the request over loopback and so can only overstate the server's.
    const serverTimed = serverMs.length === clientMs.length;
    const renderP50 = serverTimed ? percentile(serverMs, 50) : percentile(clientMs, 50);
    if (serverTimed) report.figures.push({ label: 'one uncached render: server time p50 (Server-Timing)', value: renderP50, unit: 'ms' });
    else report.notes.push('The server sends no Server-Timing duration for article pages, so the render target is checked on the client time of one request at a time on an idle server (loopback included: an upper bound of the server time).');
    if (said.hit + said.miss + said.store) report.notes.push(`The server's Server-Timing called ${said.miss} of the ${RENDER_SAMPLE} one-at-a-time requests cache misses, ${said.hit} cache hits and ${said.store} page store hits.`);
    report.checks.push(below(`one uncached render: p50 ${serverTimed ? 'server' : 'client'} time`, renderP50, 1, ' ms', 2));

    // 2. The cached single page, then random reads over the corpus, on the same server: first with the
    // page store (decision 0038) holding only what this run rendered ("cold"), then after `gazette pages
    // prerender` stored every article page ("store filled").
    let randomRate = 0;
    for (const phase of ['cold', 'store filled'] as const) {
      if (phase === 'store filled') {
        ctx.log('gazette pages prerender (every published article page into the page store)');
        const started = performance.now();
        // With the server's environment: pages prerendered for another PUBLIC_URL would go unused.
        const filled = await runGazette(gazette.database.url, ['pages', 'prerender'], gazette.env);
        const seconds = (performance.now() - started) / 1000;
        report.checks.push(valid('gazette pages prerender ran', filled.code === 0, 'exit 0', `exit ${filled.code}: ${filled.stderr.trim().split('\n').slice(-2).join(' / ')}`));
        report.figures.push({ label: 'gazette pages prerender: seconds for the whole corpus', value: seconds, unit: 's' });
        const stored = /(\d+) stored, ([\d.]+) MB/.exec(filled.stdout);
        if (stored) report.notes.push(`gazette pages prerender: ${filled.stdout.trim().split('\n').pop()}; ${(Number(stored[2]) * 1024 / Math.max(1, Number(stored[1]))).toFixed(1)} KB per stored page.`);
      }
      const tag = ` (${phase})`;
      const rows: { cached: LoadRow; random: LoadRow }[] = [];
      const seen = { hit: 0, miss: 0, store: 0, none: 0 };
      for (let round = 1; round <= ctx.rounds; round++) {
        const suffix = (ctx.rounds > 1 ? ` (round ${round})` : '') + tag;
        const pair: Partial<Record<'cached' | 'random', LoadRow>> = {};
        for (const side of round % 2 ? (['cached', 'random'] as const) : (['random', 'cached'] as const)) {
          ctx.log(`${side === 'cached' ? SEED_ARTICLE_PATH : `random article URLs (${loadPaths.length})`}${suffix}: ${ctx.warmupSec} s warm-up, ${ctx.durationSec} s at ${ctx.connections} connections`);
          const figures =
            side === 'cached'
              ? await runLoad({ url: gazette.url + SEED_ARTICLE_PATH, connections: ctx.connections, durationSec: ctx.durationSec, warmupSec: ctx.warmupSec, serverPid: gazette.pid, databasePids: gazette.databasePids })
              : await runLoad({
                  url: gazette.url,
                  nextPath: () => loadPaths[Math.floor(random() * loadPaths.length)]!,
                  onResponse: (_status, headers) => seen[cacheStatus(headers) ?? 'none']++,
                  connections: ctx.connections,
                  durationSec: ctx.durationSec,
                  warmupSec: ctx.warmupSec,
                  serverPid: gazette.pid,
                  databasePids: gazette.databasePids,
                });
          pair[side] = { label: (side === 'cached' ? `gazette GET ${SEED_ARTICLE_PATH} (cached single page)` : `gazette GET random article URLs over the corpus`) + suffix, ...figures };
          report.loads.push(pair[side]!);
        }
        rows.push({ cached: pair.cached!, random: pair.random! });
      }
      for (const side of ['cached', 'random'] as const) {
        const sum = (key: 'non2xx' | 'errors' | 'timeouts' | 'responses') => rows.reduce((t, r) => t + r[side][key], 0);
        // A request that timed out (autocannon's 10 s) was not refused: the server was that slow, which the
        // req/s figure says; only refused connections and error statuses make the figures meaningless.
        const refused = sum('errors') - sum('timeouts');
        report.checks.push(valid(`${side === 'cached' ? 'cached single page' : 'random reads'}: every response 200, no connection errors`, sum('non2xx') === 0 && refused === 0, 'non-2xx = 0, errors = 0', `${sum('non2xx')} non-2xx, ${refused} errors`));
        if (sum('timeouts')) report.notes.push(`${sum('timeouts')} ${side === 'cached' ? 'cached-page' : 'random'} reads got no answer within autocannon's 10 s timeout; they are not counted in req/s.`);
        if (sum('responses') === 0) report.notes.push(`No ${side === 'cached' ? 'cached-page' : 'random'} read was answered within the measured run: each took longer than the run (${ctx.durationSec} s) at ${ctx.connections} connections.`);
      }
      const cachedRate = median(rows.map((r) => r.cached.requestsPerSec));
      const phaseRate = median(rows.map((r) => r.random.requestsPerSec));
      const ratio = median(rows.map((r) => r.random.requestsPerSec / r.cached.requestsPerSec)) * 100;
      report.figures.push(
        { label: `cached single page: req/s${tag}`, value: cachedRate, unit: 'req/s' },
        { label: `random reads over the corpus: req/s${tag}`, value: phaseRate, unit: 'req/s' },
        { label: `random reads / cached single page req/s${tag}`, value: ratio, unit: '%' },
      );
      // Latency of random reads, when every request of the runs was answered (otherwise it would leave the slowest out).
      if (rows.every((r) => r.random.responses > 0 && r.random.timeouts === 0)) {
        report.figures.push({ label: `random reads over the corpus: p99 (client time)${tag}`, value: median(rows.map((r) => r.random.p99Ms)), unit: 'ms' });
      }
      const cpu = rows.map((r) => (r.random.responsesPerCpuSec && r.cached.responsesPerCpuSec ? r.random.responsesPerCpuSec / r.cached.responsesPerCpuSec : undefined));
      if (cpu.every((c) => c !== undefined)) report.figures.push({ label: `random reads / cached single page, per server CPU-second${tag}`, value: median(cpu as number[]) * 100, unit: '%' });
      if (seen.hit + seen.miss + seen.store) {
        const all = seen.hit + seen.miss + seen.store + seen.none;
        report.figures.push({ label: `random reads the server answered from its memory cache (Server-Timing)${tag}`, value: (seen.hit / all) * 100, unit: '%' });
        report.figures.push({ label: `random reads the server answered from its page store (Server-Timing)${tag}`, value: (seen.store / all) * 100, unit: '%' });
        report.figures.push({ label: `random reads the server rendered (Server-Timing: miss)${tag}`, value: (seen.miss / all) * 100, unit: '%' });
      } else {
        report.notes.push(
          `Random reads pick among ${loadPaths.length} articles; the server does not say which it served from its cache, but an in-memory cache of a few thousand pages can hold only a few per cent of them.`,
        );
      }
      if (phase === 'store filled') {
        // The phase measures reads of stored pages: a store the server does not read from (pages stored by
        // another build) would measure renders and call them the store's rate.
        const all = seen.hit + seen.miss + seen.store + seen.none;
        const rendered = all ? (seen.miss + seen.none) / all : 1;
        report.checks.push(valid('store filled: the server rendered few random reads (the rest came from its caches)', rendered <= 0.05, '<= 5% rendered (Server-Timing: miss)', `${(rendered * 100).toFixed(1)}% rendered`));
        report.checks.push(atLeast('random reads over the corpus (store filled): req/s relative to the cached single page', ratio, 25, '%'));
      }
      randomRate = phaseRate;
    }
    const serverOutput = gazette.output().trim();
    if (serverOutput) report.notes.push(`The Gazette server wrote (LOG_LEVEL=warn): ${serverOutput.split('\n').slice(-5).join(' / ')}`);
    return { report, figures: { randomPerSec: randomRate, renderP50Ms: renderP50 } };
  } finally {
    await gazette.stop();
  }
}

export default async function uncached(ctx: BenchContext): Promise<ScenarioReport> {
  const report = emptyReport();
  report.notes.push(`Corpus: ${corpusDescription()}, the same on both engines.`);
  const byEngine = new Map<string, EngineFigures>();
  for (const engine of ctx.engines) {
    ctx.log(`— ${engine.label}`);
    const part = await onOneEngine(ctx, engine);
    addTo(report, onEngine(engine, part.report));
    byEngine.set(engine.kind, part.figures);
  }
  const sqlite = byEngine.get('sqlite');
  const postgres = byEngine.get('postgres');
  if (sqlite && postgres) {
    const ratio = (postgres.randomPerSec / sqlite.randomPerSec) * 100;
    report.figures.push({ label: 're-rendered articles (random reads, cache misses): PostgreSQL / SQLite req/s', value: ratio, unit: '%' });
    report.checks.push(atLeast('re-rendered articles (cache misses) on PostgreSQL: req/s relative to SQLite', ratio, 50, '%'));
  }
  if (ctx.postgresSkipped) report.notes.push(ctx.postgresSkipped);
  return report;
}
