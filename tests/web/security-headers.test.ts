// Every kind of response carries the full set of security headers (decision 0015): pages, feeds,
// sitemaps, assets, redirects, 304s, every error page, and the answers Fastify and Node give before any
// hook runs (a malformed address, a malformed request, headers too large). HSTS only when PUBLIC_URL is https.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fields, postComment, readForm } from '../comments/helpers.ts';
import { SEED_PATH, startTestServer, type TestServer } from '../helpers/server.ts';

/** The headers and the values every response must carry. */
const EXPECTED: Record<string, RegExp> = {
  'content-security-policy': /^default-src 'self';\s*img-src 'self' https: data:;\s*style-src 'self';\s*script-src 'self';\s*form-action 'self';\s*frame-ancestors 'none';\s*base-uri 'self';\s*object-src 'none'$/,
  'x-content-type-options': /^nosniff$/,
  'referrer-policy': /^strict-origin-when-cross-origin$/,
  'permissions-policy': /^(?=.*\bcamera=\(\))(?=.*\bmicrophone=\(\))(?=.*\bgeolocation=\(\))(?=.*\bbrowsing-topics=\(\))/,
  'cross-origin-opener-policy': /^same-origin$/,
  'cross-origin-resource-policy': /^same-origin$/,
  'x-frame-options': /^DENY$/,
};
const HSTS = /^max-age=31536000$/;

interface Answer {
  status: number;
  headers: Record<string, string>;
}

/** Sends raw bytes and reads the whole answer until the server closes: for what fetch cannot send. */
function rawExchange(url: string, bytes: string): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(':');
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers });
    });
  });
}

async function answer(response: Response): Promise<Answer> {
  await response.arrayBuffer();
  return { status: response.status, headers: Object.fromEntries(response.headers) };
}

/** One request of each kind of response, with the status it must get. */
function responseKinds(server: TestServer): Array<[string, number, () => Promise<Answer>]> {
  const get = (path: string, headers: Record<string, string> = {}) => async () => answer(await fetch(server.url + path, { headers, redirect: 'manual' }));
  return [
    ['article', 200, get(SEED_PATH)],
    ['home', 200, get('/')],
    ['section', 200, get('/news/')],
    ['search', 200, get('/search?q=document')],
    ['RSS feed', 200, get('/feed.xml')],
    ['JSON feed', 200, get('/feed.json')],
    ['sitemap', 200, get('/sitemap.xml')],
    ['robots.txt', 200, get('/robots.txt')],
    ['stylesheet', 200, async () => {
      const home = await (await fetch(server.url + '/')).text();
      const href = /<link rel="stylesheet" href="([^"]+)"/.exec(home)?.[1];
      assert.ok(href, 'the home page links its stylesheet');
      return answer(await fetch(new URL(href, server.url)));
    }],
    ['304 of an article', 304, async () => {
      const etag = (await fetch(server.url + SEED_PATH)).headers.get('etag')!;
      return get(SEED_PATH, { 'if-none-match': etag })();
    }],
    ['301 to the canonical address', 301, get('/News/Disclosure-Of-Confidential-Document')],
    ['comment post (303)', 303, async () => {
      const sent = await postComment(server, fields(await readForm(server, SEED_PATH)));
      return { status: sent.status, headers: Object.fromEntries(sent.headers) };
    }],
    ['404', 404, get('/no-such-section/no-such-article')],
    ['400 of a bad page number', 400, get('/?page=abc')],
    ['400 of malformed percent-encoding', 400, get('/news/%E0%A4%A')],
    ['404 of a 1,500-character path segment', 404, get(`/news/${'a'.repeat(1500)}`)],
    ['414 of a long address', 414, get(`/news/${'a'.repeat(3000)}`)],
    ['414 of a long query', 414, get(`/search?q=${'x'.repeat(2100)}`)],
    ['413 of a large body', 413, async () =>
      answer(await fetch(`${server.url}/comments`, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, body: `comment=${'x'.repeat(300 * 1024)}` }))],
    ['431 of headers too large', 431, () => rawExchange(server.url, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`)],
    ['400 of a malformed request', 400, () => rawExchange(server.url, 'NOT HTTP AT ALL\r\n\r\n')],
  ];
}

for (const https of [false, true]) {
  describe(`security headers, PUBLIC_URL ${https ? 'https' : 'http'}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({
        env: { COMMENTS_MIN_SECONDS: '0', COMMENTS_MODERATION: 'hold-all', ...(https ? { PUBLIC_URL: 'https://gazette.test' } : {}) },
      });
    });
    after(() => server.close());

    test('every kind of response carries them', async () => {
      for (const [kind, status, send] of responseKinds(server)) {
        const got = await send();
        assert.equal(got.status, status, kind);
        for (const [name, value] of Object.entries(EXPECTED)) assert.match(got.headers[name] ?? '(missing)', value, `${kind}: ${name}`);
        if (https) assert.match(got.headers['strict-transport-security'] ?? '(missing)', HSTS, `${kind}: strict-transport-security`);
        else assert.equal(got.headers['strict-transport-security'], undefined, `${kind}: no HSTS over http`);
      }
    });
  });
}
