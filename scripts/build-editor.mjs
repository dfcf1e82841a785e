// Bundles the admin's body editor (src/web/admin/editor/main.ts, with Tiptap and ProseMirror) into one
// minified file, editor.js, without source maps: the admin serves it from dist/admin-assets/ under
// /admin/assets/ (src/web/admin/assets.ts). Nothing comes from a CDN. Used by build.mjs and test.mjs.
import { build } from 'esbuild';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The folder the build writes admin assets to, read by loadAdminAssets. */
export const ADMIN_ASSETS_OUT = path.join(root, 'dist/admin-assets');

/** Writes editor.js into `outdir`; resolves to its size in bytes. */
export async function buildEditor(outdir = ADMIN_ASSETS_OUT) {
  const result = await build({
    entryPoints: { editor: path.join(root, 'src/web/admin/editor/main.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    minify: true,
    sourcemap: false,
    legalComments: 'eof',
    loader: { '.css': 'text' },
    metafile: true,
    logLevel: 'warning',
  });
  return Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bytes = await buildEditor(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`editor.js: ${bytes} bytes`);
}
