// When the database goes away while the site is serving: pages in the cache keep being served, pages
// that need the database answer 503 with a clear page, and the site recovers by itself when the
// database returns. The database is cut off for real, by a TCP relay between the server and
// PostgreSQL that the test closes and opens again. (An embedded SQLite file cannot go away.)
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { ENGINE, freshDatabase, type TestDatabase } from './helpers/database.ts';
import { SEED_PATH, startTestServer, type TestServer } from './helpers/server.ts';

const skip = ENGINE !== 'postgres' ? 'an embedded SQLite file cannot go away while the server holds it' : false;

/** A relay on a loopback port to the PostgreSQL server; cut() drops every connection and refuses new ones. */
function relay(to: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const open = () =>
    new Promise<number>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(to.port || 5432), to.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve(port);
      });
    });
  return {
    open,
    async cut() {
      await new Promise<void>((resolve) => {
        server?.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

let database: TestDatabase;
let link: ReturnType<typeof relay>;
let server: TestServer;

before(async () => {
  if (skip) return;
  database = await freshDatabase();
  const url = new URL(database.url);
  link = relay(new URL(database.url));
  url.port = String(await link.open());
  url.hostname = '127.0.0.1';
  server = await startTestServer({ env: { DATABASE_URL: url.toString() } });
});

after(async () => {
  if (skip) return;
  await server?.close();
  await link.cut();
  await database.drop();
});

const get = (path: string) => fetch(server.url + path);

test('cached pages are served, others answer 503, and the site recovers when the database returns', { skip }, async () => {
  assert.equal((await get(SEED_PATH)).status, 200, 'the article page is rendered and cached');
  assert.equal((await get('/search?q=document')).status, 200);

  await link.cut();

  const cached = await get(SEED_PATH);
  assert.equal(cached.status, 200, 'a cached page needs no database');
  assert.match(await cached.text(), /<h1[^>]*>[^<]*confidential/i);

  const uncached = await get('/search?q=embassy');
  assert.equal(uncached.status, 503);
  assert.equal(uncached.headers.get('retry-after'), '5');
  assert.equal(uncached.headers.get('cache-control'), 'no-store');
  for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'permissions-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy']) {
    assert.ok(uncached.headers.get(name), `the 503 page carries ${name}`);
  }
  const page = await uncached.text();
  assert.match(page, /Back in a moment/);
  assert.match(page, /cannot reach its database/);
  assert.doesNotMatch(page, /ECONNREFUSED|postgres|stack/i, 'no technical detail for readers');

  await link.open();

  // The pool opens new connections on the next request; no restart, no fixed wait.
  let status = 0;
  for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
    status = (await get(`/search?q=ministry&attempt=${attempt}`)).status;
    if (status !== 200) await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(status, 200, 'the site answers again once the database is back');
});
