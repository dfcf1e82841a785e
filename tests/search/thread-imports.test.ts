// A search thread loads only what searching needs (decision 0050): the packages for pictures, mail and
// the cleaning of bodies as they are written are loaded on first use (src/lib/on-demand.ts), so the
// thread's bundle must not import them at its start. The check bundles the thread's entry as `npm start`
// does and reads which packages the bundle imports statically. The server's own start is checked the same
// way for the packages only signing in, two-step setup, webhooks and PostgreSQL need (decision 0053).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../..');

/** Packages a search thread never uses; each costs every thread memory when it is loaded. */
const NOT_FOR_SEARCH = ['sharp', 'exif-reader', 'file-type', 'nodemailer', 'markdown-it', 'sanitize-html', 'htmlparser2', 'pg'];
/** Packages a server that only serves readers on SQLite never uses: loaded on first use, or by openStore for postgres://. */
const NOT_AT_START = ['pg', '@node-rs/argon2', 'qrcode', 'standardwebhooks'];

async function staticPackageImports(entry: string): Promise<Set<string>> {
  const result = await build({ entryPoints: [path.join(root, entry)], bundle: true, platform: 'node', format: 'esm', packages: 'external', write: false, metafile: true, outdir: '/nonexistent', logLevel: 'silent' });
  const imported = new Set<string>();
  for (const output of Object.values(result.metafile.outputs))
    for (const i of output.imports) if (i.external && i.kind === 'import-statement') imported.add(i.path);
  return imported;
}

describe('the search thread', () => {
  it('imports no package for pictures, mail or writing bodies at its start', async () => {
    const imported = await staticPackageImports('src/search/search.worker.ts');
    assert.ok(imported.has('better-sqlite3'), 'the check sees the packages the thread does import');
    assert.deepEqual(NOT_FOR_SEARCH.filter((p) => imported.has(p)), []);
  });

  it('the server still imports what it needs at its start, and loads the rest from one place', async () => {
    const imported = await staticPackageImports('src/cli/main.ts');
    // The WordPress import's DOM (see on-demand.ts); every other listed package only through on-demand.ts.
    assert.deepEqual(NOT_FOR_SEARCH.filter((p) => imported.has(p)), ['htmlparser2']);
    assert.deepEqual(NOT_AT_START.filter((p) => imported.has(p)), []);
    assert.ok(imported.has('better-sqlite3') && imported.has('fastify'), 'the check sees the packages the server does import');
  });
});
