// The `gazette` command as a user runs it: serve creates, migrates and fills an empty database once;
// migrate and demo work on their own; mistakes exit non-zero with a message.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { SourceMap } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { buildAndGetServeArgs } from '../scripts/start-command.mjs';
import { describeDatabase, loadConfig } from '../src/config.ts';
import { SEED_PATH, tempDir } from './helpers/server.ts';
import { freshDatabase, type TestDatabase } from './helpers/database.ts';
import { openStore } from '../src/db/database.ts';

const BIN = path.resolve('bin/gazette.mjs');

function gazette(args: string[], env: Record<string, string>, cwd?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 60_000, cwd });
}

/** Starts `gazette serve` (or other node arguments) on port 0 and resolves with its URL once it logs that it listens. */
function serve(env: Record<string, string>, args = [BIN, 'serve']): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'info', ...env } });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`gazette serve exited with ${code}: ${out}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/** Articles in the database at this URL (SQLite or PostgreSQL, whichever the suite runs on). */
async function countArticles(url: string): Promise<number> {
  const store = await openStore(loadConfig({ DATABASE_URL: url }).database);
  try {
    return Number((await store.db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  } finally {
    await store.close();
  }
}

describe('gazette serve', () => {
  const tmp = tempDir();
  const databases: TestDatabase[] = [];
  // On SQLite, in a folder that does not exist yet: serve creates it.
  const fresh = async (name: string) => {
    const d = await freshDatabase(path.join(tmp.dir, name));
    databases.push(d);
    return d.url;
  };
  let env: Record<string, string>;
  before(async () => {
    env = { DATABASE_URL: await fresh('nested') };
  });
  after(async () => {
    for (const d of databases) await d.drop();
    tmp.remove();
  });

  it('creates the database, migrates it, loads the demo once and serves the seed article', async () => {
    const first = await serve(env);
    const response = await fetch(first.url + SEED_PATH);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /Disclosure of confidential document/);
    assert.equal(await stop(first.child), 0, 'stops cleanly on SIGTERM');
    const count = await countArticles(env.DATABASE_URL!);
    assert.equal(count, 4);

    const second = await serve(env);
    assert.equal((await fetch(second.url + '/')).status, 200);
    assert.equal(await stop(second.child), 0);
    assert.equal(await countArticles(env.DATABASE_URL!), count, 'the demo is not loaded twice');
  });

  it('leaves an empty database empty when DEMO_CONTENT=false', async () => {
    const running = await serve({ DATABASE_URL: await fresh('empty'), DEMO_CONTENT: 'false' });
    const home = await fetch(running.url + '/');
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Nothing has been published here yet/);
    assert.equal((await fetch(running.url + SEED_PATH)).status, 404);
    await stop(running.child);
  });
});

describe('gazette serve on a port already in use', () => {
  const tmp = tempDir();
  let taken: net.Server;
  before(async () => {
    taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise((resolve) => taken.close(resolve));
    tmp.remove();
  });

  it('exits non-zero with one line naming the port and host, and no stack trace', async () => {
    const port = (taken.address() as net.AddressInfo).port;
    // spawn, not spawnSync: the port's holder lives in this process and must keep accepting.
    const child = spawn(process.execPath, [BIN, 'serve'], { env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${path.join(tmp.dir, 'busy.db')}` } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.notEqual(code, 0);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.at(-1), `gazette: port ${port} on 127.0.0.1 is already in use; set PORT to another port`);
    assert.ok(lines.length <= 2, `one line after the database line: ${stderr}`);
    assert.doesNotMatch(stdout + stderr, /EADDRINUSE|\n\s+at /);
  });
});

describe('npm start', () => {
  let database: TestDatabase;
  let args: string[];
  before(async () => {
    database = await freshDatabase();
    // Built once, as `npm start` builds: both tests read the same bundle.
    args = buildAndGetServeArgs(path.resolve('.'));
  });
  after(() => database.drop());

  it('builds the bundle and serves the seed article and its stylesheet from it', async () => {
    const running = await serve({ DATABASE_URL: database.url }, args);
    const page = await fetch(running.url + SEED_PATH);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /The United States has no plans to leave Iraq/);
    const sheet = /href="(\/assets\/gazette\.[0-9a-f]+\.css)"/.exec(html)![1]!;
    assert.equal((await fetch(running.url + sheet)).status, 200);
    assert.equal(await stop(running.child), 0);
  });

  // The bundle and the `gazette` command (the sources under tsx) are one build (decision 0073): the pages
  // the command prerenders are the ones the bundled server sends.
  it('serves from the bundle the pages `gazette pages prerender` stored from the sources', async () => {
    const env = { DATABASE_URL: database.url, PUBLIC_URL: 'http://localhost:3000' };
    const filled = gazette(['pages', 'prerender', '--limit', '3'], { ...env, LOG_LEVEL: 'silent' });
    assert.equal(filled.status, 0, filled.stderr);
    const running = await serve(env, args);
    try {
      const home = await fetch(running.url + '/');
      assert.equal(home.status, 200);
      assert.match(home.headers.get('server-timing') ?? '', /cache;desc=store/);
    } finally {
      assert.equal(await stop(running.child), 0);
    }
  });

  it("bundles with a source map that turns the bundle's lines into src/ lines and holds no source text", () => {
    const bundle = fs.readFileSync(args.at(-2)!, 'utf8');
    const payload = JSON.parse(fs.readFileSync(`${args.at(-2)!}.map`, 'utf8'));
    // Node keeps every map it reads at start (--enable-source-maps): the text would only cost memory.
    assert.equal(payload.sourcesContent, undefined);
    // A stack frame in findArticle points at the article service, as it would in a trace.
    const lines = bundle.split('\n');
    const line = lines.findIndex((l) => l.startsWith('async function findArticle('));
    assert.ok(line >= 0, 'the bundle holds findArticle');
    const entry = new SourceMap(payload).findEntry(line, 0) as { originalSource?: string; originalLine?: number };
    assert.match(entry.originalSource ?? '', /src\/articles\/article\.service\.ts$/);
    const original = fs.readFileSync(path.resolve('src/articles/article.service.ts'), 'utf8').split('\n');
    assert.match(original[entry.originalLine!] ?? '', /async function findArticle\(/);
  });
});

describe('gazette migrate and demo', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    database = await freshDatabase();
    env = { DATABASE_URL: database.url };
  });
  after(() => database.drop());

  it('migrate applies the migrations, then reports the database up to date', () => {
    const first = gazette(['migrate'], env);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Applied \d+ migration\(s\): 001_initial/);
    const second = gazette(['migrate'], env);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /up to date/);
  });

  it('demo loads the demo content once', () => {
    const first = gazette(['demo'], env);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Loaded 4 demo article\(s\)/);
    assert.match(first.stdout, /\/news\/disclosure-of-confidential-document/);
    const second = gazette(['demo'], env);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /already loaded/);
  });

  it('rejects an unknown command and prints usage', () => {
    const result = gazette(['publish-everything'], env);
    assert.equal(result.status, 64);
    assert.match(result.stderr, /unknown command "publish-everything"/);
    assert.match(result.stderr, /Usage: gazette <command>/);
  });

  it('prints usage for --help', () => {
    const result = gazette(['--help'], env);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /serve/);
  });
});

describe('gazette and its database', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('refuses to create a database for commands that only work on content, naming the path and DATABASE_URL', () => {
    const file = path.join(tmp.dir, 'missing', 'site.db');
    for (const args of [['comments', 'list'], ['comments', 'approve', '1'], ['reindex'], ['reindex', '--search-only']]) {
      const result = gazette(args, { DATABASE_URL: `file:${file}` });
      assert.equal(result.status, 66, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`^gazette: using the SQLite database ${file}\n`));
      assert.match(result.stderr, new RegExp(`gazette ${args[0]}: there is no database at ${file}\\. Set DATABASE_URL`));
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(fs.existsSync(path.dirname(file)), false, 'neither the file nor its folder was created');
    }
  });

  it('run from another folder without DATABASE_URL, says which ./data/gazette.db it means and creates nothing', () => {
    const elsewhere = path.join(tmp.dir, 'elsewhere');
    fs.mkdirSync(elsewhere);
    const result = gazette(['comments', 'list'], {}, elsewhere);
    assert.equal(result.status, 66, result.stderr);
    assert.match(result.stderr, new RegExp(`there is no database at ${path.join(elsewhere, 'data', 'gazette.db')}\\.`));
    assert.deepEqual(fs.readdirSync(elsewhere), []);
  });

  it('names the database for every command, and works once migrate has created it', () => {
    const file = path.join(tmp.dir, 'made.db');
    const env = { DATABASE_URL: `file:${file}` };
    const migrate = gazette(['migrate'], env);
    assert.equal(migrate.status, 0, migrate.stderr);
    assert.equal(migrate.stderr, `gazette: using the SQLite database ${file}\n`);
    for (const args of [['comments', 'list'], ['reindex', '--search-only'], ['demo']]) {
      const result = gazette(args, env);
      assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`^gazette: using the SQLite database ${file}\n`));
    }
  });

  it('describes a PostgreSQL database by host and name only, never the password', () => {
    const said = describeDatabase(loadConfig({ DATABASE_URL: 'postgres://editor:s3cret-pw@db.example:5432/gazette?sslmode=require' }).database);
    assert.equal(said, 'postgres://db.example:5432/gazette');
    assert.doesNotMatch(said, /s3cret|editor/);
  });
});
