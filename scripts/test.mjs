#!/usr/bin/env node
// `npm test`: type-check, then run every *.test.ts under tests/ and src/ with node's test runner, once
// on SQLite and once more on PostgreSQL when TEST_DATABASE_URL names a server (.ci/run sets it). Node
// 20's runner does not expand globs and `node --test dir/` runs nothing, so files are collected here,
// and finding none is an error. Arguments narrow the run: `npm test -- tests/config.test.ts`.
// GAZETTE_TEST_ENGINE=sqlite or =postgres runs one pass only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildEditor } from './build-editor.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);

function collect(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts') && !f.split(path.sep).includes('node_modules'))
    .map((f) => path.join(dir, f));
}

// Admin pages load the bundled body editor from dist/admin-assets/ (about a second to build).
await buildEditor();

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

const failuresDir = mkdtempSync(path.join(os.tmpdir(), 'gazette-test-failures-'));
const reporters = (engine) => [
  '--test-reporter=tap',
  '--test-reporter-destination=stdout',
  `--test-reporter=${path.join(root, 'scripts/failures-reporter.mjs')}`,
  `--test-reporter-destination=${path.join(failuresDir, engine)}`,
];

/** The failures scripts/failures-reporter.mjs wrote for one engine's pass ('' when there were none). */
function failuresOf(engine) {
  const file = path.join(failuresDir, engine);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
}

/** Runs the files on one engine, echoing the TAP output; resolves to its exit status and counts. */
function pass(engine) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...reporters(engine), ...files], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: root,
      env: { ...process.env, GAZETTE_TEST_ENGINE: engine },
    });
    const counts = { pass: 0, fail: 0, skipped: 0 };
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const text = tail + chunk.toString('utf8');
      const lines = text.split('\n');
      tail = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^# (pass|fail|skipped) (\d+)$/.exec(line);
        if (m) counts[m[1]] = Number(m[2]);
      }
    });
    child.on('close', (status) => resolve({ engine, status: status ?? 1, ...counts }));
  });
}

const only = process.env.GAZETTE_TEST_ENGINE;
const engines = only ? [only] : ['sqlite', 'postgres'];
const results = [];
for (const engine of engines) {
  if (engine === 'postgres' && !process.env.TEST_DATABASE_URL) {
    console.log('# PostgreSQL pass skipped: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)');
    continue;
  }
  console.log(`# ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} pass`);
  results.push(await pass(engine));
}

for (const r of results) {
  const failed = failuresOf(r.engine);
  if (failed) console.log(`# failed on ${r.engine}:\n${failed.replace(/^/gm, '#   ')}`);
}
rmSync(failuresDir, { recursive: true, force: true });
for (const r of results) console.log(`# ${r.engine}: ${r.pass} passed, ${r.fail} failed, ${r.skipped} skipped`);
const sum = (k) => results.reduce((n, r) => n + r[k], 0);
console.log(`total: ${sum('pass')} passed, ${sum('fail')} failed, ${sum('skipped')} skipped`);
process.exit(results.some((r) => r.status !== 0) ? 1 : 0);
