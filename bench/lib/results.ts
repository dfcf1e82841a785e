// Results on disk: one JSON file per scenario run (bench/results/<name>-<date>.json), and
// bench/results/latest.md, rebuilt from the newest file of every scenario so that running one
// scenario does not drop the others from the summary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeStartMark, codeStartsSince, gitState, type GitState } from './builds.ts';
import { GAZETTE_NODE_OPTIONS } from './gazette-server.ts';
import type { BenchContext, Figure, ScenarioReport } from './scenario.ts';

/** bench/results/, or BENCH_RESULTS_DIR (e.g. a temp folder for trial runs that are not to be kept). */
export const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ? path.resolve(process.env.BENCH_RESULTS_DIR) : path.resolve(import.meta.dirname, '..', 'results');

export interface ResultFile extends ScenarioReport {
  scenario: string;
  startedAt: string;
  finishedAt: string;
  settings: { durationSec: number; warmupSec: number; connections: number; rounds: number; gazetteNodeOptions?: string; engines?: string[]; postgresSkipped?: string };
  machine: { node: string; platform: string; cpus: number; cpuModel: string; postgres?: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  /**
   * The code measured: the checkout of the run's first server build or `gazette` command (lib/builds.ts),
   * or the checkout at the start when the run started neither. `atStart`: the checkout when the run
   * began, when it was another. `laterStarts`: other checkouts that later builds or commands ran.
   */
  git: (GitState & { atStart?: GitState | null; laterStarts?: (GitState | null)[] }) | null;
}

/** What is known of a run before it starts. */
export type RunInfo = Omit<ResultFile, keyof ScenarioReport | 'finishedAt' | 'machine' | 'git'> & {
  machine: Omit<ResultFile['machine'], 'loadAverageAfter'>;
  /** The checkout when the run began. */
  gitAtStart: GitState | null;
  /** Where this run's builds and commands begin in lib/builds.ts's record. */
  codeStartMark: number;
};

const sameState = (a: GitState | null, b: GitState | null) => a?.commit === b?.commit && a?.dirty === b?.dirty;

/** The result file's git field: the code the run's servers and commands started from (see ResultFile). */
export function measuredCode(atStart: GitState | null, starts: readonly (GitState | null)[]): ResultFile['git'] {
  if (!starts.length) return atStart;
  const first = starts[0]!;
  const later = starts.slice(1).filter((s, i, all) => !sameState(s, first) && all.findIndex((o) => sameState(o, s)) === i);
  if (!first) return null;
  return {
    ...first,
    ...(sameState(atStart, first) ? {} : { atStart }),
    ...(later.length ? { laterStarts: later } : {}),
  };
}

/** Everything about the run that is not a measurement, taken before it starts. */
export function describeRun(scenario: string, ctx: BenchContext): RunInfo {
  return {
    scenario,
    startedAt: new Date().toISOString(),
    settings: {
      durationSec: ctx.durationSec,
      warmupSec: ctx.warmupSec,
      connections: ctx.connections,
      rounds: ctx.rounds,
      ...(GAZETTE_NODE_OPTIONS ? { gazetteNodeOptions: GAZETTE_NODE_OPTIONS } : {}),
      engines: ctx.engines.map((e) => e.label),
      ...(ctx.postgresSkipped ? { postgresSkipped: ctx.postgresSkipped } : {}),
    },
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      ...Object.fromEntries(ctx.engines.flatMap((e) => (e.kind === 'postgres' ? [['postgres', e.description]] : []))),
      loadAverageBefore: os.loadavg(),
    },
    gitAtStart: gitState(),
    codeStartMark: codeStartMark(),
  };
}

/** Writes one scenario's result file and rebuilds latest.md. */
export function writeResult(run: RunInfo, report: ScenarioReport): { file: string; result: ResultFile } {
  const { gitAtStart, codeStartMark: mark, ...info } = run;
  const result: ResultFile = {
    ...info,
    finishedAt: new Date().toISOString(),
    machine: { ...run.machine, loadAverageAfter: os.loadavg() },
    git: measuredCode(gitAtStart, codeStartsSince(mark)),
    ...report,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // ISO 8601 basic-ish form: colons are not allowed in file names everywhere.
  const stamp = result.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const file = path.join(RESULTS_DIR, `${result.scenario}-${stamp}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  rebuildLatest();
  return { file, result };
}

/** Rebuilds latest.md from the newest result file of each scenario (also after merging others' results). */
export function rebuildLatest(): void {
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.md'), renderLatest(readNewest()));
}

/** The newest result file of each scenario, ordered by scenario name. */
function readNewest(): ResultFile[] {
  const newest = new Map<string, ResultFile>();
  for (const name of fs.readdirSync(RESULTS_DIR)) {
    if (!name.endsWith('.json')) continue;
    let result: ResultFile;
    try {
      result = JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, name), 'utf8')) as ResultFile;
    } catch {
      continue; // A file someone edited by hand: leave it out of the summary rather than fail the run.
    }
    if (typeof result.scenario !== 'string' || typeof result.startedAt !== 'string') continue;
    const seen = newest.get(result.scenario);
    if (!seen || seen.startedAt < result.startedAt) newest.set(result.scenario, result);
  }
  return [...newest.values()].sort((a, b) => a.scenario.localeCompare(b.scenario));
}

// Older result files may lack a figure added since, and a figure that could not be computed is stored
// as null (JSON has no NaN): show either as blank rather than fail.
const num = (value: number | null | undefined, digits = 0) =>
  value === undefined || value === null || !Number.isFinite(value) ? '' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mark = (pass: boolean) => (pass ? '✓ pass' : '✗ FAIL');

const describeState = (state: GitState | null | undefined) =>
  state ? `${state.commit}${state.dirty ? ' with uncommitted changes in src/ or bin/' : ''}` : 'outside a git checkout';

/** The commit measured, and the others the run met (older result files hold the commit at the start only). */
function gitLine(git: ResultFile['git']): string {
  if (!git) return '';
  const atStart = git.atStart !== undefined ? ` (the run began at ${describeState(git.atStart)})` : '';
  const later = git.laterStarts?.length ? `; **later servers or commands ran ${git.laterStarts.map(describeState).join(', ')}**` : '';
  return `; commit ${describeState(git)}${atStart}${later}`;
}

/** One scenario as Markdown: the load runs, the other figures, the checks. Also printed to the terminal. */
export function renderScenario(result: ResultFile): string {
  const s = result.settings;
  const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(' ');
  const lines = [
    `## ${result.scenario} — ${result.startedAt.replace(/\.\d+Z$/, 'Z')}`,
    '',
    `${s.durationSec} s measured after ${s.warmupSec} s warm-up, ${s.connections} connections` +
      `${s.rounds > 1 ? `, ${s.rounds} alternating rounds (figures and checks use medians)` : ''}` +
      `${s.gazetteNodeOptions ? `, **Gazette run with BENCH_NODE_OPTIONS="${s.gazetteNodeOptions}"**` : ''}; node ${result.machine.node}, ` +
      `${result.machine.cpus} CPUs, load average ${load(result.machine.loadAverageBefore)} before, ${load(result.machine.loadAverageAfter)} after` +
      gitLine(result.git) +
      '.',
    '',
  ];
  if (s.engines && s.engines.length) {
    lines.push(`Engines: ${s.engines.join(', ')}${result.machine.postgres ? ` (${result.machine.postgres})` : ''}.${s.postgresSkipped ? ` ${s.postgresSkipped}` : ''}`, '');
  }
  if (result.loads.length) {
    // The PostgreSQL backends' CPU, shown when a run measured it.
    const db = result.loads.some((r) => r.databaseCpuPct !== undefined);
    lines.push(
      `| run | req/s | p50 ms | p99 ms | max ms | errors | non-2xx | peak RSS MB | server CPU % |${db ? ' database CPU % |' : ''} client CPU % | req per server CPU-s |`,
      `|---|--:|--:|--:|--:|--:|--:|--:|--:|${db ? '--:|' : ''}--:|--:|`,
    );
    for (const r of result.loads) {
      lines.push(
        `| ${r.label} | ${num(r.requestsPerSec)} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.errors} | ${r.non2xx} | ${num(r.peakRssMb, 1)} | ` +
          `${num(r.serverCpuPct)} |${db ? ` ${num(r.databaseCpuPct)} |` : ''} ${num(r.clientCpuPct)} | ${num(r.responsesPerCpuSec)} |`,
      );
    }
    lines.push('');
  }
  const value = (f: Figure) => `${num(f.value, f.unit === '%' || Math.abs(f.value) < 100 ? 1 : 0)} ${f.unit}`;
  // Figures measured on an engine, one column per engine, in the order the engines first appear.
  const perEngine = result.figures.filter((f) => f.engine !== undefined);
  if (perEngine.length) {
    const engines = [...new Set(perEngine.map((f) => f.engine!))];
    const rows = new Map<string, Map<string, Figure>>();
    for (const f of perEngine) {
      if (!rows.has(f.label)) rows.set(f.label, new Map());
      rows.get(f.label)!.set(f.engine!, f);
    }
    lines.push(`| figure | ${engines.join(' | ')} |`, `|---|${engines.map(() => '--:|').join('')}`);
    for (const [label, byEngine] of rows) lines.push(`| ${label} | ${engines.map((e) => (byEngine.has(e) ? value(byEngine.get(e)!) : '')).join(' | ')} |`);
    lines.push('');
  }
  const shared = result.figures.filter((f) => f.engine === undefined);
  if (shared.length) {
    lines.push('| figure | value |', '|---|--:|');
    for (const f of shared) lines.push(`| ${f.label} | ${value(f)} |`);
    lines.push('');
  }
  if (result.checks.length) {
    lines.push('| check | kind | target | measured | |', '|---|---|---|---|---|');
    for (const c of result.checks) lines.push(`| ${c.label} | ${c.kind} | ${c.target} | ${c.measured} | ${mark(c.pass)} |`);
    lines.push('');
  }
  for (const note of result.notes) lines.push(`- ${note}`);
  if (result.notes.length) lines.push('');
  return lines.join('\n');
}

function renderLatest(results: ResultFile[]): string {
  return [
    '# Latest benchmark results',
    '',
    'Written by `npm run bench` from the newest `<scenario>-<date>.json` of each scenario in this folder.',
    'Absolute figures depend on the machine and on what else it runs; compare ratios, and runs made together.',
    '',
    ...results.map(renderScenario),
  ].join('\n');
}
