// Issue 2: the seed article page, served from the page cache, against a bare node:http server that
// answers the same bytes. Targets: >= 50% of the bare server's req/s, p99 < 20 ms at 32 connections,
// peak RSS < 150 MB. Also: the same page asked with tracking parameters (?utm_source=x&fbclid=<random>,
// 1,000 distinct URLs sent in turn), which a cache keyed on the page rather than the raw URL serves like
// the plain URL (target: req/s within 10% of the plain URL's).
// On SQLite and, when a server is reachable, on PostgreSQL (target: the cached page within 10% of
// SQLite's req/s), one engine after the other.
import { randomBytes } from 'node:crypto';
import { compareWithBare, median } from './lib/compare.ts';
import type { Engine } from './lib/engines.ts';
import { startGazette, type GazetteServer } from './lib/gazette-server.ts';
import { request } from './lib/http.ts';
import { runLoad } from './lib/load.ts';
import { residentBytes } from './lib/proc.ts';
import { addTo, atLeast, below, emptyReport, onEngine, valid, type BenchContext, type Check, type LoadRow, type ScenarioReport } from './lib/scenario.ts';

export const SEED_ARTICLE_PATH = '/news/disclosure-of-confidential-document';
/** Distinct tracking-parameter URLs the variant run sends in turn. */
const VARIANTS = 1_000;

/**
 * VARIANTS URLs of the page with tracking parameters, each with its own fbclid (60 characters, as
 * Facebook's are). Built before the run, so the load generator pays for them once: with an id made per
 * request (autocannon's idReplacement) the client, already the bottleneck against a cached page, spent
 * about 40% more CPU per request, and the run measured the client, not the server. Not more than a thousand:
 * autocannon builds every URL's request once per connection when a run starts, and 10,000 (320,000 requests
 * built at 32 connections) held the first responses up to 3 s and cost the client more per request.
 */
function trackingVariants(path: string): string[] {
  return Array.from({ length: VARIANTS }, () => `${path}?utm_source=x&fbclid=${randomBytes(45).toString('base64url')}`);
}

/** The server's own word on a response, when it gives one (Server-Timing: cache;desc=hit|miss|store). */
export function cacheStatus(headers: Record<string, string | string[] | undefined>): 'hit' | 'miss' | 'store' | undefined {
  const timing = String(headers['server-timing'] ?? '');
  const m = /(?:^|,)\s*cache;[^,]*desc="?(hit|miss|store)/i.exec(timing);
  return m ? (m[1]!.toLowerCase() as 'hit' | 'miss' | 'store') : undefined;
}

/** Whether two responses are the same page. Pages carry nothing per reader or per render (the comment form's token is fetched by each reader, decision 0014), so the same page is the same bytes. */
export function samePage(a: Buffer, b: Buffer): boolean {
  return a.equals(b);
}

/** How a variant's bytes compare with the plain page's. */
function comparePages(plain: Buffer, variant: Buffer): string {
  return samePage(plain, variant)
    ? 'the same bytes as the plain URL (served from the same cache entry, or rendered alike)'
    : `a different page from the plain URL's (${variant.length} vs ${plain.length} bytes)`;
}

async function onOneEngine(ctx: BenchContext, gazette: GazetteServer): Promise<ScenarioReport> {
  // Memory after start-up and before any load: tells the fixed cost of the process from what load adds.
  const idleRssMb = residentBytes(gazette.pid) / (1024 * 1024);
  const { runs, gazette: g, ratio, cpuRatio, checks, notes } = await compareWithBare(ctx, gazette, { path: SEED_ARTICLE_PATH });
  const rss: Check =
    g.peakRssMb === undefined
      ? { label: 'gazette peak RSS', kind: 'target', target: '< 150 MB', measured: 'not measured (no /proc)', pass: false }
      : below('gazette peak RSS', g.peakRssMb, 150, ' MB');
  const loads: LoadRow[] = [...runs];

  // The same article with tracking parameters, a different fbclid on each of VARIANTS URLs.
  const variant = `${SEED_ARTICLE_PATH}?utm_source=x&fbclid=<random> (${VARIANTS} URLs)`;
  const variants = trackingVariants(SEED_ARTICLE_PATH);
  const variantRuns: LoadRow[] = [];
  for (let round = 1; round <= ctx.rounds; round++) {
    ctx.log(`${variant}${ctx.rounds > 1 ? ` (round ${round})` : ''}: ${ctx.warmupSec} s warm-up, ${ctx.durationSec} s at ${ctx.connections} connections`);
    const figures = await runLoad({
      url: gazette.url,
      paths: variants,
      connections: ctx.connections,
      durationSec: ctx.durationSec,
      warmupSec: ctx.warmupSec,
      serverPid: gazette.pid,
      databasePids: gazette.databasePids,
    });
    variantRuns.push({ label: `gazette GET ${SEED_ARTICLE_PATH}?utm_source=x&fbclid=<random>${ctx.rounds > 1 ? ` (round ${round})` : ''}`, ...figures });
  }
  loads.push(...variantRuns);
  const variantRate = median(variantRuns.map((r) => r.requestsPerSec));
  const variantRatio = g.requestsPerSec > 0 ? variantRate / g.requestsPerSec : 0;
  const variantPerCpu = variantRuns.every((r) => r.responsesPerCpuSec !== undefined) ? median(variantRuns.map((r) => r.responsesPerCpuSec!)) : undefined;
  const variantCpuRatio = variantPerCpu !== undefined && g.responsesPerCpuSec ? variantPerCpu / g.responsesPerCpuSec : undefined;
  const non2xx = variantRuns.reduce((t, r) => t + r.non2xx, 0);
  const errors = variantRuns.reduce((t, r) => t + r.errors, 0);
  checks.push(valid('tracking-parameter variant: every response 200, no errors', non2xx === 0 && errors === 0, 'non-2xx = 0, errors = 0', `${non2xx} non-2xx, ${errors} errors`));
  // One more variant, and the plain page, to say whether they are the same page and how the server saw it.
  const plain = await request(gazette.url + SEED_ARTICLE_PATH);
  const once = await request(`${gazette.url}${SEED_ARTICLE_PATH}?utm_source=x&fbclid=bench${Date.now()}`);
  const said = cacheStatus(once.headers);
  notes.push(`A fresh ?utm_source=x&fbclid=… request answered ${once.status}: ${comparePages(plain.body, once.body)}${said ? `; the server's Server-Timing says cache ${said}.` : '; the server sends no cache status in Server-Timing.'}`);

  const serverOutput = gazette.output().trim();
  if (serverOutput) notes.push(`The Gazette server wrote (LOG_LEVEL=warn): ${serverOutput.split('\n').slice(-5).join(' / ')}`);
  return {
    loads,
    figures: [
      { label: 'cached article: gazette / bare req/s', value: ratio * 100, unit: '%' },
      ...(cpuRatio === undefined ? [] : [{ label: 'cached article: gazette / bare requests per server CPU-second', value: cpuRatio * 100, unit: '%' }]),
      { label: 'cached article: gazette req/s', value: g.requestsPerSec, unit: 'req/s' },
      { label: 'tracking-parameter variant: req/s', value: variantRate, unit: 'req/s' },
      { label: 'tracking-parameter variant / plain URL req/s', value: variantRatio * 100, unit: '%' },
      ...(variantCpuRatio === undefined ? [] : [{ label: 'tracking-parameter variant / plain URL requests per server CPU-second', value: variantCpuRatio * 100, unit: '%' }]),
      { label: 'gazette RSS after start-up, before load', value: idleRssMb, unit: 'MB' },
    ],
    checks: [
      ...checks,
      atLeast('req/s relative to bare node:http', ratio * 100, 50, '%'),
      below('gazette p99 latency', g.p99Ms, 20, ' ms', 0),
      rss,
      // "within 10% of the plain URL": a variant may be faster, not more than 10% slower.
      atLeast('?utm_source=x&fbclid=<random>: req/s relative to the plain URL', variantRatio * 100, 90, '%'),
    ],
    notes,
  };
}

/**
 * The cached page on each engine's server, one right after the other (alternating which goes first
 * when BENCH_ROUNDS > 1): the engine blocks above are minutes apart, and a neighbour's burst in one of
 * them would show as a difference between engines.
 */
async function backToBack(ctx: BenchContext, servers: Map<Engine, GazetteServer>): Promise<ScenarioReport> {
  const report = emptyReport();
  const [sqlite, postgres] = [...servers.entries()];
  if (!sqlite || !postgres) return report;
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let round = 1; round <= ctx.rounds; round++) {
    const suffix = ctx.rounds > 1 ? ` (round ${round})` : '';
    const rows = new Map<Engine, LoadRow>();
    for (const [engine, gazette] of round % 2 ? [sqlite, postgres] : [postgres, sqlite]) {
      ctx.log(`back to back, ${engine.label}${suffix}: ${ctx.warmupSec} s warm-up, ${ctx.durationSec} s at ${ctx.connections} connections`);
      const figures = await runLoad({ url: gazette.url + SEED_ARTICLE_PATH, connections: ctx.connections, durationSec: ctx.durationSec, warmupSec: ctx.warmupSec, serverPid: gazette.pid, databasePids: gazette.databasePids });
      const row = { label: `${engine.label}: gazette GET ${SEED_ARTICLE_PATH}, engines back to back${suffix}`, ...figures };
      rows.set(engine, row);
      report.loads.push(row);
      report.checks.push(valid(`${engine.label}, back to back: every response 200, no errors${suffix}`, figures.non2xx === 0 && figures.errors === 0 && figures.responses > 0, 'non-2xx = 0, errors = 0', `${figures.non2xx} non-2xx, ${figures.errors} errors`));
    }
    const s = rows.get(sqlite[0])!;
    const p = rows.get(postgres[0])!;
    ratios.push(p.requestsPerSec / s.requestsPerSec);
    if (s.responsesPerCpuSec && p.responsesPerCpuSec) cpuRatios.push(p.responsesPerCpuSec / s.responsesPerCpuSec);
  }
  const ratio = median(ratios) * 100;
  report.figures.push({ label: 'cached article, engines back to back: PostgreSQL / SQLite req/s', value: ratio, unit: '%' });
  if (cpuRatios.length === ratios.length) report.figures.push({ label: 'cached article, engines back to back: PostgreSQL / SQLite requests per server CPU-second', value: median(cpuRatios) * 100, unit: '%' });
  report.checks.push(atLeast('cached article on PostgreSQL: req/s relative to SQLite, back to back (within 10%)', ratio, 90, '%'));
  report.notes.push('The cached page is served without a database query, so the engines should be level; the check compares the two servers measured one right after the other.');
  return report;
}

export default async function article(ctx: BenchContext): Promise<ScenarioReport> {
  const report = emptyReport();
  // Every engine's server stays up to the end, for the back-to-back comparison.
  const servers = new Map<Engine, GazetteServer>();
  try {
    for (const engine of ctx.engines) {
      ctx.log(`— ${engine.label}`);
      const gazette = await startGazette({ engine });
      servers.set(engine, gazette);
      addTo(report, onEngine(engine, await onOneEngine(ctx, gazette)));
    }
    addTo(report, await backToBack(ctx, servers));
  } finally {
    for (const gazette of servers.values()) await gazette.stop();
  }
  if (ctx.postgresSkipped) report.notes.push(ctx.postgresSkipped);
  return report;
}
