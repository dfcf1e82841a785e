// Tags made by article writes and bulk loads (ensureTag, ensureTags): a tag already spelled as given is
// read, never rewritten. Rewriting it unchanged gave its row a new version for every article batch of an
// import, and on PostgreSQL, inside the import's one transaction, every later read of the tag walked
// all of them (the foreign key check of each article_tags row among them).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import type { Db } from '../../src/db/store.ts';
import { ensureTag, ensureTags } from '../../src/tags/tag.service.ts';
import { ENGINE, freshDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let store: Store;

/**
 * A mark of each tag row's writes: PostgreSQL's xmin (the transaction that wrote the row's version); on
 * SQLite, which keeps no versions, how many updates a temporary trigger has seen of it.
 */
async function versions(db: Db): Promise<Map<string, string>> {
  const { rows } =
    ENGINE === 'postgres'
      ? await sql<{ slug: string; v: string }>`select slug, xmin::text as v from tags`.execute(db)
      : await sql<{ slug: string; v: string }>`select t.slug, (select count(*) from temp.tag_writes w where w.slug = t.slug) as v from tags t`.execute(db);
  return new Map(rows.map((r) => [r.slug, String(r.v)]));
}

const names = async (db: Db) => new Map((await db.selectFrom('tags').select(['slug', 'name']).execute()).map((r) => [r.slug, r.name]));

describe('ensureTags and ensureTag', () => {
  before(async () => {
    database = await freshDatabase();
    store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
    await migrateToLatest(store);
    if (ENGINE === 'sqlite') {
      // SQLite's store has one connection: its temporary trigger sees every write of these tests.
      await sql`create temp table tag_writes (slug text)`.execute(store.db);
      await sql`create temp trigger tag_written after update on tags begin insert into tag_writes values (new.slug); end`.execute(store.db);
    }
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  it('inserts new tags, reads those spelled the same, updates only the renamed', async () => {
    const first = await store.writeTransaction((trx) => ensureTags(trx, [{ slug: 'iran', name: 'Iran' }, { slug: 'oil', name: 'Oil' }, { slug: 'iraq', name: 'Iraq' }]));
    assert.deepEqual([...first.keys()].sort(), ['iran', 'iraq', 'oil']);
    const before = await versions(store.db);

    // The same spellings again, in one transaction as a bulk load writes them, batch after batch.
    const again = await store.writeTransaction(async (trx) => {
      let ids = new Map<string, number>();
      for (let batch = 0; batch < 5; batch++) ids = await ensureTags(trx, [{ slug: 'iran', name: 'Iran' }, { slug: 'oil', name: 'Oil' }, { slug: 'gas', name: 'Gas' }]);
      // One of them spelled anew, beside an unchanged one: the last spelling wins, as before.
      const renamed = await ensureTags(trx, [{ slug: 'iraq', name: 'IRAQ' }, { slug: 'oil', name: 'Oil' }]);
      return new Map([...ids, ...renamed]);
    });
    assert.equal(again.get('iran'), first.get('iran'));
    assert.equal(again.get('oil'), first.get('oil'));
    assert.equal(again.get('iraq'), first.get('iraq'));
    assert.ok(again.get('gas'), 'a new tag among known ones is made');

    const after = await versions(store.db);
    assert.equal(after.get('iran'), before.get('iran'), 'a tag spelled the same is not rewritten');
    assert.equal(after.get('oil'), before.get('oil'), 'a tag spelled the same is not rewritten');
    assert.notEqual(after.get('iraq'), before.get('iraq'), 'the renamed tag is written');
    const spelled = await names(store.db);
    assert.equal(spelled.get('iraq'), 'IRAQ');
    assert.equal(spelled.get('iran'), 'Iran');
    assert.equal(spelled.get('gas'), 'Gas');
  });

  it('ensureTag says when it renamed, and leaves a tag spelled the same alone', async () => {
    const made = await store.writeTransaction((trx) => ensureTag(trx, 'bank', 'Bank'));
    assert.equal(made.renamed, false);
    const before = await versions(store.db);
    const same = await store.writeTransaction((trx) => ensureTag(trx, 'bank', 'Bank'));
    assert.deepEqual(same, { id: made.id, renamed: false });
    assert.equal((await versions(store.db)).get('bank'), before.get('bank'));
    const renamed = await store.writeTransaction((trx) => ensureTag(trx, 'bank', 'BANK'));
    assert.deepEqual(renamed, { id: made.id, renamed: true });
    assert.equal((await names(store.db)).get('bank'), 'BANK');
  });
});
