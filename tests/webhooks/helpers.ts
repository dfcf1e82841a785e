// Shared pieces of the webhook tests: a Gazette server that can be stopped and started again on the same
// database (retries must survive a restart), with the worker's back-off shortened, and a real receiving
// HTTP server on 127.0.0.1 that records what it is sent and answers as the test tells it.
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import { loadDemo } from '../../src/demo/demo.service.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { PUBLIC_URL, tempDir } from '../helpers/server.ts';

export { PUBLIC_URL };

/** Worker timings for tests: looks often, retries after 50 ms, 100 ms, … */
export const FAST: NonNullable<BuildOptions['webhooks']> = { everyMs: 20, retryBaseMs: 50, retryFactor: 2, retryMaxMs: 2_000, timeoutMs: 3_000, maxAttempts: 5 };

export interface Site {
  url: string;
  app: FastifyInstance;
  store: Store;
  config: Config;
  databaseUrl: string;
  dir: string;
  /** Stops the server and closes its store; the database stays. */
  stop(): Promise<void>;
}

/** A database (and media folder) that outlives the servers started on it. */
export interface Place {
  database: TestDatabase;
  dir: string;
  remove(): Promise<void>;
}

export async function newPlace(): Promise<Place> {
  const tmp = tempDir('gazette-webhooks-');
  const database = await freshDatabase(tmp.dir);
  return {
    database,
    dir: tmp.dir,
    async remove() {
      await database.drop();
      tmp.remove();
    },
  };
}

/** Starts Gazette on the place's database (migrated; the demo content loaded when `demo`). */
export async function startSite(place: Place, options: { demo?: boolean; webhooks?: BuildOptions['webhooks']; env?: Record<string, string> } = {}): Promise<Site> {
  const config = loadConfig({
    DATABASE_URL: place.database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL,
    LOG_LEVEL: 'silent',
    MEDIA_DIR: path.join(place.dir, 'media'),
    COMMENTS_MIN_SECONDS: '0',
    ...options.env,
  });
  const store = await openStore(config.database);
  await migrateToLatest(store);
  if (options.demo) await loadDemo(store);
  const app = await buildApp(config, store, { logger: false, webhooks: { ...FAST, ...options.webhooks } });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    app,
    store,
    config,
    databaseUrl: place.database.url,
    dir: place.dir,
    async stop() {
      await app.close();
      await store.close();
    },
  };
}

export interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  /** Answers for the next requests, in order; afterwards 200 "thanks from receiver". */
  answers: { status: number; body?: string; headers?: Record<string, string> }[];
  /** Resolves once `count` requests have arrived; fails when they have not within `limitMs`. */
  received(count: number, limitMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (port 0) that records requests and answers as told. */
export async function startReceiver(host = '127.0.0.1'): Promise<Receiver> {
  const events = new EventEmitter();
  const requests: Received[] = [];
  const answers: Receiver['answers'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.shift() ?? { status: 200, body: 'thanks from receiver' };
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? '');
      events.emit('request');
    });
  });
  server.listen(0, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/hook`,
    port,
    requests,
    answers,
    async received(count, limitMs = 20_000) {
      const limit = AbortSignal.timeout(limitMs);
      while (requests.length < count) {
        try {
          await once(events, 'request', { signal: limit });
        } catch {
          throw new Error(`the receiver got ${requests.length} request(s), not ${count}, in ${limitMs} ms`);
        }
      }
      return requests.slice(0, count);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits until `check` gives a value (checked again after each short pause); fails after `limitMs`. */
export async function until<T>(check: () => Promise<T | null | undefined | false>, what: string, limitMs = 20_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
