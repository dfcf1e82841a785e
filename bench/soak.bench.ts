// Issue 10: the soak. Several minutes (BENCH_SOAK_SECONDS, default 300) of mixed reads at a steady rate
// (articles, home pages, searches) with comments posted and published beside them, on a site of a few
// hundred generated articles. What it watches is what a leak shows: resident memory every 10 s and its
// slope after the warm-up (target under 1 MB per minute), p99 per minute for reads and posts, and the
// open file descriptors of the server at the end against the start.
// On SQLite and, when a server is reachable, on PostgreSQL, one engine after the other.
import fs from 'node:fs';
import { startGazette, runGazette, type BenchDatabase, type GazetteServer } from './lib/gazette-server.ts';
import type { Engine } from './lib/engines.ts';
import { request } from './lib/http.ts';
import { runLoad } from './lib/load.ts';
import { residentBytes } from './lib/proc.ts';
import { addTo, below, emptyReport, onEngine, valid, type BenchContext, type Check, type LoadRow, type ScenarioReport } from './lib/scenario.ts';
import { randomSource } from '../src/demo/corpus.ts';

/** Reads a whole number of seconds (or per second) from the environment. */
function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: expected a whole number above 0 (got "${raw}")`);
  return value;
}

/** Generated articles on the soaked site, besides the demo's. */
const ARTICLES = 500;
/** Articles whose forms take the posted comments, in turn (so no one page grows without end). */
const POSTED_ARTICLES = 25;
const POSTS_PER_SEC = 5;
const SAMPLE_SEC = 10;
/** Length of one load run: p99 is given per run. */
const CHUNK_SEC = 60;
/** Search words of the generated corpus, combined two by two into many distinct queries. */
const WORDS = ['ambassador', 'embassy', 'treaty', 'sanctions', 'inflation', 'budget', 'exports', 'wages', 'oil', 'tariffs', 'border', 'court', 'trial', 'protest', 'journalists', 'pipeline', 'electricity', 'refinery', 'minister', 'document'];

/** Open file descriptors of a process (sockets, database files, pipes), or NaN without /proc. */
function openFds(pid: number): number {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den ? num / den : NaN;
}

/** The lowest RSS of each minute of samples (minutes with at least 60% of their samples), as [minute, MB] points (the floor after collections). */
function floorsPerMinute(samples: ReadonlyArray<{ sec: number; rssMb: number }>): Array<readonly [number, number]> {
  const byMinute = new Map<number, number[]>();
  for (const s of samples) {
    const minute = Math.floor(s.sec / 60);
    byMinute.set(minute, [...(byMinute.get(minute) ?? []), s.rssMb]);
  }
  // A minute with few samples (the run's last seconds) has no floor to speak of.
  const whole = Math.floor((60 / SAMPLE_SEC) * 0.6);
  return [...byMinute].filter(([, mbs]) => mbs.length >= whole).map(([minute, mbs]) => [minute + 0.5, Math.min(...mbs)] as const);
}

/** Every article's path, from the sitemap index and its article sitemaps. */
async function articlePaths(gazette: GazetteServer): Promise<string[]> {
  const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, '&')).pathname);
  const index = (await request(gazette.url + '/sitemap.xml')).body.toString('utf8');
  const paths: string[] = [];
  for (const sitemap of locs(index).filter((p) => /\/articles-\d+\.xml$/.test(p))) paths.push(...locs((await request(gazette.url + sitemap)).body.toString('utf8')));
  return paths;
}

/** The comment form's hidden fields on an article page, with a reader's token from /comments/token (pages carry none). */
async function formOf(gazette: GazetteServer, path: string): Promise<Record<string, string>> {
  const html = (await request(gazette.url + path)).body.toString('utf8');
  const articleId = /name="article_id" value="(\d+)"/.exec(html)?.[1];
  if (!articleId) throw new Error(`no comment form on ${path}`);
  const answer = await request(`${gazette.url}/comments/token?article=${articleId}`);
  const token = (JSON.parse(answer.body.toString('utf8')) as { token?: string }).token;
  if (!token) throw new Error(`no form token for article ${articleId} (HTTP ${answer.status})`);
  return { article_id: articleId, token, comment_parent: '0' };
}

async function onOneEngine(ctx: BenchContext, engine: Engine): Promise<ScenarioReport> {
  const seconds = setting('BENCH_SOAK_SECONDS', 300);
  // The slope is fitted through one point per whole minute after the warm-up: fewer than three say nothing.
  if (seconds < 180) throw new Error(`BENCH_SOAK_SECONDS=${seconds}: the soak needs at least 180 seconds to fit a memory slope`);
  const readRate = setting('BENCH_SOAK_RATE', 300);
  // Memory grows while caches and the JIT fill: the slope is taken after this.
  const warmupSec = Math.min(60, Math.floor(seconds / 5));
  const report = emptyReport();
  ctx.log(`${engine.label}: loading the demo and ${ARTICLES} generated articles`);
  const gazette = await startGazette({
    engine,
    env: { COMMENTS_MODERATION: 'hold-none', COMMENTS_RATE_MAX: '1000000', COMMENTS_MIN_SECONDS: '0', DEMO_CONTENT: 'false' },
    async prepare(database: BenchDatabase) {
      const loaded = await runGazette(database.url, ['demo', '--articles', String(ARTICLES), '--seed', '1']);
      if (loaded.code !== 0) throw new Error(`gazette demo --articles failed: ${loaded.stderr.slice(-500)}`);
    },
  });
  try {
    const articles = await articlePaths(gazette);
    report.checks.push(valid('the sitemaps list the generated articles', articles.length >= ARTICLES, `>= ${ARTICLES}`, String(articles.length)));
    const forms: Array<Record<string, string>> = [];
    for (const path of articles.slice(0, POSTED_ARTICLES)) forms.push(await formOf(gazette, path));

    const random = randomSource(1);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const nextRead = () => {
      const r = random();
      if (r < 0.7) return pick(articles);
      if (r < 0.85) return r < 0.8 ? '/' : `/?page=${2 + Math.floor(random() * 5)}`;
      return `/search?q=${pick(WORDS)}+${pick(WORDS)}`;
    };
    let posted = 0;
    const nextPost = () => {
      posted += 1;
      const form = forms[posted % forms.length]!;
      const fields = { ...form, author: `Soak reader ${posted % 97}`, email: `soak${posted % 97}@example.org`, url: '', comment: `Soak comment number ${posted}, on the record.` };
      return new URLSearchParams(fields).toString();
    };

    // One of each request before the clock starts, so that the search threads and the database's
    // connections the server keeps exist at "start" and are not counted as growth.
    for (const path of ['/', articles[0]!, '/search?q=minister']) await request(gazette.url + path);
    // On PostgreSQL the server's pool opens connections under load and keeps them while busy (up to
    // DATABASE_POOL_SIZE): each is a descriptor, counted apart so that growth means something else.
    const databaseConnections = async () => (gazette.databasePids ? (await gazette.databasePids()).length : 0);
    const startFds = openFds(gazette.pid);
    const startDb = await databaseConnections();
    const startRss = residentBytes(gazette.pid) / 1e6;

    const samples: Array<{ sec: number; rssMb: number; fds: number }> = [];
    const started = performance.now();
    const sample = () => {
      const sec = Math.round((performance.now() - started) / 1000);
      const point = { sec, rssMb: residentBytes(gazette.pid) / 1e6, fds: openFds(gazette.pid) };
      samples.push(point);
      ctx.log(`${engine.label} ${String(sec).padStart(4)} s: RSS ${point.rssMb.toFixed(1)} MB, ${point.fds} open file descriptors`);
    };
    sample();
    const sampler = setInterval(sample, SAMPLE_SEC * 1000);
    const readRuns: LoadRow[] = [];
    const postRuns: LoadRow[] = [];
    try {
      for (let done = 0, minute = 1; done < seconds; minute++) {
        const chunk = Math.min(CHUNK_SEC, seconds - done);
        const label = `minute ${minute}${chunk < CHUNK_SEC ? ` (${chunk} s)` : ''}`;
        const [reads, posts] = await Promise.all([
          runLoad({ url: gazette.url, connections: ctx.connections, durationSec: chunk, warmupSec: 0, nextPath: nextRead, overallRate: readRate, serverPid: gazette.pid }),
          runLoad({
            url: `${gazette.url}/comments`,
            connections: 2,
            durationSec: chunk,
            warmupSec: 0,
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: gazette.url },
            nextBody: nextPost,
            overallRate: POSTS_PER_SEC,
          }),
        ]);
        readRuns.push({ ...reads, label: `${label}: reads (articles, home, search) at ${readRate}/s` });
        postRuns.push({ ...posts, label: `${label}: comment posts at ${POSTS_PER_SEC}/s` });
        done += chunk;
      }
    } finally {
      clearInterval(sampler);
    }
    sample();

    // The load's connections are closed by now or soon (keep-alive timeout): wait for the count to settle.
    let endFds = openFds(gazette.pid);
    let endDb = await databaseConnections();
    for (let waited = 0; waited < 15 && endFds - endDb > startFds - startDb; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      endFds = openFds(gazette.pid);
      endDb = await databaseConnections();
    }
    const endRss = residentBytes(gazette.pid) / 1e6;

    report.loads.push(...readRuns, ...postRuns);
    const after = samples.filter((s) => s.sec >= warmupSec);
    const mbPerMinAll = slope(after.map((s) => [s.sec / 60, s.rssMb] as const));
    const floors = floorsPerMinute(after);
    const mbPerMin = slope(floors);
    const peakRss = Math.max(...samples.map((s) => s.rssMb));
    report.figures.push(
      { label: 'RSS at start', value: startRss, unit: 'MB' },
      { label: `RSS after ${warmupSec} s warm-up`, value: samples.find((s) => s.sec >= warmupSec)?.rssMb ?? NaN, unit: 'MB' },
      { label: 'RSS at the end', value: endRss, unit: 'MB' },
      { label: 'RSS, highest sample', value: peakRss, unit: 'MB' },
      { label: 'RSS slope after warm-up, lowest sample of each minute', value: mbPerMin, unit: 'MB/min' },
      { label: 'RSS slope after warm-up, every sample', value: mbPerMinAll, unit: 'MB/min' },
      { label: 'open file descriptors at start', value: startFds, unit: '' },
      { label: 'open file descriptors at the end', value: endFds, unit: '' },
      ...(gazette.databasePids
        ? [
            { label: 'database connections at start', value: startDb, unit: '' },
            { label: 'database connections at the end', value: endDb, unit: '' },
          ]
        : []),
      { label: 'comments posted', value: postRuns.reduce((s, r) => s + r.responses, 0), unit: '' },
      { label: 'reads', value: readRuns.reduce((s, r) => s + r.responses, 0), unit: '' },
    );
    report.notes.push(
      `RSS MB every ${SAMPLE_SEC} s: ${samples.map((s) => s.rssMb.toFixed(0)).join(' ')}`,
      // What the slope is fitted through, so a reader can tell a floor still settling from one that climbs on.
      `lowest RSS MB of each minute after the warm-up (the fitted points): ${floors.map(([minute, mb]) => `${Math.floor(minute)}: ${mb.toFixed(1)}`).join(', ')}`,
      `open file descriptors every ${SAMPLE_SEC} s: ${samples.map((s) => s.fds).join(' ')}`,
      `p99 ms per minute, reads: ${readRuns.map((r) => r.p99Ms).join(' ')}; posts: ${postRuns.map((r) => r.p99Ms).join(' ')}`,
    );

    const checks: Check[] = [
      below('RSS slope after warm-up (lowest sample of each minute)', mbPerMin, 1, ' MB/min', 2),
      // Sockets of the load are closed; what remains open is what the server keeps (database, log, pipes).
      below(`open file descriptors at the end minus at the start${gazette.databasePids ? ', database connections apart' : ''}`, endFds - endDb - (startFds - startDb), 3, '', 0),
    ];
    // A read unanswered after 10 s is a slow server (on a busy machine), noted and failing that minute's
    // p99; any other error or a non-2xx means the run did not measure what it claims.
    const badReads = readRuns.reduce((s, r) => s + r.non2xx + r.errors - r.timeouts, 0);
    const timedOut = readRuns.reduce((s, r) => s + r.timeouts, 0) + postRuns.reduce((s, r) => s + r.timeouts, 0);
    if (timedOut) report.notes.push(`${timedOut} requests were unanswered after 10 s (autocannon's timeout) and are left out of the percentiles.`);
    const postStatuses = postRuns.flatMap((r) => Object.entries(r.statusCodes)).filter(([code]) => code !== '303');
    checks.push(
      valid('every read answered 2xx', badReads === 0, '0 non-2xx or connection errors', String(badReads)),
      valid('every comment post answered 303 (published)', postStatuses.length === 0 && postRuns.every((r) => r.errors === r.timeouts), 'only 303', postStatuses.map(([c, n]) => `${n} × ${c}`).join(', ') || 'only 303'),
    );
    report.checks.push(...checks);
    report.notes.push(
      `${seconds} s of reads at ${readRate}/s over ${ctx.connections} connections (70% articles, 15% home pages, 15% two-word searches) and comment posts at ${POSTS_PER_SEC}/s over 2 connections, published at once (hold-none) on ${POSTED_ARTICLES} articles in turn; ${articles.length} articles. RSS sampled every ${SAMPLE_SEC} s. RSS climbs between the garbage collector's full collections and drops after them, a saw-tooth of tens of MB over minutes, so a fit through every sample says mostly where in that cycle the run ended: the checked slope is a least-squares fit through the lowest sample of each minute after the first ${warmupSec} s (what survives collection), and the fit through every sample is given beside it.`,
    );
    return report;
  } catch (error) {
    throw new Error(`${engine.label}: ${error instanceof Error ? error.message : String(error)}\n${gazette.output()}`, { cause: error });
  } finally {
    await gazette.stop();
  }
}

export default async function soak(ctx: BenchContext): Promise<ScenarioReport> {
  const report = emptyReport();
  for (const engine of ctx.engines) addTo(report, onEngine(engine, await onOneEngine(ctx, engine)));
  if (ctx.postgresSkipped) report.notes.push(ctx.postgresSkipped);
  return report;
}
