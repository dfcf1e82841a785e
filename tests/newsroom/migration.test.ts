// Migration 011 on both engines: existing articles keep their status and start at version 1, the new
// statuses are accepted and others refused, and the migration goes down and up again with the rows intact.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator } from 'kysely';
import { migrateToLatest, openStore, type Store } from '../../src/db/database.ts';
import { migrationsFor } from '../../src/db/migrations/index.ts';
import { loadConfig } from '../../src/config.ts';
import { loadDemo } from '../../src/demo/demo.service.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { tempDir } from '../helpers/server.ts';

describe('migration 011 (newsroom workflow)', () => {
  let store: Store;
  let database: TestDatabase;
  const tmp = tempDir();
  const statuses = async () => (await store.db.selectFrom('articles').select(['id', 'status', 'version']).orderBy('id').execute()).map((r) => `${r.id}:${r.status}:${r.version}`);

  before(async () => {
    database = await freshDatabase(tmp.dir);
    store = await openStore(loadConfig({ DATABASE_URL: database.url }).database);
    await migrateToLatest(store);
    await loadDemo(store);
  });
  after(async () => {
    await store.close();
    await database.drop();
    tmp.remove();
  });

  it('keeps existing articles as they were, at version 1', async () => {
    const rows = await store.db.selectFrom('articles').select(['status', 'version', 'owner_user_id', 'scheduled_at']).execute();
    assert.ok(rows.length > 0);
    for (const r of rows) assert.deepEqual([r.status, r.version, r.owner_user_id, r.scheduled_at], ['published', 1, null, null]);
  });

  it('accepts the workflow statuses and refuses others', async () => {
    const id = (await store.db.selectFrom('articles').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    for (const status of ['draft', 'review', 'ready', 'scheduled', 'unpublished', 'published'] as const) await store.db.updateTable('articles').set({ status }).where('id', '=', id).execute();
    await assert.rejects(store.db.updateTable('articles').set({ status: 'archived' as 'draft' }).where('id', '=', id).execute());
  });

  it('goes down (what is not published becomes a draft) and up again with every row', async () => {
    const id = (await store.db.selectFrom('articles').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    await store.db.updateTable('articles').set({ status: 'scheduled' }).where('id', '=', id).execute();
    const before = await statuses();
    const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrationsFor(store.schema) } });
    // Down to the migration before it (later ones go down first), then up to the latest again.
    const down = await migrator.migrateTo('010_accounts');
    assert.equal(down.error, undefined);
    assert.equal(down.results?.at(-1)?.migrationName, '011_newsroom_workflow');
    const up = await migrator.migrateToLatest();
    assert.equal(up.error, undefined);
    assert.deepEqual(await statuses(), before.map((s) => s.replace(`${id}:scheduled:`, `${id}:draft:`)));
    // Comments, sources and the rest hanging off articles survived the rebuild.
    assert.ok(Number((await store.db.selectFrom('sources').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) > 0);
  });
});
