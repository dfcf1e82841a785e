// The code a run measured. A server runs the bundle built when it starts, and a `gazette` command runs
// the sources as they are when it starts; a run may start its first server long after it begins (a
// 100,000-article corpus takes half an hour to load), so a commit taken at the run's start can name
// code that never ran. Every build and every command therefore notes the checkout it starts from, and
// the result file names those (lib/results.ts).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildAndGetServeArgs } from '../../scripts/start-command.mjs';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** A checkout's commit, and whether src/ or bin/ held uncommitted changes. */
export interface GitState {
  commit: string;
  dirty: boolean;
}

/** The checkout now, or null outside a git checkout (the figures stand without it). */
export function gitState(): GitState | null {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bin'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

const started: (GitState | null)[] = [];

/** Notes the checkout code is about to start from (a build, or a `gazette` command running the sources). */
export function noteCodeStart(): void {
  started.push(gitState());
}

/**
 * Builds dist/gazette.mjs as `npm start` does and returns the node arguments of its serve step, after
 * noting the checkout it is built from. The state is read just before the build: the build reads
 * the same files a moment later.
 */
export function buildServer(): string[] {
  noteCodeStart();
  return buildAndGetServeArgs(REPO_ROOT);
}

/** A mark to pass to codeStartsSince: the starts noted so far. */
export function codeStartMark(): number {
  return started.length;
}

/** The checkouts code started from since a mark, in order. */
export function codeStartsSince(mark: number): readonly (GitState | null)[] {
  return started.slice(mark);
}
