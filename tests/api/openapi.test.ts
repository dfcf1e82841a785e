// The OpenAPI document at /api/openapi.json: valid OpenAPI 3.1 by a well-kept validator
// (@seriousme/openapi-schema-validator), made from the same zod schemas that check requests, and every
// operation it documents is called here at least once with its answer validated against it. An endpoint
// added without an example below fails the last test: add one to EXAMPLES (tests/helpers/openapi.ts
// validates the answer).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createApiToken } from '../../src/accounts/api-token.service.ts';
import { ApiClient } from '../helpers/openapi.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** One or more calls per documented operation; each answer is checked by the client. */
const EXAMPLES: Record<string, (api: ApiClient, ctx: { adminToken: string }) => Promise<unknown>> = {
  'GET /api/content/articles': (api) => api.get('/api/content/articles?limit=2'),
  'GET /api/content/articles/{id}': async (api) => {
    const list = await api.get<{ data: { id: number }[] }>('/api/content/articles?limit=1');
    await api.get(`/api/content/articles/${list.body.data[0]!.id}`);
    await api.get('/api/content/articles/999999');
  },
  'GET /api/content/sections': (api) => api.get('/api/content/sections'),
  'GET /api/content/tags': (api) => api.get('/api/content/tags'),
  'GET /api/content/authors': (api) => api.get('/api/content/authors'),
  'GET /api/content/pages': (api) => api.get('/api/content/pages'),
  'GET /api/content/search': async (api) => {
    await api.get('/api/content/search?q=document');
    await api.get('/api/content/search?q=zzzznothing');
  },
  'GET /api/admin/me': async (api, { adminToken }) => {
    await api.get('/api/admin/me', { authorization: `Bearer ${adminToken}` });
    await api.get('/api/admin/me');
  },
};

describe('the OpenAPI document', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;
  before(async () => {
    server = await startTestServer({});
    api = await ApiClient.open(server);
    adminToken = (await createApiToken(server.store, null, { kind: 'admin', name: 'OpenAPI test', role: 'editor' })).token;
  });
  after(() => server.close());

  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(api.document);
    assert.equal(validator.version, '3.1');
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  });

  it('a broken document is refused by the same validator (the check can fail)', async () => {
    const broken = structuredClone(api.document) as { paths: Record<string, Record<string, { responses?: unknown }>> };
    broken.paths['/api/content/tags']!.get!.responses = 'none';
    const result = await new Validator().validate(broken as unknown as Record<string, unknown>);
    assert.equal(result.valid, false);
  });

  it('documents the Content API and the Admin API, with the error shape as a component', () => {
    for (const op of ['GET /api/content/articles', 'GET /api/content/articles/{id}', 'GET /api/admin/me']) assert.ok(api.documented.includes(op), op);
    const schemas = (api.document.components as { schemas: Record<string, unknown> }).schemas;
    assert.ok(schemas.Error && schemas.Article, 'named schemas are components');
    assert.ok(!api.documented.some((op) => op.includes('/docs') || op.endsWith('/openapi.json')), 'the docs themselves are not endpoints');
  });

  it('is served with the readable docs from the project, without a CDN', async () => {
    const page = await fetch(`${server.url}/api/docs`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(scripts.length >= 2);
    for (const src of [...scripts, ...[...html.matchAll(/<link rel="stylesheet" type="text\/css" href="([^"]+)"/g)].map((m) => m[1]!)]) {
      assert.ok(src.startsWith('/api/docs/'), `${src} is served by the site`);
      assert.equal((await fetch(server.url + src)).status, 200, src);
    }
    const init = await (await fetch(`${server.url}/api/docs/static/swagger-initializer.js`)).text();
    // Code only (its comments cite a web page): nothing is fetched from elsewhere, not even the spec validator.
    const code = init.split('\n').filter((line) => !line.trim().startsWith('//')).join('\n');
    assert.doesNotMatch(code, /https?:\/\//, 'no outside address');
    assert.match(code, /validatorUrl: null/);
  });

  it('every documented operation is exercised, and every answer matches the document', async () => {
    // The Admin API's own operations are each exercised with a token and with a session, their answers
    // checked by the same client, in tests/api/admin.test.ts (which fails when one is not).
    const elsewhere = (op: string) => op.includes(' /api/admin/') && op !== 'GET /api/admin/me';
    const missing = api.documented.filter((op) => !(op in EXAMPLES) && !elsewhere(op));
    assert.deepEqual(missing, [], 'add an example for each new endpoint to EXAMPLES');
    for (const run of Object.values(EXAMPLES)) await run(api, { adminToken });
    assert.deepEqual(api.documented.filter((op) => !api.exercised.has(op) && !elsewhere(op)), []);
  });

  it('the checker catches an answer that does not match the document', () => {
    assert.throws(() => api.check('GET', '/api/content/tags', 200, new Headers({ 'content-type': 'application/json' }), { data: [{ id: 'one' }] }), /does not match/);
    assert.throws(() => api.check('GET', '/api/content/tags', 418, new Headers({ 'content-type': 'application/json' }), {}), /does not list/);
    assert.throws(() => api.check('GET', '/api/nowhere', 200, new Headers(), {}), /not in the OpenAPI document/);
  });
});
