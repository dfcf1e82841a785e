// Time and connection limits of the HTTP server (issue 10, defect 4; decision 0015), over real sockets:
// a request whose body (or headers) stall is answered 408 and closed within REQUEST_TIMEOUT_MS and
// logged; an address over MAX_CONNECTIONS_PER_ADDRESS is refused while other addresses are served; the
// server's total is capped by MAX_CONNECTIONS; an idle keep-alive connection is closed.
// The limits are set short here so that each test waits only on the server closing a socket.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** The log lines a server writes, parsed, and a way to wait for one. */
function logReader() {
  const stream = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  let waiting: Array<() => void> = [];
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as Record<string, unknown>);
    for (const wake of waiting) wake();
    waiting = [];
  });
  return {
    stream,
    lines,
    /** Resolves with the first line that matches, once it is written. */
    async waitFor(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
      for (;;) {
        const found = lines.find(match);
        if (found) return found;
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    },
  };
}

interface Exchange {
  socket: net.Socket;
  /** Everything the server sent until it closed the connection. */
  closed: Promise<string>;
  /** Resolves when the server has sent this many complete responses on the connection. */
  responses(n: number): Promise<string>;
}

/** A raw connection to the server from a local address (127.0.0.1 unless given). */
function connect(server: TestServer, localAddress = '127.0.0.1'): Exchange {
  const { hostname, port } = new URL(server.url);
  const socket = net.connect({ port: Number(port), host: hostname, localAddress });
  let text = '';
  let wake: () => void = () => {};
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    text += chunk;
    wake();
  });
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(text)));
  return {
    socket,
    closed,
    async responses(n) {
      while ((text.match(/^HTTP\/1\.1 /gm) ?? []).length < n || !completeResponses(text, n)) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
      return text;
    },
  };
}

/** True when the text holds n complete responses with Content-Length bodies. */
function completeResponses(text: string, n: number): boolean {
  let at = 0;
  for (let i = 0; i < n; i++) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) return false;
    const length = Number(/content-length: (\d+)/i.exec(text.slice(at, end))?.[1] ?? 0);
    at = end + 4 + length;
    if (at > Buffer.byteLength(text, 'latin1')) return false;
  }
  return true;
}

/** GET / from a local address over a new connection: the status. */
function getFrom(server: TestServer, localAddress: string): Promise<number> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.get({ host: hostname, port: Number(port), path: '/robots.txt', localAddress, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
  });
}

const KEEP_ALIVE_GET = 'GET /robots.txt HTTP/1.1\r\nHost: gazette.test\r\nConnection: keep-alive\r\n\r\n';

describe('stalled requests', () => {
  let server: TestServer;
  const log = logReader();
  before(async () => {
    server = await startTestServer({ env: { REQUEST_TIMEOUT_MS: '500', LOG_LEVEL: 'warn' }, logStream: log.stream });
  });
  after(() => server.close());

  test('a body that stops arriving is answered 408, the connection closed, and the limit logged', { timeout: 30_000 }, async () => {
    const client = connect(server);
    client.socket.write('POST /comments HTTP/1.1\r\nHost: gazette.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncomment=only+the+start');
    const answer = await client.closed;
    assert.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(answer, /\r\ncontent-security-policy: /);
    assert.match(answer, /did not arrive in time/);
    const line = await log.waitFor((l) => l.limit === 'request_timeout');
    assert.equal(line.level, 40);
    assert.deepEqual(line.addresses, { '127.0.0.1': 1 });
  });

  test('headers that stop arriving are answered 408 too', { timeout: 30_000 }, async () => {
    const client = connect(server);
    client.socket.write('GET / HTTP/1.1\r\nHost: gazette.test\r\nX-Slow: ');
    assert.match(await client.closed, /^HTTP\/1\.1 408 /);
  });

  test('a connection that sends nothing is closed too', { timeout: 30_000 }, async () => {
    const client = connect(server);
    assert.match(await client.closed, /^HTTP\/1\.1 408 /);
  });

  test('the log names a flood of stalls once, not once per socket', { timeout: 30_000 }, async () => {
    const clients = Array.from({ length: 20 }, () => connect(server));
    for (const c of clients) c.socket.write('POST /comments HTTP/1.1\r\nHost: gazette.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\nab');
    for (const c of clients) assert.match(await c.closed, /^HTTP\/1\.1 408 /);
    // The first stall of the run was logged at once; these 20 are counted for the end of the interval.
    assert.equal(log.lines.filter((l) => l.limit === 'request_timeout').length, 1);
  });
});

describe('connections per address', () => {
  let server: TestServer;
  const log = logReader();
  before(async () => {
    server = await startTestServer({ env: { MAX_CONNECTIONS_PER_ADDRESS: '3', LOG_LEVEL: 'warn' }, logStream: log.stream });
  });
  after(() => server.close());

  test('an address over the limit is refused; other addresses are served; a closed connection frees a place', { timeout: 30_000 }, async () => {
    const held = [connect(server), connect(server), connect(server)];
    // Each holds an open keep-alive connection the server has answered on: all three are counted.
    for (const c of held) c.socket.write(KEEP_ALIVE_GET);
    for (const c of held) assert.match(await c.responses(1), /^HTTP\/1\.1 200 /);

    const extra = connect(server);
    extra.socket.write(KEEP_ALIVE_GET);
    assert.equal(await extra.closed, '', 'the fourth connection from 127.0.0.1 is closed without an answer');
    const line = await log.waitFor((l) => l.limit === 'per_address');
    assert.deepEqual(line.addresses, { '127.0.0.1': 1 });

    assert.equal(await getFrom(server, '127.0.0.2'), 200, 'another address is served meanwhile');

    held[0]!.socket.end();
    await held[0]!.closed;
    // The server counts the connection as closed when its own side closes, which may come just after ours.
    let status = 0;
    for (let attempt = 0; attempt < 100 && status !== 200; attempt++) status = await getFrom(server, '127.0.0.1').catch(() => 0);
    assert.equal(status, 200, 'once one connection is closed, 127.0.0.1 is served again');
    for (const c of held) c.socket.destroy();
  });
});

describe('connections from a trusted proxy', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { MAX_CONNECTIONS_PER_ADDRESS: '1', TRUST_PROXY: '127.0.0.2' } });
  });
  after(() => server.close());

  test('are not counted against the per-address limit: the proxy carries many readers', { timeout: 30_000 }, async () => {
    const held = [connect(server, '127.0.0.2'), connect(server, '127.0.0.2'), connect(server, '127.0.0.1')];
    for (const c of held) c.socket.write(KEEP_ALIVE_GET);
    for (const c of held) assert.match(await c.responses(1), /^HTTP\/1\.1 200 /);
    const extra = connect(server, '127.0.0.1');
    extra.socket.write(KEEP_ALIVE_GET);
    assert.equal(await extra.closed, '', 'an address that is not a trusted proxy is still limited');
    for (const c of held) c.socket.destroy();
  });
});

describe('connections in all', () => {
  let server: TestServer;
  const log = logReader();
  before(async () => {
    server = await startTestServer({ env: { MAX_CONNECTIONS: '2', MAX_CONNECTIONS_PER_ADDRESS: '0', LOG_LEVEL: 'warn' }, logStream: log.stream });
  });
  after(() => server.close());

  test('past MAX_CONNECTIONS a connection is refused and the limit logged', { timeout: 30_000 }, async () => {
    const held = [connect(server), connect(server, '127.0.0.2')];
    for (const c of held) c.socket.write(KEEP_ALIVE_GET);
    for (const c of held) await c.responses(1);
    const extra = connect(server, '127.0.0.3');
    extra.socket.write(KEEP_ALIVE_GET);
    assert.equal(await extra.closed, '');
    const line = await log.waitFor((l) => l.limit === 'server_total');
    assert.deepEqual(line.addresses, { '127.0.0.3': 1 });
    for (const c of held) c.socket.destroy();
  });
});

describe('idle keep-alive connections', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { KEEP_ALIVE_TIMEOUT_MS: '300' } });
  });
  after(() => server.close());

  test('are closed by the server after KEEP_ALIVE_TIMEOUT_MS', { timeout: 30_000 }, async () => {
    const client = connect(server);
    client.socket.write(KEEP_ALIVE_GET);
    assert.match(await client.responses(1), /^HTTP\/1\.1 200 /);
    // Nothing more is sent: the server must close the connection by itself.
    const all = await client.closed;
    assert.equal((all.match(/^HTTP\/1\.1 /gm) ?? []).length, 1);
  });
});
