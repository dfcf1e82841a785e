#!/usr/bin/env node
// Bundles the TypeScript sources into dist/gazette.mjs for long-running servers (`npm start`).
// Packages stay external (better-sqlite3 is native); only our own modules are bundled. The bundle spares
// the server tsx's loader thread, about 40-50 MB of resident memory (docs/decisions/0006-bundled-server.md).
import { build } from 'esbuild';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
await build({
  entryPoints: [path.join(root, 'src/cli/main.ts')],
  outfile: path.join(root, 'dist/gazette.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
