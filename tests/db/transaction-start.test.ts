// On PostgreSQL a transaction's `begin` goes to the server with its first statement when that one can
// carry it (decision 0052): a write transaction's `begin` and its write turn are one round trip. What a
// transaction does, commits or rolls back is the same as before; a transaction with no statement sends
// nothing. A write transaction's announcement goes with its commit (decision 0055): the NOTIFY for other
// processes in the commit's round trip, this process's listeners told after the commit, nothing at all
// for a transaction that rolls back. On SQLite only the outcomes are checked (there is no round trip).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { sql } from 'kysely';
import { openStore, migrateToLatest, type Store } from '../../src/db/database.ts';
import { ENGINE, freshDatabase, type TestDatabase } from '../helpers/database.ts';

/** Every message node-postgres sends a server (each is a round trip), counted while `counting`. */
let counting = false;
const sent: string[] = [];
const send = pg.Client.prototype.query;

describe('the start of a transaction', () => {
  let database: TestDatabase;
  let store: Store;

  before(async () => {
    // Installed before the store opens: its connections keep the method they found at connect.
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if (counting) sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text));
      return (send as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof send;
    database = await freshDatabase();
    const url = database.url;
    store = await openStore(url.startsWith('file:') ? { kind: 'sqlite', file: url.slice('file:'.length) } : ({ kind: 'postgres', url, poolSize: 1, statementTimeoutMs: 0, description: 'test database' } as never));
    await migrateToLatest(store);
  });
  after(async () => {
    pg.Client.prototype.query = send;
    await store?.close();
    await database?.drop();
  });

  async function roundTrips(work: () => Promise<unknown>): Promise<string[]> {
    sent.length = 0;
    counting = true;
    try {
      await work();
    } finally {
      counting = false;
    }
    return [...sent];
  }

  it('commits a write transaction, its begin sent with its write turn', async () => {
    const trips = await roundTrips(() => store.writeTransaction((trx) => trx.insertInto('site_state').values({ key: 'start-a', value: 'one' }).execute()));
    const row = await store.db.selectFrom('site_state').select('value').where('key', '=', 'start-a').executeTakeFirst();
    assert.equal(row?.value, 'one');
    if (ENGINE === 'postgres') {
      assert.equal(trips.length, 3, trips.join(' | '));
      assert.match(trips[0]!, /^begin; .*pg_advisory_xact_lock/);
      assert.equal(trips[2], 'commit');
    }
  });

  it('rolls back a write transaction that fails, and answers with its error', async () => {
    await assert.rejects(
      store.writeTransaction(async (trx) => {
        await trx.insertInto('site_state').values({ key: 'start-b', value: 'two' }).execute();
        throw new Error('refused after the insert');
      }),
      /refused after the insert/,
    );
    assert.equal(await store.db.selectFrom('site_state').select('value').where('key', '=', 'start-b').executeTakeFirst(), undefined);
    // A statement the server refuses: the error comes back, and nothing stays.
    await assert.rejects(
      store.writeTransaction(async (trx) => {
        await trx.insertInto('site_state').values({ key: 'start-c', value: 'three' }).execute();
        await trx.insertInto('site_state').values({ key: 'start-c', value: 'again' }).execute();
      }),
      (error: unknown) => store.isUniqueViolation(error),
    );
    assert.equal(await store.db.selectFrom('site_state').select('value').where('key', '=', 'start-c').executeTakeFirst(), undefined);
  });

  it('sends a begin before a first statement with parameters, and nothing for a transaction with no statement', async () => {
    const read = await roundTrips(() => store.db.transaction().execute((trx) => trx.selectFrom('site_state').select('value').where('key', '=', 'start-a').execute()));
    const empty = await roundTrips(() => store.db.transaction().execute(async () => 'nothing asked'));
    if (ENGINE === 'postgres') {
      assert.deepEqual([read[0], read.length], ['begin', 3], read.join(' | '));
      assert.deepEqual(empty, []);
    }
    // The transaction is one: what it wrote is seen inside it before the commit, and by others after.
    const seen = await store.db.transaction().execute(async (trx) => {
      await sql`insert into site_state (key, value) values ('start-d', 'four')`.execute(trx);
      return (await trx.selectFrom('site_state').select('value').where('key', '=', 'start-d').executeTakeFirst())?.value;
    });
    assert.equal(seen, 'four');
    assert.equal((await store.db.selectFrom('site_state').select('value').where('key', '=', 'start-d').executeTakeFirst())?.value, 'four');
  });

  it('announces a write transaction’s keys with its commit, and nothing when it rolls back', async () => {
    const heard: string[][] = [];
    const stop = store.changes.subscribe((keys) => heard.push([...keys]));
    // Another process listening on PostgreSQL: it hears the NOTIFY once the transaction commits.
    const notified: string[] = [];
    let listener: pg.Client | null = null;
    if (ENGINE === 'postgres') {
      listener = new pg.Client({ connectionString: database.url });
      await listener.connect();
      listener.on('notification', (m) => notified.push(m.payload ?? ''));
      await listener.query('listen gazette_changes');
    }
    try {
      const trips = await roundTrips(() =>
        store.writeTransaction(async (trx) => {
          await trx.insertInto('site_state').values({ key: 'start-e', value: 'five' }).execute();
          assert.deepEqual(heard, [], 'nothing told before the commit');
        }, ['comments:7', "it's:quoted"]),
      );
      assert.deepEqual(heard, [['comments:7', "it's:quoted"]]);
      assert.equal((await store.db.selectFrom('site_state').select('value').where('key', '=', 'start-e').executeTakeFirst())?.value, 'five');
      await assert.rejects(
        store.writeTransaction(async (trx) => {
          await trx.insertInto('site_state').values({ key: 'start-f', value: 'six' }).execute();
          throw new Error('refused after the insert');
        }, ['comments:8']),
        /refused after the insert/,
      );
      assert.deepEqual(heard, [['comments:7', "it's:quoted"]], 'a rolled-back transaction announces nothing');
      assert.equal(await store.db.selectFrom('site_state').select('value').where('key', '=', 'start-f').executeTakeFirst(), undefined);
      if (ENGINE === 'postgres') {
        // begin with the write turn; the insert; the NOTIFY with the commit.
        assert.equal(trips.length, 3, trips.join(' | '));
        assert.match(trips[2]!, /pg_notify\('gazette_changes', .*; commit$/);
        for (let i = 0; i < 50 && notified.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(notified.length, 1, notified.join(' | '));
        assert.deepEqual((JSON.parse(notified[0]!) as { k: string[] }).k, ['comments:7', "it's:quoted"]);
      }
    } finally {
      stop();
      await listener?.end();
    }
  });
});
