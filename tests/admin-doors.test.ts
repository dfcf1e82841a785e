// Every door of /admin, walked from the app's own route table (so a screen added later is covered
// without editing this test): signed out, a GET is sent to sign in and a write is refused, and no page
// answers 500. Signed in as a contributor, the administrators' doors are closed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminClient, createAccount, signIn } from './helpers/admin.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** A concrete address for a route pattern: ids become 1, other parameters a word. */
const concrete = (url: string) => url.replace(/:id\b|:revision\b/g, '1').replace(/:[a-zA-Z]+/g, 'x');

describe('the doors of /admin', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ demo: false });
  });
  after(() => server.close());

  it('knows its routes', () => {
    assert.ok(server.app.adminRoutes.length >= 20, `only ${server.app.adminRoutes.length} routes`);
    assert.ok(server.app.adminRoutes.some((r) => r.url === '/admin/users' && r.method === 'GET'));
  });

  it('sends signed-out readers to sign in, and refuses their writes, on every route', async () => {
    const client = new AdminClient(server);
    await client.get('/admin/sign-in');
    const problems: string[] = [];
    for (const route of server.app.adminRoutes.filter((r) => !r.signedOut)) {
      const url = concrete(route.url);
      const answer = route.method === 'GET' ? await client.get(url) : await client.post(url, { anything: 'x' });
      const expected = route.method === 'GET' ? [303] : [401];
      if (!expected.includes(answer.status)) problems.push(`${route.method} ${url}: ${answer.status}`);
      if (route.method === 'GET' && !answer.location?.startsWith('/admin/sign-in')) problems.push(`${route.method} ${url}: to ${answer.location}`);
    }
    assert.deepEqual(problems, []);
  });

  it('never answers a signed-in GET with a 500, and closes the administrators’ doors to a contributor', async () => {
    const contributor = await createAccount(server, { role: 'contributor' });
    const client = await signIn(server, contributor.email);
    const problems: string[] = [];
    for (const route of server.app.adminRoutes.filter((r) => r.method === 'GET' && !r.signedOut)) {
      for (const url of [concrete(route.url), route.url.replace(/:[a-zA-Z]+/g, 'not-an-id')]) {
        const answer = await client.get(url);
        if (answer.status >= 500) problems.push(`GET ${url}: ${answer.status}`);
      }
    }
    for (const url of ['/admin/users', '/admin/audit', '/admin/users/1', '/admin/comments', '/admin/sections', '/admin/settings']) {
      if (!server.app.adminRoutes.some((r) => r.method === 'GET' && concrete(r.url) === url)) continue;
      const answer = await client.get(url);
      if (answer.status !== 403) problems.push(`GET ${url} as a contributor: ${answer.status}`);
    }
    assert.deepEqual(problems, []);
  });
});
