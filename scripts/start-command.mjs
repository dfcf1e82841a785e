// Reads package.json's start script ("node scripts/build.mjs && node FLAGS dist/gazette.mjs serve") and
// returns the node arguments of its serve step, so tests and benchmarks run exactly what `npm start` runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Builds dist/gazette.mjs, then returns the node arguments of `npm start`'s serve step (absolute paths). */
export function buildAndGetServeArgs(root) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const serve = pkg.scripts?.start?.split('&&').at(-1)?.trim().split(/\s+/) ?? [];
  if (serve[0] !== 'node' || serve.at(-2) !== 'dist/gazette.mjs' || serve.at(-1) !== 'serve')
    throw new Error(`package.json's start script should end with "node [flags] dist/gazette.mjs serve", got "${pkg.scripts?.start}"`);
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  return [...serve.slice(1, -2), path.join(root, 'dist', 'gazette.mjs'), 'serve'];
}
