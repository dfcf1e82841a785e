#!/usr/bin/env node
// Bundles the TypeScript sources into dist/gazette.mjs for long-running servers (`npm start`).
// Packages stay external (better-sqlite3 is native); only our own modules are bundled. The bundle spares
// the server tsx's loader thread, about 40-50 MB of resident memory (docs/decisions/0006-bundled-server.md).
import { build } from 'esbuild';
import path from 'node:path';
import { buildEditor } from './build-editor.mjs';

const root = path.resolve(import.meta.dirname, '..');
// The search worker threads (src/search/search.pool.ts) load dist/search-worker.mjs beside the server, and
// the import's reading thread (src/import/wxr.ahead.ts) dist/import-worker.mjs.
await build({
  entryPoints: {
    gazette: path.join(root, 'src/cli/main.ts'),
    'search-worker': path.join(root, 'src/search/search.worker.ts'),
    'import-worker': path.join(root, 'src/import/wxr.thread.ts'),
  },
  outdir: path.join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // The map is there so that `--enable-source-maps` turns a stack trace's lines into src/ lines. Node
  // reads every map at start and keeps it: the sources' text in it cost the server about 2.5 MB of heap
  // and 12 MB of RSS at rest, for nothing a trace uses (the sources are in the repository; decision 0071).
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});
// The admin's body editor, for the browser: dist/admin-assets/editor.js (decision 0021).
await buildEditor();
