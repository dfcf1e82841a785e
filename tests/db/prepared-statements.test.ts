// Reusable queries (src/db/reusable-query.ts) run on PostgreSQL as named statements, prepared once per
// connection: the same rows as the query sent as text, and the statement is kept by the server's session
// after the first call. Other SQL is not prepared. On SQLite only the rows are checked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openStore, migrateToLatest, type Store } from '../../src/db/database.ts';
import { reusableQuery } from '../../src/db/reusable-query.ts';
import { ENGINE, freshDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let store: Store;

before(async () => {
  database = await freshDatabase();
  const url = database.url;
  // One connection, so the session the statements are prepared in is the one asked about.
  store = await openStore(url.startsWith('file:') ? { kind: 'sqlite', file: url.slice('file:'.length) } : { kind: 'postgres', url, poolSize: 1, statementTimeoutMs: 0, description: 'test database' } as never);
  await migrateToLatest(store);
  await store.db.insertInto('site_state').values([{ key: 'prepared-a', value: 'one' }, { key: 'prepared-b', value: 'two' }]).execute();
});
after(async () => {
  await store?.close();
  await database?.drop();
});

const stateValue = reusableQuery((db, key: string) => db.selectFrom('site_state').select('value').where('key', '=', key));

/**
 * Opens a write transaction on `on` that runs `writes` and then stays open until `release()`: `written`
 * resolves once the writes are in, `done` once the transaction has committed.
 */
async function heldTransaction(on: Store, writes: (trx: Store['db']) => Promise<void>): Promise<{ release: () => void; done: Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let written!: () => void;
  const writtenYet = new Promise<void>((resolve) => (written = resolve));
  const done = on.writeTransaction(async (trx) => {
    await writes(trx);
    written();
    await held;
  });
  await writtenYet;
  return { release, done };
}

test('a reusable query answers the same rows as the same query sent as text, call after call', async () => {
  for (const key of ['prepared-a', 'prepared-b', 'prepared-a', 'missing', 'prepared-b', 'prepared-a', 'prepared-b']) {
    const direct = await store.db.selectFrom('site_state').select('value').where('key', '=', key).execute();
    assert.deepEqual(await stateValue(store.db, key), direct, key);
  }
});

test('on PostgreSQL the reusable query is prepared once in the session, and other SQL is not', { skip: ENGINE !== 'postgres' && 'SQLite prepares statements in the process; there is no server session' }, async () => {
  await stateValue(store.db, 'prepared-a');
  const prepared = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(store.db);
  const ours = prepared.rows.filter((r) => r.statement.includes('site_state'));
  assert.equal(ours.length, 1, JSON.stringify(prepared.rows));
  assert.match(ours[0]!.name, /^gazette_\d+$/);
  // The query sent as text above (the builder's own) left nothing prepared.
  assert.equal(prepared.rows.filter((r) => !/^gazette_\d+$/.test(r.name)).length, 0);
});

test('a reusable query is read without going through Kysely (SQLite: on the connection at once when nothing holds it; PostgreSQL: a pooled connection runs its named statement)', async () => {
  let throughKysely = 0;
  // Counts the queries Kysely's executor runs for this instance (an own property over its method, removed after).
  const executor = store.db.getExecutor();
  const executeQuery = executor.executeQuery;
  Object.assign(executor, {
    executeQuery(this: typeof executor, ...args: Parameters<typeof executeQuery>) {
      throughKysely++;
      return executeQuery.apply(this, args);
    },
  });
  try {
    await store.db.selectFrom('site_state').select('value').where('key', '=', 'prepared-a').execute();
    assert.equal(throughKysely, 1, 'the spy counts what goes through Kysely');
    assert.deepEqual(await stateValue(store.db, 'prepared-a'), [{ value: 'one' }]);
    assert.equal(throughKysely, 1, 'the reusable query went through Kysely');
    if (ENGINE === 'postgres') {
      // Read by name: the statement the session holds is the one the direct read prepared.
      const prepared = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements where statement like '%site_state%'`.execute(store.db);
      assert.equal(prepared.rows.length, 1, JSON.stringify(prepared.rows));
      assert.match(prepared.rows[0]!.name, /^gazette_\d+$/);
    }
  } finally {
    delete (executor as { executeQuery?: unknown }).executeQuery;
  }
});

test('a reusable query waits for a transaction that holds the connection, and never reads its uncommitted rows', async () => {
  const { release, done: transaction } = await heldTransaction(store, async (trx) => {
    await trx.insertInto('site_state').values({ key: 'prepared-c', value: 'three' }).execute();
  });
  let answered: { value: string }[] | null = null;
  const read = stateValue(store.db, 'prepared-c').then((rows) => (answered = rows));
  // Turns of the event loop while the transaction is open: the read must still be waiting.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(answered, null, 'the read ran while the transaction held the connection');
  release();
  await transaction;
  await read;
  assert.deepEqual(answered, [{ value: 'three' }]);
});

test('on PostgreSQL a reusable query asked during another connection\'s open transaction answers at once with what was committed, then sees the commit', { skip: ENGINE !== 'postgres' && 'SQLite has one connection: the test above covers it' }, async () => {
  // Two connections: the transaction holds one, the read takes the other.
  const two = await openStore({ kind: 'postgres', url: database.url, poolSize: 2, statementTimeoutMs: 0, description: 'test database' } as never);
  try {
    const { release, done: transaction } = await heldTransaction(two, async (trx) => {
      await trx.insertInto('site_state').values({ key: 'prepared-d', value: 'four' }).execute();
      await trx.updateTable('site_state').set({ value: 'one, changed' }).where('key', '=', 'prepared-a').execute();
    });
    assert.deepEqual(await stateValue(two.db, 'prepared-d'), [], 'the uncommitted row was read');
    assert.deepEqual(await stateValue(two.db, 'prepared-a'), [{ value: 'one' }], 'the uncommitted change was read');
    release();
    await transaction;
    assert.deepEqual(await stateValue(two.db, 'prepared-d'), [{ value: 'four' }]);
    assert.deepEqual(await stateValue(two.db, 'prepared-a'), [{ value: 'one, changed' }]);
  } finally {
    await two.db.updateTable('site_state').set({ value: 'one' }).where('key', '=', 'prepared-a').execute();
    await two.close();
  }
});
