// The comparison the issues ask for: one Gazette URL against a bare node:http server answering the
// same bytes, measured one after the other (never concurrently: they would share the CPU). With
// BENCH_ROUNDS > 1 the two alternate, each round starting with the one the previous round ended with,
// so that a neighbour's burst of CPU use does not land on one side only; the ratio is then the median
// of the per-round ratios.
import { startBareServer } from './bare-server.ts';
import type { ServerProcess } from './child-server.ts';
import { request } from './http.ts';
import { runLoad, type LoadFigures } from './load.ts';
import { sampleRss } from './proc.ts';
import { valid, type BenchContext, type Check, type LoadRow } from './scenario.ts';

/** Medians over the rounds (a single run when BENCH_ROUNDS is 1). */
export interface Summary {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Process high-water mark over all rounds. */
  peakRssMb?: number;
  responsesPerCpuSec?: number;
}

export interface Comparison {
  /** Every measured run, in the order it ran. */
  runs: LoadRow[];
  gazette: Summary;
  bare: Summary;
  /** Gazette req/s divided by bare req/s (median over rounds): the figure the issues set targets on. */
  ratio: number;
  /**
   * Gazette responses per server CPU-second divided by the bare server's (median over rounds): the
   * same comparison with the client and the neighbours factored out (undefined without /proc).
   */
  cpuRatio?: number;
  /** Validity checks: 200 everywhere, no errors, identical bytes. */
  checks: Check[];
  /** Warnings about how to read the figures (e.g. the load generator was the bottleneck). */
  notes: string[];
}

export interface CompareOptions {
  /** Path on the Gazette server, e.g. /news/some-article */
  path: string;
  /** Request headers for both servers; none by default, so identity (uncompressed) bodies are compared. */
  headers?: Record<string, string>;
}

const MB = 1024 * 1024;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function summarise(runs: LoadRow[]): Summary {
  const perCpu = runs.map((r) => r.responsesPerCpuSec).filter((v): v is number => v !== undefined);
  const rss = runs.map((r) => r.peakRssMb).filter((v): v is number => v !== undefined);
  return {
    requestsPerSec: median(runs.map((r) => r.requestsPerSec)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    peakRssMb: rss.length ? Math.max(...rss) : undefined,
    responsesPerCpuSec: perCpu.length === runs.length ? median(perCpu) : undefined,
  };
}

/** Fetches `path` once, then load-tests Gazette and a bare server serving the same bytes. */
export async function compareWithBare(
  ctx: BenchContext,
  gazette: ServerProcess & { databasePids?: () => Promise<number[]> },
  options: CompareOptions,
): Promise<Comparison> {
  const headers = options.headers ?? {};
  const first = await request(gazette.url + options.path, { headers });
  if (first.status !== 200) throw new Error(`GET ${options.path} answered ${first.status}, not 200: benchmarking an error page is worthless.`);
  const contentType = String(first.headers['content-type'] ?? 'application/octet-stream');
  const encoding = first.headers['content-encoding'] ?? 'identity';
  ctx.log(`${options.path}: ${first.body.length} bytes, ${contentType}, ${encoding}`);

  const bare = await startBareServer(first.body, contentType);
  try {
    const fromBare = await request(bare.url + options.path, { headers });
    const servers = { gazette, bare };
    const labels = { gazette: `gazette GET ${options.path}`, bare: 'bare node:http, same bytes' };

    async function measure(side: 'gazette' | 'bare', round: number): Promise<LoadRow> {
      const server = servers[side];
      ctx.log(`${side}${ctx.rounds > 1 ? ` (round ${round})` : ''}: ${ctx.warmupSec} s warm-up, ${ctx.durationSec} s at ${ctx.connections} connections`);
      const rss = sampleRss(server.pid);
      const figures: LoadFigures = await runLoad({
        url: server.url + options.path,
        connections: ctx.connections,
        durationSec: ctx.durationSec,
        warmupSec: ctx.warmupSec,
        headers,
        serverPid: server.pid,
        ...(side === 'gazette' && gazette.databasePids ? { databasePids: gazette.databasePids } : {}),
      });
      const peak = rss.stop();
      return { label: labels[side] + (ctx.rounds > 1 ? ` (round ${round})` : ''), ...figures, peakRssMb: peak ? Math.round((peak / MB) * 10) / 10 : undefined };
    }

    const runs: LoadRow[] = [];
    const pairs: { gazette: LoadRow; bare: LoadRow }[] = [];
    for (let round = 1; round <= ctx.rounds; round++) {
      const order = round % 2 ? (['gazette', 'bare'] as const) : (['bare', 'gazette'] as const);
      const pair: Partial<Record<'gazette' | 'bare', LoadRow>> = {};
      for (const side of order) {
        const row = await measure(side, round);
        pair[side] = row;
        runs.push(row);
      }
      if (pair.gazette && pair.bare) pairs.push({ gazette: pair.gazette, bare: pair.bare });
    }
    const afterLoad = await request(gazette.url + options.path, { headers });

    const gazetteRuns = pairs.map((p) => p.gazette);
    const bareRuns = pairs.map((p) => p.bare);
    const sum = (rows: LoadRow[], key: 'non2xx' | 'errors' | 'responses') => rows.reduce((total, r) => total + r[key], 0);
    const sameBytes = fromBare.body.equals(first.body) && afterLoad.body.equals(first.body);
    const checks: Check[] = [];
    for (const [name, rows] of [['gazette', gazetteRuns], ['bare', bareRuns]] as const) {
      const non2xx = sum(rows, 'non2xx');
      const responses = sum(rows, 'responses');
      checks.push(
        valid(`${name}: every response 200`, non2xx === 0 && responses > 0, 'non-2xx = 0', `${non2xx} of ${responses}`),
        valid(`${name}: no connection errors`, sum(rows, 'errors') === 0, 'errors = 0', String(sum(rows, 'errors'))),
      );
    }
    // Also catches a page that changes per request (a token, a timestamp): the bare server would then
    // be serving something Gazette does not, and the cache would not be doing its job.
    checks.push(
      valid('same bytes: bare, and Gazette before and after load', sameBytes, `${first.body.length} identical bytes`, sameBytes ? 'identical' : 'different'),
    );

    const ratio = median(pairs.map((p) => (p.bare.requestsPerSec > 0 ? p.gazette.requestsPerSec / p.bare.requestsPerSec : 0)));
    const cpuRatios = pairs.map((p) => (p.gazette.responsesPerCpuSec && p.bare.responsesPerCpuSec ? p.gazette.responsesPerCpuSec / p.bare.responsesPerCpuSec : undefined));
    const cpuRatio = cpuRatios.every((r) => r !== undefined) ? median(cpuRatios as number[]) : undefined;

    const notes: string[] = [];
    // A server that had CPU to spare while the client was saturated was waiting for requests: the
    // wall-clock rate then measures the load generator, not the server.
    // Neither side busy means both were waiting for a CPU held by something else on the machine.
    const starved: string[] = [];
    for (const run of runs) {
      if (run.serverCpuPct === undefined || run.serverCpuPct >= 85) continue;
      if (run.clientCpuPct > 90) {
        notes.push(
          `${run.label} was limited by the load generator (server ${run.serverCpuPct.toFixed(0)}% CPU, client ${run.clientCpuPct.toFixed(0)}%): ` +
            'its req/s is a floor, and the req/s ratio less telling than the per-CPU-second ratio.',
        );
      } else {
        starved.push(`${run.label}: server ${run.serverCpuPct.toFixed(0)}%, client ${run.clientCpuPct.toFixed(0)}%`);
      }
    }
    if (starved.length) {
      notes.push(
        `Other work on the machine held the CPUs (neither server nor client was busy — ${starved.join('; ')}): ` +
          'req/s and latency are lower than this machine gives when idle; prefer the per-CPU-second ratio.',
      );
    }
    return { runs, gazette: summarise(gazetteRuns), bare: summarise(bareRuns), ratio, cpuRatio, checks, notes };
  } finally {
    await bare.stop();
  }
}
