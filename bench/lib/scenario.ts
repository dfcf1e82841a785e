// What a scenario is and what it reports. A scenario is the default export of bench/<name>.bench.ts;
// bench/run.ts finds it by file name, runs it and writes what it returns to bench/results/.
import type { Engine } from './engines.ts';
import type { LoadFigures } from './load.ts';

/** Settings every scenario receives, read once from the environment by bench/run.ts. */
export interface BenchContext {
  /** Seconds of measured load per run (BENCH_DURATION, default 10). */
  readonly durationSec: number;
  /** Seconds of discarded load before each measured run (BENCH_WARMUP, default 2). */
  readonly warmupSec: number;
  /** Times each comparison is repeated, alternating the two servers (BENCH_ROUNDS, default 1). */
  readonly rounds: number;
  /** Concurrent connections (BENCH_CONNECTIONS, default 32, as the issues' targets assume). */
  readonly connections: number;
  /** The engines to measure: SQLite, and PostgreSQL when a server is reachable (lib/engines.ts). */
  readonly engines: readonly Engine[];
  /** Why PostgreSQL is not among them, when it is not. */
  readonly postgresSkipped?: string;
  /** Prints a progress line. */
  log(line: string): void;
}

/** One measured load run. */
export interface LoadRow extends LoadFigures {
  /** Which server and what was asked, e.g. "gazette GET /news/…". */
  label: string;
  /** Peak resident memory of the server process in MB, when measured. */
  peakRssMb?: number;
}

/** A single figure that is not a load run (a rebuild time, a ratio, a count). */
export interface Figure {
  label: string;
  value: number;
  unit: string;
  /** The engine it was measured on ("SQLite", "PostgreSQL"): such figures are shown side by side. */
  engine?: string;
}

/**
 * A target from an issue ("target") or a condition without which the figures mean nothing
 * ("validity": every request answered 200, the baseline served the same bytes, …).
 */
export interface Check {
  label: string;
  kind: 'target' | 'validity';
  target: string;
  measured: string;
  pass: boolean;
}

export interface ScenarioReport {
  loads: LoadRow[];
  figures: Figure[];
  checks: Check[];
  notes: string[];
}

export type Scenario = (ctx: BenchContext) => Promise<ScenarioReport>;

/** A target check that passes when `value` is at least `min`. */
export function atLeast(label: string, value: number, min: number, unit: string, digits = 1): Check {
  return { label, kind: 'target', target: `>= ${min}${unit}`, measured: `${value.toFixed(digits)}${unit}`, pass: value >= min };
}

/** A target check that passes when `value` is below `max`. */
export function below(label: string, value: number, max: number, unit: string, digits = 1): Check {
  return { label, kind: 'target', target: `< ${max}${unit}`, measured: `${value.toFixed(digits)}${unit}`, pass: value < max };
}

/**
 * A target on a load's p99 latency that a load with no answers, or with requests that timed out
 * (autocannon gives up after 10 s and leaves them out of its latencies), cannot pass.
 */
export function p99Below(label: string, load: Pick<LoadFigures, 'p99Ms' | 'responses' | 'timeouts'>, maxMs: number): Check {
  const target = `< ${maxMs} ms`;
  if (load.timeouts > 0) return { label, kind: 'target', target, measured: `${load.timeouts} requests unanswered after 10 s`, pass: false };
  if (load.responses === 0) return { label, kind: 'target', target, measured: 'no response within the run', pass: false };
  return below(label, load.p99Ms, maxMs, ' ms', 0);
}

/** A validity check: the run measured what it claims to measure. */
export function valid(label: string, pass: boolean, target: string, measured: string): Check {
  return { label, kind: 'validity', target, measured, pass };
}

/** An empty report to fill in. */
export function emptyReport(): ScenarioReport {
  return { loads: [], figures: [], checks: [], notes: [] };
}

/**
 * One engine's part of a scenario, made ready to sit beside the other engine's: load runs, checks and
 * notes are prefixed with the engine's name, figures carry it (and are shown in one column per engine).
 */
export function onEngine(engine: Engine, report: ScenarioReport): ScenarioReport {
  const prefix = `${engine.label}: `;
  return {
    loads: report.loads.map((l) => ({ ...l, label: prefix + l.label })),
    figures: report.figures.map((f) => ({ ...f, engine: engine.label })),
    checks: report.checks.map((c) => ({ ...c, label: prefix + c.label })),
    notes: report.notes.map((n) => prefix + n),
  };
}

/** Appends the parts of `more` to `into`. */
export function addTo(into: ScenarioReport, more: ScenarioReport): ScenarioReport {
  into.loads.push(...more.loads);
  into.figures.push(...more.figures);
  into.checks.push(...more.checks);
  into.notes.push(...more.notes);
  return into;
}
