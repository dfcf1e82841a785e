// A database that another process is writing to: readers' posts and editors' commands wait their turn for
// the write lock instead of failing (SQLite answered "database is locked" at once to a transaction that
// read before it wrote), and a lock held past the wait answers 503, not 500. The other writer is a real
// process: a small better-sqlite3 script (tests/helpers/sqlite-writer.mjs) or the real `gazette` CLI.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ENGINE, runCli, type TestServer } from '../helpers/server.ts';
import { SEED_PATH, commentIdFrom, fields, postComment, readForm, startCommentServer, type ReaderForm } from '../comments/helpers.ts';

const WRITER = path.resolve(import.meta.dirname, '../helpers/sqlite-writer.mjs');
const sqliteOnly = ENGINE === 'sqlite' ? {} : { skip: 'the write lock of one file is SQLite’s; PostgreSQL waits on row locks by itself' };

/** Starts the other writer and resolves once it has held the write lock the first time. */
async function startWriter(file: string, holdMs: number, pauseMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WRITER, file, String(holdMs), String(pauseMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  assert.match(chunk.toString(), /writing/);
  return child;
}

async function stopWriter(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

const gazette = (server: TestServer, ...args: string[]) => runCli(server, args);

/** Posts `count` comments, `parallel` at a time; returns every answer's status and the acknowledged ids. */
async function postMany(server: TestServer, form: ReaderForm, count: number, parallel: number): Promise<{ statuses: number[]; ids: number[] }> {
  const statuses: number[] = [];
  const ids: number[] = [];
  let next = 0;
  async function lane() {
    while (next < count) {
      next++;
      const answer = await postComment(server, fields(form));
      statuses.push(answer.status);
      if (answer.status === 303) ids.push(commentIdFrom(answer.location));
    }
  }
  await Promise.all(Array.from({ length: parallel }, lane));
  return { statuses, ids };
}

const fileOf = (server: TestServer) => server.databaseUrl.replace(/^file:/, '');

describe('writing while another process writes', () => {
  let server: TestServer;
  let form: ReaderForm;

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-none' });
    form = await readForm(server, SEED_PATH);
  });
  after(() => server.close());

  it('stores every post a reader sends while another process holds the write lock again and again, with no 5xx', sqliteOnly, async () => {
    const writer = await startWriter(fileOf(server), 4, 2);
    try {
      const { statuses, ids } = await postMany(server, form, 120, 4);
      assert.deepEqual(
        statuses.filter((s) => s !== 303),
        [],
        'every post is acknowledged with a redirect',
      );
      const stored = await server.store.db.selectFrom('comments').select('id').where('id', 'in', ids).execute();
      assert.equal(stored.length, ids.length, 'every acknowledged comment is stored');
    } finally {
      await stopWriter(writer);
    }
  });

  it('lets an editor’s command finish while the server and another process write', sqliteOnly, async () => {
    const { ids } = await postMany(server, form, 2, 1);
    const writer = await startWriter(fileOf(server), 4, 2);
    let posting = true;
    const load = (async () => {
      while (posting) await postMany(server, form, 4, 2);
    })();
    try {
      for (const action of ['unapprove', 'approve', 'trash', 'approve']) {
        const run = await gazette(server, 'comments', action, ...ids.map(String));
        assert.doesNotMatch(run.stderr, /locked|busy/i);
        assert.equal(run.code, 0, run.stderr);
      }
    } finally {
      posting = false;
      await load;
      await stopWriter(writer);
    }
    const rows = await server.store.db.selectFrom('comments').select('status').where('id', 'in', ids).execute();
    assert.deepEqual(
      rows.map((r) => r.status),
      ['approved', 'approved'],
    );
  });

  it('keeps serving cached pages while a post waits for the write lock', sqliteOnly, async () => {
    await fetch(server.url + SEED_PATH); // now in the page cache
    const writer = await startWriter(fileOf(server), 0, 120_000);
    try {
      let waiting = true;
      const posted = postComment(server, fields(form)).finally(() => {
        waiting = false;
      });
      // SQLite's own wait would stop the server's only thread until the post gave up: no page in between.
      const statuses: number[] = [];
      while (waiting) statuses.push((await fetch(server.url + SEED_PATH)).status);
      assert.equal((await posted).status, 503);
      assert.ok(statuses.length >= 20, `pages answered while the post waited: ${statuses.length}`);
      assert.deepEqual([...new Set(statuses)], [200]);
    } finally {
      await stopWriter(writer);
    }
  });

  it('answers 503 with Retry-After, and the CLI a clear line, when the lock is held past the wait; nothing is stored', sqliteOnly, async () => {
    const before = await server.store.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // Held until this test lets go: longer than busy_timeout (5 s) plus a CLI start.
    const writer = await startWriter(fileOf(server), 0, 120_000);
    try {
      const [answer, run] = await Promise.all([postComment(server, fields(form)), gazette(server, 'comments', 'approve', '1')]);
      assert.equal(answer.status, 503);
      assert.ok(answer.headers.get('retry-after'));
      assert.equal(run.code, 75, run.stderr);
      assert.match(run.stderr, /gazette: the database is busy/);
      assert.doesNotMatch(run.stderr, /SqliteError|    at /);
    } finally {
      await stopWriter(writer);
    }
    const afterCount = await server.store.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
  });
});

describe('write transactions', () => {
  let server: TestServer;
  before(async () => {
    server = await startCommentServer();
  });
  after(() => server.close());

  it('run one after another: concurrent read-then-write transactions lose no update', async () => {
    const { store } = server;
    await store.db.insertInto('site_state').values({ key: 'busy-test-counter', value: '0' }).execute();
    const bump = () =>
      store.writeTransaction(async (trx) => {
        const row = await trx.selectFrom('site_state').select('value').where('key', '=', 'busy-test-counter').executeTakeFirstOrThrow();
        // Another transaction gets every chance to read the same value before this one writes.
        await sql`select 1`.execute(trx);
        await new Promise((resolve) => setImmediate(resolve));
        await trx.updateTable('site_state').set({ value: String(Number(row.value) + 1) }).where('key', '=', 'busy-test-counter').execute();
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    const row = await store.db.selectFrom('site_state').select('value').where('key', '=', 'busy-test-counter').executeTakeFirstOrThrow();
    assert.equal(row.value, '20');
  });
});
