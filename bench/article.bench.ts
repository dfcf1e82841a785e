// Issue 2: the seed article page, served from the page cache, against a bare node:http server that
// answers the same bytes. Targets: >= 50% of the bare server's req/s, p99 < 20 ms at 32 connections,
// peak RSS < 150 MB.
import { compareWithBare } from './lib/compare.ts';
import { startGazette } from './lib/gazette-server.ts';
import { residentBytes } from './lib/proc.ts';
import { atLeast, below, type BenchContext, type Check, type ScenarioReport } from './lib/scenario.ts';

export const SEED_ARTICLE_PATH = '/news/disclosure-of-confidential-document';

export default async function article(ctx: BenchContext): Promise<ScenarioReport> {
  const gazette = await startGazette();
  try {
    // Memory after start-up and before any load: tells the fixed cost of the process from what load adds.
    const idleRssMb = residentBytes(gazette.pid) / (1024 * 1024);
    const { runs, gazette: g, ratio, cpuRatio, checks, notes } = await compareWithBare(ctx, gazette, { path: SEED_ARTICLE_PATH });
    const serverOutput = gazette.output().trim();
    if (serverOutput) notes.push(`The Gazette server wrote (LOG_LEVEL=warn): ${serverOutput.split('\n').slice(-5).join(' / ')}`);
    const rss: Check =
      g.peakRssMb === undefined
        ? { label: 'gazette peak RSS', kind: 'target', target: '< 150 MB', measured: 'not measured (no /proc)', pass: false }
        : below('gazette peak RSS', g.peakRssMb, 150, ' MB');
    return {
      loads: runs,
      figures: [
        { label: 'gazette / bare req/s', value: ratio * 100, unit: '%' },
        ...(cpuRatio === undefined ? [] : [{ label: 'gazette / bare requests per server CPU-second', value: cpuRatio * 100, unit: '%' }]),
        { label: 'gazette RSS after start-up, before load', value: idleRssMb, unit: 'MB' },
      ],
      checks: [...checks, atLeast('req/s relative to bare node:http', ratio * 100, 50, '%'), below('gazette p99 latency', g.p99Ms, 20, ' ms', 0), rss],
      notes,
    };
  } finally {
    await gazette.stop();
  }
}
