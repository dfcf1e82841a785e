// `npm run bench [-- name …]`: runs every bench/<name>.bench.ts, or only the named ones, one after the
// other, and writes their results to bench/results/. Exits non-zero when a scenario failed to run or a
// validity check failed (the figures would be meaningless); a missed target is reported, not fatal,
// because absolute figures depend on the machine and its load.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chooseEngines } from './lib/engines.ts';
import { describeRun, renderScenario, writeResult } from './lib/results.ts';
import type { BenchContext, Scenario } from './lib/scenario.ts';

const BENCH_DIR = import.meta.dirname;
const SUFFIX = '.bench.ts';

/** Reads a positive number from the environment, or stops with a message naming the variable. */
function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && name !== 'BENCH_WARMUP')) {
    const unit = name === 'BENCH_CONNECTIONS' ? 'connections' : name === 'BENCH_ROUNDS' ? 'rounds' : 'seconds';
    console.error(`${name}: expected a positive number of ${unit} (got "${raw}")`);
    process.exit(64);
  }
  return value;
}

async function main(): Promise<number> {
  const available = fs
    .readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length) {
    console.error(`Unknown scenario(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`);
    return 64;
  }
  const names = wanted.length ? wanted : available;

  let choice;
  try {
    choice = await chooseEngines();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 69;
  }
  // BENCH_ENGINES names one engine to measure alone (e.g. when the other's corpus is still loading).
  const only = process.env.BENCH_ENGINES;
  if (only) {
    if (only !== 'sqlite' && only !== 'postgres') {
      console.error(`BENCH_ENGINES: expected sqlite or postgres (got "${only}")`);
      return 64;
    }
    if (!choice.engines.some((e) => e.kind === only)) {
      console.error(`BENCH_ENGINES=${only}, but ${choice.skipped ?? 'that engine cannot be measured'}`);
      return 69;
    }
    choice = { engines: choice.engines.filter((e) => e.kind === only), skipped: only === 'sqlite' ? 'BENCH_ENGINES=sqlite: PostgreSQL was left out of this run.' : undefined };
  }
  const postgres = choice.engines.find((e) => e.kind === 'postgres');
  const sqlite = choice.engines.some((e) => e.kind === 'sqlite');
  console.log(
    postgres && sqlite
      ? `Engines: SQLite and ${postgres.description}, side by side.`
      : postgres
        ? `Engine: ${postgres.description} only (BENCH_ENGINES=postgres).`
        : `Engine: SQLite only. ${choice.skipped}`,
  );

  const ctx: BenchContext = {
    durationSec: positiveNumber('BENCH_DURATION', 10),
    warmupSec: positiveNumber('BENCH_WARMUP', 2),
    connections: Math.round(positiveNumber('BENCH_CONNECTIONS', 32)),
    rounds: Math.max(1, Math.round(positiveNumber('BENCH_ROUNDS', 1))),
    engines: choice.engines,
    ...(choice.skipped ? { postgresSkipped: choice.skipped } : {}),
    log: (line) => console.log(`  ${line}`),
  };

  let failed = false;
  for (const name of names) {
    console.log(`\n▶ ${name}`);
    const module = (await import(pathToFileURL(path.join(BENCH_DIR, name + SUFFIX)).href)) as { default?: unknown };
    if (typeof module.default !== 'function') {
      console.error(`bench/${name}${SUFFIX} must export a scenario function as its default export.`);
      failed = true;
      continue;
    }
    const scenario = module.default as Scenario;
    const run = describeRun(name, ctx);
    try {
      const report = await scenario(ctx);
      const { file, result } = writeResult(run, report);
      console.log('\n' + renderScenario(result));
      console.log(`Written to ${path.relative(process.cwd(), file)} and bench/results/latest.md`);
      if (report.checks.some((c) => c.kind === 'validity' && !c.pass)) {
        console.error(`${name}: a validity check failed, so these figures do not measure what they claim.`);
        failed = true;
      }
    } catch (error) {
      console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

// Ctrl-C: exit through process.exit so that lib/child-server.ts stops every server it started.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

process.exitCode = await main();
