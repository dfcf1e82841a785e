// The body editor's bundle as the admin serves it: built by `npm test` and `npm run build`
// (scripts/build-editor.mjs) into dist/admin-assets/, fingerprinted and cached for a year under
// /admin/assets/ without a session, one minified file with no source map and nothing from a CDN, and
// kept lean: a budget on its gzipped size (decision 0021 records the size).
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { loadAdminAssets } from '../../src/web/admin/assets.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const GZIP_BUDGET = 140_000;

describe('the body editor bundle', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ demo: false });
  });
  after(() => server.close());

  it('is served fingerprinted under /admin/assets/, signed out, cached for a year', async () => {
    const publicPath = loadAdminAssets().path('editor.js');
    assert.match(publicPath, /^\/admin\/assets\/editor\.[0-9a-f]{12}\.js$/);
    const response = await fetch(new URL(publicPath, server.url));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const code = await response.text();
    assert.ok(code.includes('data-body-editor'), 'the editor looks for its textareas');
    assert.doesNotMatch(code, /sourceMappingURL/);
    assert.doesNotMatch(code, /(?:import|from)\s*\(?\s*["']https?:/, 'nothing is loaded from another site');
    const gzipped = gzipSync(Buffer.from(code), { level: 9 }).length;
    assert.ok(gzipped < GZIP_BUDGET, `editor.js is ${gzipped} bytes gzipped, over the budget of ${GZIP_BUDGET}`);
  });

  it('is sent on from another build\'s fingerprint to this build\'s (decision 0076), and an unknown file is 404', async () => {
    const publicPath = loadAdminAssets().path('editor.js');
    const moved = await fetch(new URL('/admin/assets/editor.000000000000.js', server.url), { redirect: 'manual' });
    assert.equal(moved.status, 307);
    assert.equal(moved.headers.get('location'), publicPath);
    assert.equal(moved.headers.get('cache-control'), 'no-store');
    assert.equal((await fetch(new URL('/admin/assets/nothing.000000000000.js', server.url), { redirect: 'manual' })).status, 404);
  });
});
