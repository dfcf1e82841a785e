// A subquery's rows as one JSON array column (src/db/json-rows.ts, decision 0070): on both engines the
// same values come back, of the same types, in the order asked for, for the store's own instance and its
// transactions; no rows give an empty array.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { openStore, migrateToLatest, type Store } from '../../src/db/database.ts';
import { jsonRows, parseJsonRows } from '../../src/db/json-rows.ts';
import { reusableQuery } from '../../src/db/reusable-query.ts';
import type { Db } from '../../src/db/store.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let store: Store;

// The Big List of Naughty Strings (tests/fixtures/naughty): quotes, backslashes, control characters,
// right-to-left text, emoji, strings that look like JSON or SQL. A NUL cannot be stored in PostgreSQL text.
const naughty = (JSON.parse(readFileSync(new URL('../fixtures/naughty/blns-shared.json', import.meta.url), 'utf8')) as { string: string }[])
  .map((e) => e.string)
  .filter((s) => !s.includes('\u0000'));

before(async () => {
  database = await freshDatabase();
  const url = database.url;
  store = await openStore(url.startsWith('file:') ? { kind: 'sqlite', file: url.slice('file:'.length) } : ({ kind: 'postgres', url, poolSize: 2, statementTimeoutMs: 0, description: 'test database' } as never));
  await migrateToLatest(store);
  // Keys whose order by name is the reverse of their order by number.
  await store.db
    .insertInto('site_state')
    .values(naughty.map((value, i) => ({ key: `json-rows-${String(naughty.length - i).padStart(4, '0')}`, value })))
    .execute();
});
after(async () => {
  await store?.close();
  await database?.drop();
});

interface StateRow {
  key: string;
  value: string;
}

/** One row holding the state rows whose key starts with `prefix`, ordered by `order`, as a JSON column. */
function stateRows(db: Db, prefix: string, order: keyof StateRow) {
  return db
    .selectNoFrom((eb) => [
      jsonRows<StateRow>(db, eb.selectFrom('site_state').select(['key', 'value']).where('key', 'like', `${prefix}%`), ['key', 'value'], [order]).as('rows'),
    ])
    .executeTakeFirstOrThrow()
    .then((row) => parseJsonRows(row.rows));
}

test('gives every value back as stored, in the order asked for', async () => {
  const rows = await stateRows(store.db, 'json-rows-', 'key');
  assert.equal(rows.length, naughty.length);
  assert.deepEqual(
    rows.map((r) => r.value),
    [...naughty].reverse(),
  );
  assert.ok(rows.every((r) => typeof r.key === 'string' && typeof r.value === 'string'));
});

test('an empty subquery is an empty array', async () => {
  assert.deepEqual(await stateRows(store.db, 'no-such-key-', 'key'), []);
});

test('works in a transaction, and in a reusable query (numbers stay numbers)', async () => {
  const inTransaction = await store.db.transaction().execute((trx) => stateRows(trx, 'json-rows-000', 'key'));
  assert.deepEqual(
    inTransaction.map((r) => r.key),
    Array.from({ length: 9 }, (_, i) => `json-rows-000${i + 1}`),
  );
  const counted = reusableQuery((db, prefix: string) =>
    db.selectNoFrom((eb) => [
      jsonRows<{ n: number }>(db, eb.selectFrom('site_state').select((e) => e.fn.countAll<number>().as('n')).where('key', 'like', prefix), ['n'], ['n']).as('rows'),
    ]),
  );
  const [row] = await counted(store.db, 'json-rows-%');
  assert.deepEqual(parseJsonRows(row!.rows), [{ n: naughty.length }]);
});
