#!/usr/bin/env node
// `npm test`: type-check, then run every *.test.ts under tests/ and src/ with node's test runner.
// Node 20's runner does not expand globs and `node --test dir/` runs nothing, so files are collected
// here, and finding none is an error. Arguments narrow the run: `npm test -- tests/config.test.ts`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);

function collect(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts') && !f.split(path.sep).includes('node_modules'))
    .map((f) => path.join(dir, f));
}

const files = args.length ? args.map((a) => path.resolve(a)) : [...collect(path.join(root, 'tests')), ...collect(path.join(root, 'src'))].sort();
if (!files.length) {
  console.error('No test files found under tests/ or src/.');
  process.exit(1);
}

if (!args.length) {
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root], { stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.error('Type check failed.');
    process.exit(tsc.status ?? 1);
  }
}

const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...files], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
